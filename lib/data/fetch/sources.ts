/**
 * Trying alternative sources in a configurable order, and explaining every
 * failure when none works.
 */
import type { Reporter } from "./reporter";

export interface Source {
  /** Short id used in `--source` (e.g. "npm", "official"). */
  id: string;
  /** One line: where the bytes come from. */
  describe: string;
  fetch(): Promise<void>;
}

/** Orders sources by `order` (ids); unknown ids are an error. */
export function orderSources(sources: Source[], order?: string[]): Source[] {
  if (order === undefined || order.length === 0) return sources;
  return order.map((id) => {
    const s = sources.find((x) => x.id === id);
    if (!s) {
      const ids = sources.map((x) => x.id).join(", ");
      throw new Error(`unknown source "${id}" (choose from: ${ids})`);
    }
    return s;
  });
}

/** Runs sources in order until one succeeds; otherwise explains all. */
export async function trySources(
  what: string,
  sources: Source[],
  reporter: Reporter,
): Promise<string> {
  const failures: string[] = [];
  for (const s of sources) {
    reporter.info(`${what}: trying ${s.id} (${s.describe})`);
    try {
      await s.fetch();
      return s.id;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      reporter.info(`  ${s.id} failed: ${why}`);
      failures.push(`  - ${s.id} (${s.describe}): ${why}`);
    }
  }
  throw new Error(`could not obtain ${what}; every source failed:\n${failures.join("\n")}`);
}
