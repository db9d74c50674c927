/**
 * Getting bytes onto this machine: verified, resumable HTTP downloads,
 * npm tarballs with pinned integrity, ordered alternative sources, and
 * progress reporting.
 */
export { download, DownloadError } from "./download";
export type { DownloadOptions, DownloadResult } from "./download";
export { npmPack, tarballName } from "./npm";
export type { NpmTarball } from "./npm";
export { orderSources, trySources } from "./sources";
export type { Source } from "./sources";
export { consoleReporter, silentReporter } from "./reporter";
export type { Reporter } from "./reporter";
