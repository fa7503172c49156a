// The C/JS boundary: the deployable bundle's wasm module has exactly the
// imports and exports in test/expected-abi.json, every import is declared in
// include/host.h, and the status codes agree (test/worker/abi.test.js checks
// the shim's side inside workerd).
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as abi from "../../shim/abi.js";
import { wranglerBin } from "../../tools/lib/wrangler.js";
import { wasmAbi } from "../support/wasm-abi.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const expected = JSON.parse(readFileSync(join(root, "test/expected-abi.json"), "utf8"));
const hostHeader = readFileSync(join(root, "include/host.h"), "utf8");
const declaredImports = [...hostHeader.matchAll(/VC_IMPORT\("([a-z0-9_]+)"\)/g)].map((m) => m[1]);

describe("deployable bundle", () => {
  let outdir;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "vc-bundle-"));
    execFileSync(process.execPath, [wranglerBin(), "deploy", "--dry-run", "--outdir", outdir], {
      cwd: root,
      stdio: "pipe",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
  }, 180_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("contains the wasm module, whose imports and exports are the expected ones", () => {
    const wasmFiles = readdirSync(outdir).filter((f) => f.endsWith(".wasm"));
    expect(wasmFiles).toHaveLength(1);
    const bundled = readFileSync(join(outdir, wasmFiles[0]));
    expect(wasmAbi(bundled)).toEqual(expected);
    expect(Buffer.compare(bundled, readFileSync(join(root, "build/vc.wasm")))).toBe(0);
  });

  it("keeps the wasm module under the 64 KB limit (target: 48 KB)", () => {
    const wasm = readdirSync(outdir).find((f) => f.endsWith(".wasm"));
    expect(readFileSync(join(outdir, wasm)).byteLength).toBeLessThanOrEqual(64 * 1024);
  });
});

describe("host boundary", () => {
  it("imports only functions declared in include/host.h, all from module vc", () => {
    for (const entry of expected.imports) {
      const [module, name] = entry.split(" ")[0].split(".");
      expect(module).toBe("vc");
      expect(declaredImports).toContain(name);
    }
  });

  it("uses the same status codes in C and in the shim", () => {
    const enumBody = hostHeader.match(/enum \{\s*VC_OK = 0,[\s\S]*?\};/)[0];
    const fromC = Object.fromEntries([...enumBody.matchAll(/VC_(\w+) = (-?\d+)/g)].map((m) => [m[1], Number(m[2])]));
    expect(fromC).toEqual({ ...abi });
  });
});
