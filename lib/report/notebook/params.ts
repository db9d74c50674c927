/**
 * Notebook parameters, papermill's convention in TypeScript: the cell
 * tagged `parameters` declares the defaults,
 *
 *   const profile: Profile = "cpu";
 *   const lr = 0.5;
 *
 * and overrides go into a new cell tagged `injected-parameters` right
 * after it (any earlier injected cell is removed first), which redeclares
 * them (tslab allows redeclaring across cells):
 *
 *   const lr: number = 1.2;
 *
 * Unknown names and values of the wrong kind are refused before anything
 * runs (nanoGPT's configurator does the same).
 */
import ts from "typescript";
import {
  setTag, sourceOf, tagsOf, type CodeCell, type Notebook,
} from "./format";

export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";

export type ParamKind = "number" | "string" | "boolean" | "array" | "object" | "other";

/** One declaration of the parameters cell. */
export interface ParamDecl {
  name: string;
  kind: ParamKind;
  /** The declared type's text, when the cell has an annotation. */
  type?: string;
  /** The default's source text. */
  init: string;
}

export type ParamValue = string | number | boolean | null | ParamValue[] |
  { [key: string]: ParamValue };

function kindOf(node: ts.Expression | undefined): ParamKind {
  if (node === undefined) return "other";
  while (ts.isAsExpression(node) || ts.isParenthesizedExpression(node) ||
    ts.isSatisfiesExpression(node)) {
    node = node.expression;
  }
  if (ts.isNumericLiteral(node)) return "number";
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
    return "number";
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return "string";
  }
  if (node.kind === ts.SyntaxKind.TrueKeyword ||
      node.kind === ts.SyntaxKind.FalseKeyword) return "boolean";
  if (ts.isArrayLiteralExpression(node)) return "array";
  if (ts.isObjectLiteralExpression(node)) return "object";
  return "other";
}

/** The top-level `const`/`let`/`var` declarations of a parameters cell. */
export function parseParameters(source: string): ParamDecl[] {
  const sf = ts.createSourceFile("parameters.ts", source,
    ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: ParamDecl[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue;
      const decl: ParamDecl = {
        name: d.name.text,
        kind: kindOf(d.initializer),
        init: d.initializer?.getText(sf) ?? "undefined",
      };
      if (d.type !== undefined) decl.type = d.type.getText(sf);
      out.push(decl);
    }
  }
  return out;
}

/** "lr=1.2" -> ["lr", "1.2"]. */
export function parseAssignment(text: string): [string, string] {
  const i = text.indexOf("=");
  if (i <= 0) {
    throw new Error(`--param wants name=value, got ${JSON.stringify(text)}`);
  }
  return [text.slice(0, i).trim(), text.slice(i + 1)];
}

function valueKind(v: ParamValue): ParamKind {
  if (Array.isArray(v)) return "array";
  if (v === null) return "other";
  const t = typeof v;
  return t === "number" || t === "string" || t === "boolean" ? t
    : t === "object" ? "object" : "other";
}

/**
 * A value for `decl`: strings from the command line are read as the
 * declared kind (a string parameter takes the text as it is; the others
 * JSON: 1.2, true, [0, 1]).
 */
export function coerce(decl: ParamDecl, value: ParamValue): ParamValue {
  let v = value;
  if (typeof v === "string" && decl.kind !== "string") {
    try {
      v = JSON.parse(v) as ParamValue;
    } catch {
      if (decl.kind !== "other") {
        throw new Error(`parameter ${decl.name}: ${JSON.stringify(value)} ` +
          `is not a ${decl.kind} (default: ${decl.init})`);
      }
    }
  }
  if (typeof v === "number" && !Number.isFinite(v)) {
    throw new Error(`parameter ${decl.name}: must be finite, got ${v}`);
  }
  if (decl.kind !== "other" && valueKind(v) !== decl.kind) {
    throw new Error(`parameter ${decl.name}: expected a ${decl.kind} ` +
      `(default: ${decl.init}), got ${JSON.stringify(v)}`);
  }
  return v;
}

/** The declared type, or a widened one for an unannotated literal. */
function typeFor(decl: ParamDecl, v: ParamValue): string | undefined {
  if (decl.type !== undefined) return decl.type;
  if (decl.kind === "number" || decl.kind === "string" || decl.kind === "boolean") {
    return decl.kind;
  }
  if (Array.isArray(v) && v.length > 0) {
    const kinds = new Set(v.map(valueKind));
    const [k] = [...kinds];
    if (kinds.size === 1 && (k === "number" || k === "string" || k === "boolean")) {
      return `${k}[]`;
    }
  }
  return undefined;
}

/** The injected cell's source. */
export function injectedSource(
  decls: ParamDecl[], values: Record<string, ParamValue>,
): string {
  const lines = ["// Parameters injected by the notebook runner " +
    "(overrides of the cell above)."];
  for (const [name, v] of Object.entries(values)) {
    const decl = decls.find((d) => d.name === name);
    const t = decl ? typeFor(decl, v) : undefined;
    lines.push(`const ${name}${t ? `: ${t}` : ""} = ${JSON.stringify(v)};`);
  }
  return lines.join("\n");
}

export interface Injection {
  /** Index of the parameters cell (-1: none). */
  parametersCell: number;
  declared: ParamDecl[];
  /** The values injected (empty: no injected cell). */
  values: Record<string, ParamValue>;
}

/**
 * Removes old injected cells and, when there are overrides, inserts a new
 * one after the parameters cell. Throws on unknown names or wrong kinds.
 */
export function applyParameters(
  nb: Notebook, overrides: Record<string, ParamValue>, name = "notebook",
): Injection {
  nb.cells = nb.cells.filter((c) => !tagsOf(c).includes(INJECTED_TAG));
  // papermill's record of the injected parameters (papermill-aware tools
  // read it), kept only while there are injected parameters.
  const papermill = nb.metadata["papermill"] as Record<string, unknown> | undefined;
  if (papermill !== undefined) {
    delete papermill["parameters"];
    if (Object.keys(papermill).length === 0) delete nb.metadata["papermill"];
  }
  const at = nb.cells.findIndex((c) =>
    c.cell_type === "code" && tagsOf(c).includes(PARAMETERS_TAG));
  const keys = Object.keys(overrides);
  if (at < 0) {
    if (keys.length > 0) {
      throw new Error(`${name}: no cell tagged "${PARAMETERS_TAG}", so ` +
        `${keys.join(", ")} cannot be set`);
    }
    return { parametersCell: -1, declared: [], values: {} };
  }
  const cell = nb.cells[at] as CodeCell;
  const declared = parseParameters(sourceOf(cell));
  const values: Record<string, ParamValue> = {};
  for (const key of keys) {
    const decl = declared.find((d) => d.name === key);
    if (decl === undefined) {
      throw new Error(`${name}: unknown parameter ${JSON.stringify(key)}; ` +
        `the parameters cell declares ` +
        `${declared.map((d) => d.name).join(", ") || "nothing"}`);
    }
    values[key] = coerce(decl, overrides[key] as ParamValue);
  }
  if (keys.length > 0) {
    const injected: CodeCell = {
      cell_type: "code",
      id: INJECTED_TAG,
      metadata: {},
      source: injectedSource(declared, values),
      execution_count: null,
      outputs: [],
    };
    setTag(injected, INJECTED_TAG, true);
    nb.cells.splice(at + 1, 0, injected);
    nb.metadata["papermill"] = {
      ...(nb.metadata["papermill"] as Record<string, unknown> | undefined),
      parameters: { ...values },
    };
  }
  return { parametersCell: at, declared, values };
}
