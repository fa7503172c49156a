// The boundary as workerd sees it: the module the Worker runs imports exactly
// what include/host.h declares and the shim implements.
import hostHeader from "../../include/host.h?raw";
import expected from "../expected-abi.json";
import wasm from "../../build/vc.wasm";
import * as abi from "../../shim/abi.js";
import { createHost } from "../../shim/host.js";
import { describe, expect, it } from "vitest";

const declared = [...hostHeader.matchAll(/VC_IMPORT\("([a-z0-9_]+)"\)/g)].map((m) => m[1]).sort();

describe("wasm module in workerd", () => {
  it("imports and exports what test/expected-abi.json lists", () => {
    const imports = WebAssembly.Module.imports(wasm).map((i) => `${i.module}.${i.name} ${i.kind}`);
    expect(imports.sort()).toEqual(expected.imports.map((e) => `${e.split(" ")[0]} function`).sort());
    const exports = WebAssembly.Module.exports(wasm).map((e) => e.name);
    expect(exports.sort()).toEqual(expected.exports.map((e) => e.split(" ")[0]).sort());
  });

  it("gets an implementation of every import declared in include/host.h from the shim", () => {
    expect(declared.length).toBeGreaterThan(10);
    expect(Object.keys(createHost().imports.vc).sort()).toEqual(declared);
  });

  it("suspends nothing: every import is a plain function (no JSPI), and the exports are called directly", () => {
    const vc = createHost().imports.vc;
    const plain = Object.keys(vc).filter((name) => typeof vc[name] === "function");
    expect(plain.sort()).toEqual(declared);
    expect(expected.exports).toContain("vc_start () -> (i32)");
    expect(expected.exports).toContain("vc_resume (i32) -> (i32)");
  });

  it("refuses to wait when the C code started nothing (a broken protocol would hang the request)", async () => {
    const host = createHost();
    host.begin(new Request("https://worker.test/"), {});
    await expect(host.settle()).rejects.toThrow("the C code waits on nothing");
    expect(host.end()).toBe(null);
  });
  it("files each settled result under its handle, releases it once taken, keeps a closed handle closed, knows no other, and reads a declared body in one go", async () => {
    const host = createHost();
    const memory = new WebAssembly.Memory({ initial: 1 });
    host.attach(memory);
    const { vc } = host.imports;
    const handleAt = (ptr) => new DataView(memory.buffer).getUint32(ptr, true);
    const body = '{"name":"Standup"}';
    host.begin(new Request("https://worker.test/", { method: "POST", body, headers: { "content-length": String(body.length) } }), {});

    expect(vc.request_body_start(16384, 0)).toBe(abi.OK);
    expect(vc.request_body_start(16384, 4)).toBe(abi.OK);
    const [kept, closed] = [handleAt(0), handleAt(4)];
    expect(kept).not.toBe(closed);
    expect(vc.request_body(kept, 64, 1024)).toBe(abi.E_PENDING); // started, not settled
    expect(vc.handle_close(closed)).toBe(abi.OK);

    await host.settle();
    expect(vc.request_body(kept, 64, 4)).toBe(body.length); // did not fit: nothing copied, still held
    expect(vc.request_body(kept, 64, 1024)).toBe(body.length);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, 64, body.length))).toBe(body);
    expect(vc.request_body(kept, 64, 1024)).toBe(abi.E_BADHANDLE); // taken whole: released
    expect(vc.handle_close(kept)).toBe(abi.E_BADHANDLE);
    expect(vc.request_body(closed, 64, 1024)).toBe(abi.E_BADHANDLE); // settling did not bring it back
    for (const never of [0, closed + 1, -1, 0x7fffffff]) {
      expect(vc.http_reply(never, 0, 0, 64, 1024)).toBe(abi.E_BADHANDLE);
      expect(vc.handle_close(never)).toBe(abi.E_BADHANDLE);
    }
    await expect(host.settle()).rejects.toThrow("the C code waits on nothing"); // both waits were consumed
    host.end();
  });

  it("writes the request's head with its environment's number: the same object, the same number", () => {
    const host = createHost();
    const memory = new WebAssembly.Memory({ initial: 1 });
    host.attach(memory);
    const { vc } = host.imports;
    const heap = new Uint8Array(memory.buffer);
    const names = new TextEncoder().encode("Origin\nCF-Ray");
    heap.set(names, 0);
    const head = (env) => {
      host.begin(new Request("https://worker.test/a?b", { headers: { origin: "https://app.test" } }), env);
      const n = vc.request_head(0, names.length, 1024, 4096);
      host.end();
      return new TextDecoder().decode(heap.subarray(1024, 1024 + n));
    };
    const [one, other] = [{}, {}];
    const first = head(one);
    expect(first).toMatch(/^\d+\nGET\nhttps:\/\/worker\.test\/a\?b\n\+https:\/\/app\.test\n-\n$/);
    expect(head(one)).toBe(first);
    expect(head(other).split("\n")[0]).not.toBe(first.split("\n")[0]);
    expect(head(null).split("\n")[0]).toBe("-1");
  });

  it("takes an outbound reply in one call: status, time, the headers asked for and the body, released once it fits", async () => {
    const host = createHost();
    const memory = new WebAssembly.Memory({ initial: 1 });
    host.attach(memory);
    const { vc } = host.imports;
    const heap = new Uint8Array(memory.buffer);
    const text = (ptr, len) => new TextDecoder().decode(heap.subarray(ptr, ptr + len));
    const write = (ptr, s) => heap.set(new TextEncoder().encode(s), ptr) ?? s.length;
    const realFetch = globalThis.fetch;
    const sent = [];
    globalThis.fetch = async (url, init) => {
      sent.push([url, init.method, init.headers, init.redirect]);
      if (url.endsWith("/down")) throw new TypeError("connection refused");
      return new Response('{"ok":true}', { status: 201, headers: { ratelimit: '"default";r=5;t=30' } });
    };
    try {
      host.begin(new Request("https://worker.test/"), {});
      const headLen = write(0, 'GET\nhttps://upstream.test/x\n{"Accept":"application/json"}');
      expect(vc.http_start(0, headLen, 0, 0, 1000, 65536, 4096)).toBe(abi.OK);
      const handle = new DataView(memory.buffer).getUint32(4096, true);
      const downLen = write(0, "GET\nhttps://upstream.test/down\n{}");
      expect(vc.http_start(0, downLen, 0, 0, 1000, 65536, 4096)).toBe(abi.OK);
      const down = new DataView(memory.buffer).getUint32(4096, true);
      expect(write(0, "notaurl")).toBe(7);
      expect(vc.http_start(0, 7, 0, 0, 1000, 65536, 4096)).toBe(abi.E_INVALID);
      const namesLen = write(200, "Ratelimit\nRetry-After");
      expect(vc.http_reply(handle, 200, namesLen, 1024, 4096)).toBe(abi.E_PENDING);
      await host.settle();
      expect(sent).toEqual([
        ["https://upstream.test/x", "GET", { Accept: "application/json" }, "manual"],
        ["https://upstream.test/down", "GET", {}, "manual"],
      ]);
      const n = vc.http_reply(handle, 200, namesLen, 1024, 8); // too small: nothing taken
      expect(vc.http_reply(handle, 200, namesLen, 1024, 4096)).toBe(n);
      expect(text(1024, n)).toMatch(/^201\n\d+\n\+"default";r=5;t=30\n-\n\{"ok":true\}$/);
      expect(vc.http_reply(handle, 200, namesLen, 1024, 4096)).toBe(abi.E_BADHANDLE); // released
      const m = vc.http_reply(down, 200, namesLen, 1024, 4096);
      expect(text(1024, m)).toMatch(new RegExp(`^${abi.E_NETWORK}\\n\\d+\\n-\\n-\\n$`));
      expect(vc.handle_close(down)).toBe(abi.E_BADHANDLE);
      host.end();
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
