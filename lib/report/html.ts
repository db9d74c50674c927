/** Small HTML helpers shared by the displays and the report. */
import { formatNumber } from "./numbers";

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case "&": return "&amp;";
      case "<": return "&lt;";
      case ">": return "&gt;";
      case "\"": return "&quot;";
      default: return "&#39;";
    }
  });
}

/**
 * Escapes text for Markdown (CommonMark, and the TeX math of Jupyter's
 * renderers): every punctuation character that could start markup gets
 * a backslash.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~$]/g, "\\$&");
}

/**
 * JSON for a <script> element: `<`, `>`, `&` and the two JS line
 * separators are escaped so that no data can close the element.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c").replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export { formatNumber };

/** A table cell's text. */
export function cellText(v: unknown, digits = 4): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return formatNumber(v, digits);
  return String(v);
}
