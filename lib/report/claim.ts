/**
 * claim(): the paper's claim, what we found, and a verdict, recorded in
 * the notebook (an output whose metadata holds the ClaimRecord) for the
 * report's claims table.
 */
import { display } from "./display";
import { escapeHtml } from "./html";
import { brief, checkName, domId, qualify } from "./ids";
import { REPORT_KEY, VERDICTS, type ClaimRecord, type Verdict } from "./types";

export interface ClaimInput {
  /** Unique across the report, e.g. "fig3-larger-lr-helps". */
  id: string;
  /** The notebook's section id, e.g. "06-1-cifar". */
  section: string;
  /** The paper's claim, in a sentence. */
  paper: string;
  /** What we found, in a sentence with numbers. */
  ours: string;
  verdict: Verdict;
  /** Figure/table names in this section, or `<section>/<name>` ids. */
  evidence?: string[];
}

const COLORS: Record<Verdict, string> = {
  "supported": "#1a7f37",
  "not supported": "#cf222e",
  "inconclusive": "#9a6700",
  "not run": "#6e7781",
  "failed": "#8250df",
};

/** The verdict's colour (report and notebook). */
export function verdictColor(v: Verdict): string {
  return COLORS[v];
}

/** A claim as an HTML card: the paper's claim beside ours. */
export function claimHtml(c: ClaimRecord): string {
  const color = verdictColor(c.verdict);
  const evidence = c.evidence.length > 0
    ? `<div style="color:#777;font-size:85%">evidence: ` +
      `${escapeHtml(c.evidence.join(", "))}</div>` : "";
  return `<div id="${domId("claim", c.id)}" class="sgdl-claim" ` +
    `style="border-left:4px solid ${color};padding:4px 10px;margin:6px 0">` +
    `<div><b>Claim ${escapeHtml(c.id)}</b> &mdash; <b style="color:${color}">` +
    `${escapeHtml(c.verdict)}</b></div>` +
    `<div><i>The paper:</i> ${escapeHtml(c.paper)}</div>` +
    `<div><i>Ours:</i> ${escapeHtml(c.ours)}</div>${evidence}</div>`;
}

/** Records a claim and its verdict, and shows it. */
export function claim(input: ClaimInput): ClaimRecord {
  checkName("claim", "id", input.id);
  checkName("claim", "section", input.section);
  for (const key of ["paper", "ours"] as const) {
    if (typeof input[key] !== "string" || input[key] === "") {
      throw new TypeError(`claim ${input.id}: ${key} must be a sentence`);
    }
  }
  if (!VERDICTS.includes(input.verdict)) {
    throw new RangeError(`claim ${input.id}: verdict must be one of ` +
      `${VERDICTS.map((v) => JSON.stringify(v)).join(", ")}, got ` +
      JSON.stringify(input.verdict));
  }
  const record: ClaimRecord = {
    kind: "claim",
    id: input.id,
    section: input.section,
    paper: input.paper,
    ours: input.ours,
    verdict: input.verdict,
    evidence: qualify(input.section, input.evidence ?? []),
  };
  display({
    "text/html": claimHtml(record),
    "text/plain": `[claim ${record.id}: ${record.verdict}]\n` +
      `  paper: ${record.paper}\n  ours:  ${record.ours}`,
  }, { [REPORT_KEY]: record });
  return brief(record, `claim ${record.id}: ${record.verdict}`);
}
