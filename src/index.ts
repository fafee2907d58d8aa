/**
 * berth as a library. The CLI is a thin layer over these exports.
 */
export { BerthError, type ErrorContext, type ErrorKind, isBerthError } from './errors/kinds.js';
export type { LoadOptions } from './loader/options.js';
export type * from './model/project.js';
export * from './client/index.js';
