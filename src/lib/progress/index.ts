/** Progress lines for long build steps; see reporter.ts. */
export { startStep, formatSeconds, type StepHandle, type ProgressOptions, type ProgressStream } from './reporter.js';
