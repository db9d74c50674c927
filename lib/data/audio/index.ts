/**
 * Audio features in TypeScript: FFT and log-mel spectrograms.
 */
export { fft, fftPlan } from "./fft";
export type { FftPlan } from "./fft";
export {
  DEFAULT_LOGMEL,
  frameCount,
  logMel,
  logMelExtractor,
  melFilters,
} from "./logmel";
export type { LogMelConfig } from "./logmel";
