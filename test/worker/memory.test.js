// shim/memory.js: strings and bytes across the boundary, on a real
// WebAssembly.Memory. ASCII is written by a loop, anything else by
// TextEncoder; both must give the same bytes, and nothing outside the memory
// is touched.
import { describe, expect, it } from "vitest";
import { createMemoryAccess } from "../../shim/memory.js";

const utf8 = (s) => new TextEncoder().encode(s);

function setup() {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  return { memory, mem: createMemoryAccess(memory), heap: () => new Uint8Array(memory.buffer) };
}

describe("moving text across the boundary", () => {
  it.each(["", "Content-Length", "https://api.cloudflare.com/x", "Zoë 😀 名前", "x".repeat(300), `${"y".repeat(100)}é`])("writes %j as UTF-8 and returns its length", (value) => {
    const { mem, heap } = setup();
    const want = utf8(value);
    expect(mem.putText(value, 100, 512)).toBe(want.byteLength);
    expect([...heap().subarray(100, 100 + want.byteLength)]).toEqual([...want]);
    expect(heap()[100 + want.byteLength]).toBe(0);
    expect(mem.text(100, want.byteLength)).toBe(value);
  });

  it("reads a name kept from the same place again only when its bytes changed there", () => {
    const { mem, heap } = setup();
    const put = (s, at) => heap().set(utf8(s), at);
    put("Origin\nCF-Ray", 300);
    const list = mem.nameList(300, 13);
    expect(list).toEqual(["Origin", "CF-Ray"]);
    expect(mem.nameList(300, 13)).toBe(list); // kept: the same array
    put("Accept\nCF-Ray", 300); // the same place and length, other bytes
    expect(mem.nameList(300, 13)).toEqual(["Accept", "CF-Ray"]);
    expect(mem.nameList(300, 6)).toEqual(["Accept"]); // another length: another name
    put("Zoë", 400);
    expect(mem.name(400, 4)).toBe("Zoë"); // not ASCII: decoded, not kept
    put("Zoe!", 400);
    expect(mem.name(400, 4)).toBe("Zoe!");
    expect(() => mem.name(65536 - 2, 4)).toThrow(RangeError);
  });

  it("returns the full length and writes nothing when the value does not fit", () => {
    const { mem, heap } = setup();
    expect(mem.putText("abcdef", 10, 5)).toBe(6);
    expect(mem.putText("é".repeat(3), 10, 5)).toBe(6);
    expect([...heap().subarray(10, 16)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("writes lines one after another, each after its mark, and returns the offset after the last", () => {
    const { mem, heap } = setup();
    let at = mem.putLine("POST", 200, 64, 0);
    at = mem.putLine("", 200, 64, at, 0x2d);
    at = mem.putLine("Zoë", 200, 64, at, 0x2b);
    const want = utf8("POST\n-\n+Zoë\n");
    expect(at).toBe(want.byteLength);
    expect([...heap().subarray(200, 200 + at + 1)]).toEqual([...want, 0]);
  });

  it("counts lines past cap without writing past it", () => {
    const { mem, heap } = setup();
    let at = mem.putLine("abc", 300, 6, 0); // "abc\n": 4
    at = mem.putLine("defg", 300, 6, at, 0x2b); // "+defg\n" does not fit in the 2 left
    at = mem.putLine("h", 300, 6, at);
    expect(at).toBe(4 + 6 + 2);
    expect([...heap().subarray(300, 308)]).toEqual([...utf8("abc\n+"), 0, 0, 0]);
  });

  it("gives a body as a copy of its exact bytes", () => {
    const { mem, heap } = setup();
    heap().set([0x7b, 0xff, 0x7d], 50); // not valid UTF-8: passed on unchanged
    const raw = mem.body(50, 3);
    expect(raw).toBeInstanceOf(Uint8Array);
    expect([...raw]).toEqual([0x7b, 0xff, 0x7d]);
    heap()[50] = 0; // a copy, not a view
    expect(raw[0]).toBe(0x7b);
  });

  it("refuses pointers and lengths outside the memory", () => {
    const { mem } = setup();
    expect(() => mem.text(65530, 10)).toThrow(RangeError);
    expect(() => mem.putText("abcdefghij", 65530, 10)).toThrow(RangeError);
    expect(() => mem.put(new Uint8Array(10), 65530, 10)).toThrow(RangeError);
    expect(() => mem.putU32(65534, 1)).toThrow(RangeError);
    expect(() => mem.bytes(-1, 2)).toThrow(RangeError);
  });

  it("keeps working after the memory grows (the old buffer is detached)", () => {
    const { memory, mem, heap } = setup();
    expect(mem.putText("before", 0, 16)).toBe(6);
    memory.grow(1);
    expect(mem.putText("after", 70000, 16)).toBe(5);
    expect(mem.text(70000, 5)).toBe("after");
    mem.putU32(70100, 0xdeadbeef);
    expect(new DataView(memory.buffer).getUint32(70100, true)).toBe(0xdeadbeef);
    expect(mem.text(0, 6)).toBe("before");
    expect(heap().byteLength).toBe(2 * 65536);
  });
});
