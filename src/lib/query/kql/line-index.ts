/** One implementation for every parser: see src/lib/diagnostics/line-index.ts. */
export { LineIndex } from '../../diagnostics/line-index.js';
