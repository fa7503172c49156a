// The function names in a wasm module's "name" section (a build made with
// `node tools/build.js --names`), for the instruction bench's profile: V8's
// perf map calls a function "wasm-function[N]", by its index. The names apply
// to another module only when both have the same code section, so
// `functionNames` also returns that section's bytes to compare.
// Ownership: the returned Map and Buffer are fresh; `bytes` is only read.
function reader(bytes, at) {
  const r = {
    at,
    u32() {
      let value = 0;
      let shift = 0;
      let b;
      do {
        b = bytes[r.at++];
        value += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return value;
    },
    text() {
      const n = r.u32();
      r.at += n;
      return bytes.subarray(r.at - n, r.at).toString("utf8");
    },
  };
  return r;
}

const CODE = 10;
const CUSTOM = 0;
const FUNCTION_NAMES = 1;

// Each section: [id, start, end] of its contents.
function sections(bytes) {
  const r = reader(bytes, 8);
  const found = [];
  while (r.at < bytes.length) {
    const id = bytes[r.at++];
    const size = r.u32();
    found.push([id, r.at, r.at + size]);
    r.at += size;
  }
  return found;
}

// The code section's bytes.
export function codeSection(bytes) {
  const code = sections(bytes).find(([id]) => id === CODE);
  if (!code) throw new Error("no code section");
  return Buffer.from(bytes.subarray(code[1], code[2]));
}

// Map function index -> name (empty without a name section).
export function functionNames(bytes) {
  const names = new Map();
  for (const [id, start, end] of sections(bytes)) {
    if (id !== CUSTOM) continue;
    const r = reader(bytes, start);
    if (r.text() !== "name") continue;
    while (r.at < end) {
      const sub = bytes[r.at++];
      const size = r.u32();
      const next = r.at + size;
      if (sub === FUNCTION_NAMES) for (let n = r.u32(); n > 0; n--) names.set(r.u32(), r.text());
      r.at = next;
    }
  }
  return names;
}
