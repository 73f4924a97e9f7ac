export * from './field-mapper.js';
export * from './value.js';
export * from './predicate.js';
