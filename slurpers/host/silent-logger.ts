/** The logger used when the host is given none: slurper code may always log. */
import type { SlurperLogger } from '../contract.js';

const ignore = (): void => {};

export const silentLogger: SlurperLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
