// The wasm build (tools/build.js) needs only Node and the pinned npm packages:
// it gives the byte-identical module from two different source directories
// (one built as an unprivileged user with no compiler on PATH where the test
// runs as root), prints the size and sha256 it wrote, refuses a module over
// 64 KB, keeps function names only when asked (--names, for profiles), and
// the explicit Debian toolchain gives a module with the same ABI.
import { spawn, spawnSync } from "node:child_process";
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, parse } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeSection, functionNames } from "../bench/wasm-names.js";
import { wasmAbi } from "../support/wasm-abi.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const expectedAbi = JSON.parse(readFileSync(join(root, "test/expected-abi.json"), "utf8"));
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const NOBODY = 65534;

// Whether an unprivileged user can reach a folder (it and every folder above it readable and searchable by others).
function othersCanReach(dir) {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o005) !== 0o005) return false;
    if (d === parse(d).root) return true;
  }
}
// As nobody where this test runs as root on Linux and nobody can reach the checkout and this Node.
const asNobody =
  process.platform === "linux" && process.getuid?.() === 0 && othersCanReach(root) && othersCanReach(dirname(process.execPath));

function build(args, { user, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "tools/build.js"), ...args], {
      cwd: root,
      env: { PATH: dirname(process.execPath), ...env },
      ...(user ? { uid: user, gid: user } : {}),
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: `${output}\n${error.message}` });
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

// A copy of the C sources in a new directory (src/ and include/ only).
function sourceCopy(parent, nested) {
  const dir = join(parent, ...nested);
  for (const part of ["src", "include"]) cpSync(join(root, part), join(dir, part), { recursive: true });
  return dir;
}

describe("npm run build", () => {
  let work;
  let a; // a source copy, built by the first test
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "vc-build-test-"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(
    "builds the byte-identical module in two different directories, with only Node on PATH",
    async () => {
      a = sourceCopy(work, ["a"]);
      const b = sourceCopy(work, ["a much longer", "directory name", "b"]);
      // The second build runs as nobody where it can (this test as root on
      // Linux), with a cache of its own: it fetches and checks cJSON itself.
      const home = join(work, "home");
      mkdirSync(home);
      const user = asNobody ? NOBODY : undefined;
      if (user) for (const d of [work, home, b, join(work, "a much longer"), join(work, "a much longer", "directory name")]) chownSync(d, user, user);
      if (user) spawnSync("chown", ["-R", `${user}:${user}`, b]);
      const first = await build(["--root", a, "--out", join(a, "out"), "--force"]);
      const second = await build(["--root", b, "--out", join(b, "out"), "--force"], {
        user,
        env: { HOME: home, VC_CACHE_DIR: join(home, "cache") },
      });
      expect(first.code, first.output).toBe(0);
      expect(second.code, second.output).toBe(0);
      if (user) expect(second.output).toMatch(/cJSON 1\.7\.18: release tarball from .*, sha256 verified/);
      console.log(`second build ran as ${user ? "nobody (uid 65534)" : "this user"}`);

      const moduleA = readFileSync(join(a, "out/vc.wasm"));
      const moduleB = readFileSync(join(b, "out/vc.wasm"));
      expect(sha256(moduleB)).toBe(sha256(moduleA));
      expect(Buffer.compare(moduleA, readFileSync(join(root, "build/vc.wasm")))).toBe(0);
      expect(Buffer.compare(readFileSync(join(a, "out/vc-test.wasm")), readFileSync(join(b, "out/vc-test.wasm")))).toBe(0);
      expect(wasmAbi(moduleA)).toEqual(expectedAbi);
      // It prints what it wrote: size and sha256.
      const size = moduleA.byteLength.toLocaleString("en-US");
      expect(first.output).toContain(`vc.wasm: ${size} bytes, sha256 ${sha256(moduleA)}`);
    },
    300_000,
  );

  it(
    "skips a build whose inputs are unchanged, and rebuilds when a source changes",
    async () => {
      const out = join(a, "out");
      expect((await build(["--root", a, "--out", out])).output).toContain("up to date (inputs unchanged)");
      writeFileSync(join(a, "src/health.c"), `${readFileSync(join(a, "src/health.c"), "utf8")}\n/* changed */\n`);
      expect((await build(["--root", a, "--out", out])).output).toContain("built with");
    },
    300_000,
  );

  it(
    "fails, naming the limit, when the module is over 64 KB",
    async () => {
      const dir = sourceCopy(work, ["big"]);
      const bytes = Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251).join(",");
      writeFileSync(
        join(dir, "src/zz_bloat.c"),
        `#include <stddef.h>\nstatic const unsigned char blob[] = {${bytes}};\n` +
          `__attribute__((export_name("bloat"))) const unsigned char *bloat(size_t i);\n` +
          `const unsigned char *bloat(size_t i) { return blob + i; }\n`,
      );
      const result = await build(["--root", dir, "--out", join(dir, "out")]);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/vc\.wasm is \d+ bytes, over the 65536-byte limit/);
      expect(existsSync(join(dir, "out/vc.wasm"))).toBe(false);
    },
    300_000,
  );

  it(
    "builds, with --names, only vc.wasm with the same code and its function names (for profiles), and only into --out",
    async () => {
      const dir = sourceCopy(work, ["names"]);
      const result = await build(["--root", dir, "--out", join(dir, "out"), "--names"]);
      expect(result.code, result.output).toBe(0);
      expect(readdirSync(join(dir, "out")).filter((f) => f.endsWith(".wasm"))).toEqual(["vc.wasm"]);
      const named = readFileSync(join(dir, "out/vc.wasm"));
      const deployed = readFileSync(join(root, "build/vc.wasm"));
      expect(codeSection(named).equals(codeSection(deployed))).toBe(true);
      expect(functionNames(deployed).size).toBe(0);
      const names = [...functionNames(named).values()];
      for (const name of ["vc_start", "json_out_str", "parse_string", "strlen"]) expect(names).toContain(name);
      const refused = await build(["--root", dir, "--names"]);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain("--names needs --out DIR");
    },
    300_000,
  );

  // build.sh: the same build from a POSIX shell, with the same arguments, from any directory.
  it.skipIf(process.platform === "win32")(
    "runs from build.sh (executable, committed as such) with the arguments given, from another directory",
    async () => {
      expect(statSync(join(root, "build.sh")).mode & 0o111).toBe(0o111);
      expect(spawnSync("git", ["ls-files", "-s", "build.sh"], { cwd: root, encoding: "utf8" }).stdout).toMatch(/^100755 /);
      const sh = (args, env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` }) =>
        spawnSync(join(root, "build.sh"), args, { cwd: work, encoding: "utf8", env, timeout: 150_000 });
      const out = join(work, "from-build-sh");
      const built = sh(["--root", a, "--out", out, "--force"]);
      expect(built.status, built.stderr).toBe(0);
      expect(Buffer.compare(readFileSync(join(out, "vc.wasm")), readFileSync(join(root, "build/vc.wasm")))).toBe(0);
      const refused = sh(["--toolchain", "nope"]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain("build: error: unknown toolchain 'nope' (one of: yowasp, wasi-sdk, debian)");
      const noNode = sh([], { PATH: "/nonexistent" });
      expect(noNode.status).toBe(127);
      expect(noNode.stderr).toBe("build.sh: node not found on PATH (the build needs Node.js; see README.md)\n");
    },
    300_000,
  );

  const debianInstalled = existsSync("/usr/lib/wasm32-wasi/libc.a") && spawnSync("clang-19", ["--version"]).status === 0;
  it.skipIf(!debianInstalled && !process.env.CI)(
    "builds with Debian's clang when asked to (VC_WASM_TOOLCHAIN=debian), with the same imports and exports",
    async () => {
      const dir = sourceCopy(work, ["debian"]);
      const result = await build(["--root", dir, "--out", join(dir, "out"), "--toolchain", "debian"], {
        env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
      });
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("built with clang-19");
      expect(wasmAbi(readFileSync(join(dir, "out/vc.wasm")))).toEqual(expectedAbi);
    },
    300_000,
  );
});
