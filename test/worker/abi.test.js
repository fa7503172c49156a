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
  it("files each settled result under its handle, keeps a closed handle closed, knows no other, and reads a declared body in one go", async () => {
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
    expect(vc.request_body(kept, 64, 1024)).toBe(body.length);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, 64, body.length))).toBe(body);
    expect(vc.request_body(closed, 64, 1024)).toBe(abi.E_BADHANDLE); // settling did not bring it back
    expect(vc.handle_close(kept)).toBe(abi.OK);
    expect(vc.request_body(kept, 64, 1024)).toBe(abi.E_BADHANDLE);
    expect(vc.handle_close(kept)).toBe(abi.E_BADHANDLE); // closed once only
    for (const never of [0, closed + 1, -1, 0x7fffffff]) {
      expect(vc.http_status(never)).toBe(abi.E_BADHANDLE);
      expect(vc.handle_close(never)).toBe(abi.E_BADHANDLE);
    }
    await expect(host.settle()).rejects.toThrow("the C code waits on nothing"); // both waits were consumed
    host.end();
  });
});
