// Lists a wasm module's imports and exports with their function signatures,
// and its memory limits (initial..maximum 64 KiB pages), read straight from
// the binary. `node test/support/wasm-abi.js build/vc.wasm`
// prints the JSON kept in test/expected-abi.json.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const VALTYPES = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x70: "funcref", 0x6f: "externref" };
const KINDS = ["func", "table", "memory", "global", "tag"];

export function wasmAbi(bytes) {
  let pos = 8;
  const u32 = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++];
      result |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result >>> 0;
      shift += 7;
    }
  };
  const name = () => {
    const len = u32();
    const text = new TextDecoder().decode(bytes.subarray(pos, pos + len));
    pos += len;
    return text;
  };
  const types = [];
  const funcTypes = []; // type index of every function, imports first
  const imports = [];
  const exports = [];
  const memories = [];
  const sig = (t) => `(${t.params.join(" ")}) -> (${t.results.join(" ")})`;

  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        if (bytes[pos++] !== 0x60) throw new Error("unexpected type form");
        const params = Array.from({ length: u32() }, () => VALTYPES[bytes[pos++]]);
        const results = Array.from({ length: u32() }, () => VALTYPES[bytes[pos++]]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        const module = name();
        const field = name();
        const kind = bytes[pos++];
        if (kind !== 0) throw new Error(`import ${module}.${field} is a ${KINDS[kind]}, not a function`);
        const typeIndex = u32();
        funcTypes.push(typeIndex);
        imports.push(`${module}.${field} ${sig(types[typeIndex])}`);
      }
    } else if (id === 5) {
      for (let n = u32(); n > 0; n--) {
        const flags = bytes[pos++];
        const min = u32();
        memories.push(flags & 1 ? `${min}..${u32()} pages` : `${min}.. pages`);
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcTypes.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const field = name();
        const kind = bytes[pos++];
        const index = u32();
        exports.push(kind === 0 ? `${field} ${sig(types[funcTypes[index]])}` : `${field} ${KINDS[kind]}`);
      }
    }
    pos = end;
  }
  return { imports: imports.sort(), exports: exports.sort(), memory: memories };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(wasmAbi(readFileSync(process.argv[2])), null, 2));
}
