/** The page's one API client, shared by every view. */
import { ApiClient } from './api-client.js';
import { RingmonApi } from './api.js';
import { promptForToken } from './token-prompt.js';

export const api = new RingmonApi(new ApiClient(promptForToken));
