/** ringmon's server: the HTTP API and what stands behind it. */
export { buildApp, REDACTED_LOG_PATHS, type App, type AppOptions } from './app.js';
export { ApiError, ERROR_CODES, errorBody, type ErrorBody, type ErrorCode, type Problem } from './errors.js';
export { startServer, type RunningServer, type StartOptions } from './start.js';
