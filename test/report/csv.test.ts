/**
 * lib/report/csv: RFC 4180 quoting of the CSV files table() writes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { csvField, toCsv } from "../../lib/report/csv";

/** A minimal RFC 4180 reader, to check that what we write reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === "\"" && text[i + 1] === "\"") { field += "\""; i++; }
      else if (ch === "\"") quoted = false;
      else field += ch;
    } else if (ch === "\"") quoted = true;
    else if (ch === ",") { row.push(field); field = ""; }
    else if (ch === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else field += ch;
  }
  return rows;
}

describe("csv", () => {
  it("leaves plain fields alone and writes null as an empty field", () => {
    assert.equal(csvField("ResNet-8"), "ResNet-8");
    assert.equal(csvField(0.25), "0.25");
    assert.equal(csvField(true), "true");
    assert.equal(csvField(null), "");
    assert.equal(csvField(undefined), "");
    assert.equal(csvField(""), "");
  });

  it("quotes fields with a comma, a quote, LF or CR, doubling embedded quotes", () => {
    assert.equal(csvField("a, b"), "\"a, b\"");
    assert.equal(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert.equal(csvField("two\nlines"), "\"two\nlines\"");
    assert.equal(csvField("cr\rhere"), "\"cr\rhere\"");
    assert.equal(csvField("\""), "\"\"\"\"");
  });

  it("writes a header and one line per row", () => {
    assert.equal(toCsv(["a", "b"], [[1, "x"], [null, 2.5]]), "a,b\n1,x\n,2.5\n");
    assert.equal(toCsv(["only"], []), "only\n");
  });

  it("round-trips awkward fields through an RFC 4180 reader", () => {
    const columns = ["setting", "paper, ours", "note"];
    const rows = [
      ["lr", "0.1, 1.0", "SGDL's \"10 x\" rule"],
      ["epochs", "150", "line one\nline two"],
      ["empty", "", "a,\"b\",\r\nc"],
    ];
    const csv = toCsv(columns, rows);
    assert.deepEqual(parseCsv(csv), [columns, ...rows]);
  });
});
