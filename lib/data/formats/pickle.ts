/**
 * A minimal, safe reader for Python pickles of numpy arrays in dicts and
 * lists: the format of the ImageNet32 batch files (Chrabaszcz et al.
 * 2017, written with `pickle.dump(d, f)`) and of CIFAR's python batches.
 *
 * It is a small pickle virtual machine (protocols 0-5, see CPython's
 * Lib/pickletools.py) that knows only a fixed list of callables: numpy's
 * array and dtype reconstructors and `_codecs.encode`. Anything else is
 * refused with an error, so loading a file never runs code.
 *
 * Hostile files are bounded: memo references are shared, never copied
 * (a "billion laughs" list of repeated references stays the size of its
 * file), the result is finished without recursion (self-references and
 * deep nesting cannot overflow the stack; nesting deeper than MAX_DEPTH
 * is an error), integers are at most MAX_INT_BYTES long, and array
 * shapes must be non-negative integers that the data fills exactly.
 * Time and memory are linear in the file's size.
 */
import { type NdArray, parseDType, product, typedFromBytes } from "./ndarray";
import { FormatError } from "./error";

/** Containers nested deeper than this are refused (Python's own limit is ~1,000). */
export const MAX_DEPTH = 10_000;
/** LONG1/LONG4 integers longer than this many bytes are refused. */
export const MAX_INT_BYTES = 1024;

/** A Python tuple (kept apart from lists). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A Python 2 `str` (bytes that may be text). */
export class PyStr2 {
  constructor(readonly bytes: Uint8Array) {}
  text(): string {
    return Buffer.from(this.bytes).toString("latin1");
  }
}

/** A numpy dtype under construction. */
class PyDType {
  byteorder = "|";
  constructor(readonly descr: string) {}
}

class PyGlobal {
  constructor(readonly name: string) {}
}

/** An ndarray made by `_reconstruct`, waiting for its BUILD state. */
class PendingArray {
  array: NdArray | null = null;
}

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyStr2
  | PyTuple
  | PyValue[]
  | Map<string | number, PyValue>
  | NdArray
  | PyDType
  | PyGlobal
  | PendingArray;

const RECONSTRUCT = new Set([
  "numpy.core.multiarray._reconstruct",
  "numpy._core.multiarray._reconstruct",
]);
const FROMBUFFER = new Set([
  "numpy.core.numeric._frombuffer",
  "numpy._core.numeric._frombuffer",
]);
const SCALAR = new Set([
  "numpy.core.multiarray.scalar",
  "numpy._core.multiarray.scalar",
]);
const ALLOWED = new Set([
  ...RECONSTRUCT,
  ...FROMBUFFER,
  ...SCALAR,
  "numpy.ndarray",
  "numpy.dtype",
  "_codecs.encode",
]);

function isNdArray(v: unknown): v is NdArray {
  return (
    typeof v === "object" &&
    v !== null &&
    "dtype" in v &&
    "shape" in v &&
    "data" in v &&
    !(v instanceof PyDType)
  );
}

function asBytes(v: PyValue, where: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v instanceof PyStr2) return v.bytes;
  if (typeof v === "string") return Buffer.from(v, "latin1");
  throw new FormatError(`${where}: expected bytes`);
}

function keyOf(v: PyValue, where: string): string | number {
  if (typeof v === "string" || typeof v === "number") return v;
  if (v instanceof PyStr2) return v.text();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("latin1");
  throw new FormatError(`${where}: unsupported dict key type`);
}

function dtypeOf(v: PyValue, where: string): PyDType {
  if (v instanceof PyDType) return v;
  throw new FormatError(`${where}: expected a numpy dtype`);
}

function shapeOf(v: PyValue, where: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
  if (!items) throw new FormatError(`${where}: expected a shape tuple`);
  return items.map((x) => {
    const n = typeof x === "bigint" ? Number(x) : x;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
      throw new FormatError(`${where}: bad array dimension ${String(x)} (expected an integer >= 0)`);
    }
    return n;
  });
}

function makeArray(
  dt: PyDType,
  shape: number[],
  raw: Uint8Array,
  where: string,
): NdArray {
  const order = dt.byteorder === ">" ? ">" : "<";
  const dtype = parseDType(order + dt.descr.replace(/^[<>|=]/, ""), where);
  const count = product(shape);
  const data = typedFromBytes(raw, dtype, count, where);
  if (raw.length !== data.byteLength) {
    throw new FormatError(`${where}: ${raw.length} data bytes for shape [${shape}] of ` +
      `${dtype} (numpy needs exactly ${data.byteLength})`);
  }
  return { dtype, shape, data };
}

/** Unpickles `bytes`; `label` names the file in errors. */
export function unpickle(bytes: Uint8Array, label = "pickle"): PyValue {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: PyValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  let p = 0;
  let op = 0;
  const where = () => `${label}: pickle offset ${p}`;
  const need = (n: number) => {
    if (p + n > buf.length) {
      throw new FormatError(`${label}: truncated pickle (needs ${n} more bytes at ${p})`);
    }
  };
  const take = (n: number) => {
    need(n);
    const out = buf.subarray(p, p + n);
    p += n;
    return out;
  };
  const line = () => {
    const end = buf.indexOf(0x0a, p);
    if (end < 0) throw new FormatError(`${where()}: unterminated text field`);
    const s = buf.toString("latin1", p, end);
    p = end + 1;
    return s;
  };
  const pop = () => {
    if (stack.length === 0) throw new FormatError(`${where()}: stack underflow`);
    return stack.pop() as PyValue;
  };
  const top = () => {
    if (stack.length === 0) throw new FormatError(`${where()}: stack underflow`);
    return stack[stack.length - 1] as PyValue;
  };
  const popMark = () => {
    const m = marks.pop();
    if (m === undefined) throw new FormatError(`${where()}: no MARK`);
    return stack.splice(m);
  };
  const u8 = () => take(1)[0]!;
  const u32 = () => take(4).readUInt32LE(0);
  const u64 = () => Number(take(8).readBigUInt64LE(0));

  const call = (fn: PyValue, args: PyValue): PyValue => {
    if (!(fn instanceof PyGlobal)) {
      throw new FormatError(`${where()}: REDUCE on a non-callable`);
    }
    const a = args instanceof PyTuple ? args.items : [];
    if (RECONSTRUCT.has(fn.name)) return new PendingArray();
    if (fn.name === "numpy.dtype") {
      return new PyDType(keyOf(a[0] ?? null, where()).toString());
    }
    if (fn.name === "_codecs.encode") {
      const s = a[0];
      if (typeof s !== "string") throw new FormatError(`${where()}: bad encode`);
      return Buffer.from(s, "latin1");
    }
    if (FROMBUFFER.has(fn.name)) {
      const raw = asBytes(a[0] ?? null, where());
      const dt = dtypeOf(a[1] ?? null, where());
      const shape = shapeOf(a[2] ?? null, where());
      if (a[3] === "F") throw new FormatError(`${where()}: Fortran order`);
      return makeArray(dt, shape, raw, where());
    }
    if (SCALAR.has(fn.name)) {
      const dt = dtypeOf(a[0] ?? null, where());
      const arr = makeArray(dt, [1], asBytes(a[1] ?? null, where()), where());
      return arr.data[0]!;
    }
    throw new FormatError(`${where()}: cannot call ${fn.name}`);
  };

  const build = (obj: PyValue, state: PyValue) => {
    if (obj instanceof PyDType) {
      if (state instanceof PyTuple) {
        const bo = state.items[1];
        if (typeof bo === "string") obj.byteorder = bo;
        if (bo instanceof PyStr2) obj.byteorder = bo.text();
      }
      return;
    }
    if (obj instanceof PendingArray) {
      const s = state instanceof PyTuple ? state.items : [];
      // (version, shape, dtype, is_fortran, rawdata)
      const shape = shapeOf(s[1] ?? null, where());
      const dt = dtypeOf(s[2] ?? null, where());
      if (s[3] === true) throw new FormatError(`${where()}: Fortran order`);
      const raw = s[4];
      if (Array.isArray(raw)) {
        throw new FormatError(`${where()}: object arrays are not supported`);
      }
      obj.array = makeArray(dt, shape, asBytes(raw ?? null, where()), where());
      return;
    }
    throw new FormatError(`${where()}: BUILD on an unsupported object`);
  };

  // Replace finished PendingArrays by their arrays, in place: each
  // container is visited once (shared references and cycles included),
  // with an explicit stack instead of recursion.
  const arrayOf = (v: PendingArray): NdArray => {
    if (!v.array) throw new FormatError(`${label}: array without data`);
    return v.array;
  };
  const settle = (root: PyValue): PyValue => {
    if (root instanceof PendingArray) return arrayOf(root);
    const seen = new Set<object>();
    const todo: Array<[PyValue, number]> = [[root, 0]];
    while (todo.length > 0) {
      const [v, depth] = todo.pop()!;
      if (v === null || typeof v !== "object" || seen.has(v)) continue;
      seen.add(v);
      if (depth > MAX_DEPTH) {
        throw new FormatError(`${label}: containers nested deeper than ${MAX_DEPTH}`);
      }
      const items = Array.isArray(v) ? v : v instanceof PyTuple ? v.items : null;
      if (items !== null) {
        for (let i = 0; i < items.length; i++) {
          const x = items[i]!;
          if (x instanceof PendingArray) items[i] = arrayOf(x);
          else todo.push([x, depth + 1]);
        }
      } else if (v instanceof Map) {
        for (const [k, x] of v) {
          if (x instanceof PendingArray) v.set(k, arrayOf(x));
          else todo.push([x, depth + 1]);
        }
      }
    }
    return root;
  };

  for (;;) {
    op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: take(8); break; // FRAME
      case 0x2e: { // STOP
        return settle(pop());
      }
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(take(2).readUInt16LE(0)); break; // BININT2
      case 0x4a: stack.push(take(4).readInt32LE(0)); break; // BININT
      case 0x49: { // INT (text)
        const s = line();
        stack.push(s === "01" ? true : s === "00" ? false : Number(s));
        break;
      }
      case 0x8a: case 0x8b: { // LONG1, LONG4
        const n = op === 0x8a ? u8() : u32();
        if (n > MAX_INT_BYTES) {
          throw new FormatError(`${where()}: a ${n}-byte integer (at most ${MAX_INT_BYTES} are read)`);
        }
        const b = take(n);
        // Little-endian two's complement, read in one step (linear time).
        const hex = Buffer.from(b).reverse().toString("hex");
        let v = n === 0 ? 0n : BigInt(`0x${hex}`);
        if (n > 0 && (b[n - 1]! & 0x80)) v -= 1n << BigInt(8 * n);
        const num = Number(v);
        stack.push(Number.isSafeInteger(num) ? num : v);
        break;
      }
      case 0x47: stack.push(take(8).readDoubleBE(0)); break; // BINFLOAT
      case 0x58: stack.push(take(u32()).toString("utf8")); break; // BINUNICODE
      case 0x8c: stack.push(take(u8()).toString("utf8")); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(take(u64()).toString("utf8")); break; // BINUNICODE8
      case 0x55: stack.push(new PyStr2(take(u8()))); break; // SHORT_BINSTRING
      case 0x54: stack.push(new PyStr2(take(u32()))); break; // BINSTRING
      case 0x43: stack.push(take(u8())); break; // SHORT_BINBYTES
      case 0x42: stack.push(take(u32())); break; // BINBYTES
      case 0x8e: case 0x96: stack.push(take(u64())); break; // BINBYTES8, BYTEARRAY8
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(Number(line()), top()); break; // PUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: case 0x67: { // BINGET, LONG_BINGET, GET
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : Number(line());
        if (!memo.has(k)) throw new FormatError(`${where()}: memo ${k} missing`);
        stack.push(memo.get(k) as PyValue);
        break;
      }
      case 0x61: { // APPEND
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) throw new FormatError(`${where()}: APPEND`);
        list.push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) throw new FormatError(`${where()}: APPENDS`);
        for (const v of items) list.push(v);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        const d = top();
        if (!(d instanceof Map)) throw new FormatError(`${where()}: SETITEM`);
        d.set(keyOf(k, where()), v);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        const d = top();
        if (!(d instanceof Map)) throw new FormatError(`${where()}: SETITEMS`);
        for (let i = 0; i + 1 < items.length; i += 2) {
          d.set(keyOf(items[i]!, where()), items[i + 1]!);
        }
        break;
      }
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { // TUPLE2
        const b = pop();
        stack.push(new PyTuple([pop(), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new PyTuple([pop(), b, c]));
        break;
      }
      case 0x63: case 0x93: { // GLOBAL, STACK_GLOBAL
        let name: string;
        if (op === 0x63) {
          const mod = line();
          name = `${mod}.${line()}`;
        } else {
          const n = pop();
          name = `${String(pop())}.${String(n)}`;
        }
        if (!ALLOWED.has(name)) {
          throw new FormatError(
            `${label}: the pickle refers to ${name}, which this reader ` +
              `does not allow (it reads numpy arrays, lists and dicts only)`,
          );
        }
        stack.push(new PyGlobal(name));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(call(fn, args));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        build(top(), state);
        break;
      }
      default:
        throw new FormatError(
          `${label}: unsupported pickle opcode 0x${op.toString(16)} at ` +
            `offset ${p - 1} (is this the right file?)`,
        );
    }
  }
}

/** A dict entry that must be an ndarray. */
export function dictArray(
  d: PyValue,
  key: string,
  label: string,
): NdArray {
  const v = d instanceof Map ? d.get(key) : undefined;
  if (!isNdArray(v)) {
    throw new FormatError(`${label}: no numpy array under key '${key}'`);
  }
  return v;
}

/** A dict entry that must be a list of integers (or an int ndarray). */
export function dictInts(d: PyValue, key: string, label: string): number[] {
  const v = d instanceof Map ? d.get(key) : undefined;
  if (isNdArray(v)) return Array.from(v.data, Number);
  if (Array.isArray(v) && v.every((x) => typeof x === "number")) {
    return v as number[];
  }
  throw new FormatError(`${label}: no list of integers under key '${key}'`);
}
