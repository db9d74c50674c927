/**
 * The Markdown of notebook cells as HTML, for the report: headings,
 * paragraphs, lists, block quotes, code, emphasis, links and TeX math
 * ($...$ inline, $$...$$ displayed): typeset as SVG with a MathRenderer
 * (math.ts), else kept as TeX in <span class="math">. Small on purpose;
 * raw HTML is escaped.
 */
import { escapeHtml } from "../html";
import { type MathRenderer, texSpan } from "./math";

/** A formula as HTML: typeset when there is a renderer. */
function formula(tex: string, display: boolean, math?: MathRenderer): string {
  return math === undefined ? texSpan(tex, display) : math.render(tex, display);
}

/** Inline Markdown of one line or paragraph (already joined). */
export function inline(text: string, math?: MathRenderer): string {
  const slots: string[] = [];
  const keep = (html: string) => `\u0000${slots.push(html) - 1}\u0000`;
  let s = text
    .replace(/`([^`]+)`/g, (_m, c: string) => keep(`<code>${escapeHtml(c)}</code>`))
    .replace(/\$\$([^$]+)\$\$/g, (_m, c: string) => keep(formula(c, true, math)))
    .replace(/\$([^$\n]+)\$/g, (_m, c: string) => keep(formula(c, false, math)));
  s = escapeHtml(s)
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, t: string, u: string) => {
      const safe = /^(https?:|#|\.{0,2}\/|[\w-]+(\.|\/|#))/i.test(u) &&
        !/^javascript:/i.test(u);
      return safe ? `<a href="${u}">${t}</a>` : t;
    })
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/__([^_]+)__/g, "<strong>$1</strong>")
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>")
    .replace(/(^|[^_\w])_([^_\s][^_]*)_(?!\w)/g, "$1<em>$2</em>");
  return s.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => slots[Number(i)] ?? "");
}

/**
 * Markdown to HTML. `shift` moves headings down (a notebook's "#" title
 * is the report section's h2: shift 1); `math` typesets formulas.
 */
export function markdown(text: string, shift = 0, math?: MathRenderer): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length > 0) out.push(`<p>${inline(para.join(" "), math)}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? "").trim().startsWith(fence[1] ?? "```"); i++) {
        body.push(lines[i] ?? "");
      }
      out.push(`<pre><code>${escapeHtml(body.join("\n"))}</code></pre>`);
      continue;
    }
    if (/^ {4}/.test(line) && para.length === 0) {
      const body: string[] = [];
      for (; i < lines.length && (/^ {4}/.test(lines[i] ?? "") || (lines[i] ?? "") === ""); i++) {
        body.push((lines[i] ?? "").slice(4));
      }
      i--;
      while (body.length > 0 && body[body.length - 1] === "") body.pop();
      out.push(`<pre><code>${escapeHtml(body.join("\n"))}</code></pre>`);
      continue;
    }
    if (line.trim().startsWith("$$")) {
      flush();
      const body: string[] = [line.trim().slice(2)];
      let closed = body[0]?.endsWith("$$") === true && line.trim().length > 2;
      if (closed) body[0] = (body[0] ?? "").slice(0, -2);
      for (i++; !closed && i < lines.length; i++) {
        const l = lines[i] ?? "";
        if (l.trim().endsWith("$$")) {
          body.push(l.trim().slice(0, -2));
          closed = true;
          break;
        }
        body.push(l);
      }
      const tex = body.join("\n").trim();
      out.push(math === undefined ? `<div class="math display">${escapeHtml(tex)}</div>`
        : math.render(tex, true));
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      const level = Math.min((h[1] ?? "#").length + shift, 6);
      out.push(`<h${level}>${inline(h[2] ?? "", math)}</h${level}>`);
      continue;
    }
    const list = /^\s*([-*+]|\d+[.)])\s+/.exec(line);
    if (list) {
      flush();
      const ordered = /\d/.test(list[1] ?? "");
      const items: string[] = [];
      for (; i < lines.length; i++) {
        const l = lines[i] ?? "";
        const m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(l);
        if (m) items.push(m[2] ?? "");
        else if (/^\s+\S/.test(l) && items.length > 0) {
          items[items.length - 1] += " " + l.trim();
        } else break;
      }
      i--;
      const tag = ordered ? "ol" : "ul";
      out.push(`<${tag}>${items.map((t) => `<li>${inline(t, math)}</li>`).join("")}</${tag}>`);
      continue;
    }
    if (/^\s*>/.test(line)) {
      flush();
      const body: string[] = [];
      for (; i < lines.length && /^\s*>/.test(lines[i] ?? ""); i++) {
        body.push((lines[i] ?? "").replace(/^\s*>\s?/, ""));
      }
      i--;
      out.push(`<blockquote>${markdown(body.join("\n"), shift, math)}</blockquote>`);
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.push("<hr>");
      continue;
    }
    if (line.trim() === "") {
      flush();
      continue;
    }
    para.push(line.trim());
  }
  flush();
  return out.join("\n");
}
