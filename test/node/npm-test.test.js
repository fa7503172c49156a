// `npm test` (tools/test.js) without a clang that can run the native tests
// and without a Chromium: it says so, one line for each, with what to
// install, and still runs vitest; under CI=true the same is a failure before
// vitest starts. VC_NATIVE_CC and CHROMIUM_PATH name programs that do not
// exist, so the probes fail the way a machine without them does. (The vitest
// run it starts is given no test files.)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SKIPPED_NATIVE =
  "native: skipped the ASan/UBSan C tests and the libFuzzer fuzzers: no clang with sanitizer runtimes found " +
  "(Debian/Ubuntu: sudo apt-get install clang-19 libclang-rt-19-dev libssl-dev; elsewhere: an LLVM clang with compiler-rt and OpenSSL's libcrypto, named by VC_NATIVE_CC)";
const SKIPPED_BROWSER =
  "browser: skipped the tests in Chromium: no Chromium found " +
  "(Debian/Ubuntu: sudo apt-get install chromium; elsewhere set CHROMIUM_PATH to a Chromium or Chrome)";

function run(script, args, env) {
  const { CI, ...rest } = process.env;
  return spawnSync(process.execPath, [join(root, script), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 170_000,
    env: { ...rest, VC_NATIVE_CC: "/nonexistent/clang", CHROMIUM_PATH: "/nonexistent/chromium", ...env },
  });
}

describe("npm test without a native clang", () => {
  it("native.js exits 3 with one line saying what is missing", () => {
    const result = run("tools/native.js", ["test"], {});
    expect(result.status).toBe(3);
    expect(result.stderr.trim().split("\n")).toEqual([
      "native: no clang with ASan/UBSan and libFuzzer runtimes found " +
        "(Debian/Ubuntu: sudo apt-get install clang-19 libclang-rt-19-dev libssl-dev; elsewhere: an LLVM clang with compiler-rt and OpenSSL's libcrypto, named by VC_NATIVE_CC)",
    ]);
  });

  it("still runs the build and vitest, and ends with the lines saying what it skipped", () => {
    const result = run("tools/test.js", ["--passWithNoTests", "test/no-such-suite"], {});
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain("build: build/vc.wasm:");
    const lines = result.stdout.trim().split("\n");
    expect(lines.slice(-3)).toEqual([SKIPPED_NATIVE, SKIPPED_BROWSER, "vitest: 0 passed, 0 failed"]);
    // Each said once at the start and once at the end, and nothing else about them.
    expect(`${result.stderr}${result.stdout}`.match(/no clang/g)).toHaveLength(2);
    expect(`${result.stderr}${result.stdout}`.match(/no Chromium/g)).toHaveLength(2);
  }, 180_000);

  it("fails under CI=true before vitest starts", () => {
    const result = run("tools/test.js", [], { CI: "true" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${SKIPPED_NATIVE}\n${SKIPPED_BROWSER}\nCI=true: nothing may be skipped.`);
    expect(result.stderr.match(/no clang/g)).toHaveLength(1);
    expect(result.stdout).not.toContain("vitest:");
  }, 180_000);
});
