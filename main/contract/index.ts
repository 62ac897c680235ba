export * from './errors.js';
export * from './envelope.js';
export * from './operations.js';
export * from './results.js';
export * from './schemas.js';
export { validate } from './validate.js';
