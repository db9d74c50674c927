/**
 * lib/sweep: many runs of the trainer, on one machine or on a Slurm
 * cluster (docs/sweeps.md).
 *
 * - spec:   SweepSpecSchema (zod, strict), loadSpec, parseSpec, expandSpec
 *           (grid x points -> normalised configs with their run ids)
 * - dir:    the sweep folder (<data>/sweeps/<id>/: configs, submissions,
 *           logs), sweepsDir
 * - state:  sweepState / RunStatus: done, diverged, running, pending,
 *           interrupted, failed, missing; needsRun, clearStaleLocks
 * - local:  runLocal, a bounded pool of train processes
 * - slurm:  submitArray (one sbatch --array job), batchScript,
 *           activeTasks (squeue), cancelSweep
 * - sweep:  prepareSweep, sweepStatus, formatStatus, summaryLine
 */
export {
  candidateIds, expandSpec, gridPoints, loadSpec, parseSpec, pointLabel,
  SlurmSpecSchema, SpecError, SweepSpecSchema,
} from "./spec";
export type { SlurmSpec, Sweep, SweepRun, SweepSpec, SweepSpecInput } from "./spec";
export {
  configFile, localLog, newSubmissionDir, projectPath, readSubmissions,
  sweepPaths, sweepsDir, writeSweep,
} from "./dir";
export type { Submission, SweepPaths } from "./dir";
export {
  clearStaleLocks, countStates, needsRun, resultNote, RUN_STATES, sweepState,
} from "./state";
export type { ActiveTask, RunState, RunStatus, StateOptions } from "./state";
export { poolSize, runLocal, tailOf } from "./local";
export type { LocalOptions, LocalResult } from "./local";
export {
  activeTasks, batchScript, busyHosts, cancelSweep, DEFAULT_ARRAY_LIMIT, haveSlurm, jobName,
  parseQueue, shortHost, shQuote, SlurmError, submitArray,
} from "./slurm";
export type { QueueLine, ScriptOptions, SubmitOptions, SubmitResult } from "./slurm";
export {
  formatStatus, prepareSweep, statusJson, summaryLine, sweepStatus,
} from "./sweep";
export type { PreparedSweep, PrepareOptions } from "./sweep";
