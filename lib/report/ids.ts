/**
 * Names and ids. Everything here is derived from the section and the
 * name a notebook gives, never from time or randomness, so that
 * re-running a notebook writes the same bytes.
 */

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Throws unless `value` is a safe file/id name (letters, digits . _ -). */
export function checkName(owner: string, param: string, value: string): void {
  if (typeof value !== "string" || !NAME.test(value)) {
    throw new RangeError(`${owner}: ${param} must be letters, digits, ` +
      `'.', '_' or '-' (and start with a letter or digit), got ` +
      JSON.stringify(value));
  }
}

/** Lower-case, dash-separated: "Fig 3 (a)" -> "fig-3-a". */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "") || "x";
}

/** A record's id: `<section>/<name>`. */
export function recordId(section: string, name: string): string {
  return `${section}/${name}`;
}

/** An HTML element id for a record: `sgdl-<kind>-<section>-<name>`. */
export function domId(kind: string, id: string): string {
  return `sgdl-${kind}-${slug(id)}`;
}

/** Evidence ids: bare names are taken relative to `section`. */
export function qualify(section: string, ids: readonly string[]): string[] {
  return ids.map((id) => (id.includes("/") ? id : recordId(section, id)));
}

/**
 * Gives a result a one-line form for the console and for a cell's last
 * expression (tslab prints it), instead of every field (a PNG buffer).
 */
export function brief<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => text, enumerable: false,
  });
  return value;
}
