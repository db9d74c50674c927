/**
 * lib/report/notebook: notebooks as files and their headless execution
 * (used by scripts/notebooks.ts and scripts/report.ts, not by notebooks).
 *
 * - format: nbformat 4.5 types, read/parse, nbformat-identical writing
 * - params: the `parameters` cell and the injected overrides
 * - kernel: one headless kernel process (scripts/kernel-launch.cjs run)
 * - run: runNotebook(s), findNotebooks, paper order
 */
export * from "./format";
export * from "./params";
export { Kernel, LAUNCHER } from "./kernel";
export type { CellRun, KernelOptions } from "./kernel";
export * from "./run";
export { parseCli, UsageError } from "./cli";
export type { CliOptions } from "./cli";
