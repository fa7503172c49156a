// Strings and bytes across the boundary with the module's linear memory.
//
// Names, settings, URLs and JSON here are nearly always short ASCII. Writing
// one is a plain loop over one cached view of the memory (cheaper in workerd
// than TextEncoder.encodeInto for these sizes); reading one is a TextDecoder
// call, which in workerd beats building the string a character at a time
// (measured there: about 170 ns against 200-500 ns for 29-77 characters).
// Pointers or lengths outside the
// memory throw RangeError, which the host turns into a status.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** @param {WebAssembly.Memory} memory */
export function createMemoryAccess(memory) {
  let heap = new Uint8Array(memory.buffer);
  // Growing the memory detaches the old buffer (its length drops to 0).
  const view = (/** @type {number} */ ptr, /** @type {number} */ len) => {
    if (heap.byteLength === 0) heap = new Uint8Array(memory.buffer);
    if (ptr < 0 || len < 0 || ptr + len > heap.byteLength) throw new RangeError("outside linear memory");
    return heap;
  };

  // Names the C code passes again and again from the same place in its data
  // (the header names it asks for, setting and binding names): kept by place
  // and length, and compared byte for byte with the memory before each use,
  // so that a name is decoded (and a list of names split) once rather than on
  // every call. Only ASCII names are kept (a string's length is then its byte
  // count), at most NAMES_MAX of them.
  /** @type {Map<number, { text: string, list: string[] | null }>} */
  const names = new Map();
  const NAME_MAX = 256;
  const NAMES_MAX = 64;
  /** @param {number} ptr @param {number} len */
  const kept = (ptr, len) => {
    if (len > NAME_MAX) return null;
    const key = ptr * (NAME_MAX + 1) + len;
    let entry = names.get(key);
    if (entry !== undefined) {
      const h = view(ptr, len);
      const { text } = entry;
      let i = 0;
      while (i < len && h[ptr + i] === text.charCodeAt(i)) i++;
      if (i === len) return entry;
    }
    const text = access.text(ptr, len);
    if (text.length !== len || /[^\x00-\x7f]/.test(text)) return { text, list: null };
    if (names.size >= NAMES_MAX) names.clear();
    entry = { text, list: null };
    names.set(key, entry);
    return entry;
  };

  const access = {
    // A name at [ptr, ptr+len) (see `names` above) as a string.
    name: (/** @type {number} */ ptr, /** @type {number} */ len) => kept(ptr, len)?.text ?? access.text(ptr, len),
    // The "\n"-separated names at [ptr, ptr+len); the array is shared: read it, do not change it.
    nameList(/** @type {number} */ ptr, /** @type {number} */ len) {
      const entry = kept(ptr, len);
      if (entry === null) return access.text(ptr, len).split("\n");
      return (entry.list ??= entry.text.split("\n"));
    },
    // A view (not a copy) of [ptr, ptr+len).
    bytes: (/** @type {number} */ ptr, /** @type {number} */ len) => view(ptr, len).subarray(ptr, ptr + len),
    // UTF-8 text in [ptr, ptr+len) as a string.
    text: (/** @type {number} */ ptr, /** @type {number} */ len) => decoder.decode(access.bytes(ptr, len)),
    // A body to hand to fetch() or a Response: a copy of the bytes as they are.
    body: (/** @type {number} */ ptr, /** @type {number} */ len) => view(ptr, len).slice(ptr, ptr + len), // one array, no view first
    // Copy `value` (bytes) to ptr when it fits in cap; its length either way.
    /** @param {Uint8Array} value @param {number} ptr @param {number} cap */
    put(value, ptr, cap) {
      if (value.byteLength <= cap) view(ptr, value.byteLength).set(value, ptr);
      return value.byteLength;
    },
    // The same for a string, written as UTF-8.
    /** @param {string} value @param {number} ptr @param {number} cap @returns {number} */
    putText(value, ptr, cap) {
      const n = value.length;
      const h = view(ptr, Math.min(n, cap));
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) return access.put(encoder.encode(value), ptr, cap);
        if (n <= cap) h[ptr + i] = c;
      }
      return n;
    },
    // The same at ptr + at as a line: after `mark` (a byte, 0 for none),
    // followed by a line feed. Returns the offset after the line, whether or
    // not it fit (lines are written one after another; a total over cap means
    // the whole did not fit).
    /** @param {string} value @param {number} ptr @param {number} cap @param {number} at @param {number} [mark] */
    putLine(value, ptr, cap, at, mark = 0) {
      if (mark !== 0) {
        if (at < cap) view(ptr + at, 1)[ptr + at] = mark;
        at++;
      }
      const end = at + access.putText(value, ptr + at, Math.max(0, cap - at));
      if (end < cap) view(ptr + end, 1)[ptr + end] = 10;
      return end + 1;
    },
    /** @param {number} ptr @param {number} value */
    putU32(ptr, value) {
      const h = view(ptr, 4);
      h[ptr] = value & 0xff;
      h[ptr + 1] = (value >>> 8) & 0xff;
      h[ptr + 2] = (value >>> 16) & 0xff;
      h[ptr + 3] = value >>> 24;
    },
  };
  return access;
}
