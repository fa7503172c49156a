// native.js - the C core's native tests and fuzzers, with clang's sanitizers.
//
//   node tools/native.js test         C tests of every handler path against a fake host, and each fuzz
//                                     target's seed corpus and crash regressions replayed, under ASan + UBSan
//   node tools/native.js fuzz [S]     each libFuzzer target for S seconds (default FUZZ_SECONDS; 60 in CI, else 10)
//
// Needs a clang with sanitizer and libFuzzer runtimes (lib/native-cc.js); exits
// 3 with one line saying what to install when there is none.
import "./lib/node-version.js"; // first: an older Node stops here, with one line
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { obtainCjson } from "./lib/cjson.js";
import { INSTALL_HINT, SANITIZE, SANITIZER_ENV, findNativeCc, sanitize } from "./lib/native-cc.js";
import { DEFINES, WARNINGS, cjsonFlags } from "./lib/pins.js";

const NO_NATIVE_CC = 3;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FUZZ_TARGETS = ["request", "upstream", "response", "token"];
const SUPPORT = ["test/native/fake_host.c", "test/native/check.c"].map((f) => join(root, f));
const say = (/** @type {string} */ line) => console.error(`native: ${line}`);

/** @typedef {import("./lib/native-cc.js").NativeCc} NativeCc */

/** @param {string} command @param {string[]} args @param {{ cwd?: string, env?: Record<string, string> }} [options] */
function run(command, args, { cwd = root, env } = {}) {
  const result = spawnSync(command, args, { cwd, stdio: "inherit", env: env && { ...process.env, ...env } });
  if (result.error) throw result.error;
  return result.status === 0;
}

/** @param {string} command @param {string[]} args @param {{ cwd?: string, env?: Record<string, string> }} [options] */
function mustRun(command, args, options) {
  if (!run(command, args, options)) throw new Error(`failed: ${command} ${args.slice(-3).join(" ")}`);
}

// src/*.c and cJSON compiled with the given flags into outDir; returns the object paths.
/** @param {NativeCc} toolchain @param {string} cjsonDir @param {string} outDir @param {string[]} flags */
function compileObjects(toolchain, cjsonDir, outDir, flags) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const sources = readdirSync(join(root, "src")).filter((f) => f.endsWith(".c")).sort();
  const includes = [`-I${join(root, "include")}`, `-I${cjsonDir}`];
  mustRun(toolchain.cc, [...flags, ...WARNINGS, ...DEFINES, ...includes, "-c", ...sources.map((f) => join(root, "src", f))], { cwd: outDir });
  mustRun(toolchain.cc, [...flags, ...cjsonFlags(join(root, "include")), `-I${cjsonDir}`, "-c", join(cjsonDir, "cJSON.c")], { cwd: outDir });
  return [...sources.map((f) => join(outDir, f.replace(/\.c$/, ".o"))), join(outDir, "cJSON.o")];
}

/** @param {string} cjsonDir @param {string[]} sanitizerFlags */
function linkFlags(cjsonDir, sanitizerFlags) {
  return [...sanitizerFlags, ...WARNINGS, ...DEFINES, "-Wno-missing-prototypes", `-I${join(root, "include")}`, `-I${join(root, "test/native")}`, `-I${cjsonDir}`];
}

/** @param {NativeCc} toolchain @returns {Record<string, string>} */
function sanitizerEnv(toolchain) {
  return toolchain.symbolizer ? { ...SANITIZER_ENV, ASAN_SYMBOLIZER_PATH: toolchain.symbolizer } : SANITIZER_ENV;
}

/** @param {NativeCc} toolchain @param {string} cjsonDir */
function runTests(toolchain, cjsonDir) {
  const out = join(root, "build/native");
  const objects = compileObjects(toolchain, cjsonDir, join(out, "obj"), SANITIZE);
  const link = linkFlags(cjsonDir, SANITIZE);
  let failed = 0;
  const tests = readdirSync(join(root, "test/native")).filter((f) => /^test_.*\.c$/.test(f)).sort();
  for (const test of tests) {
    const bin = join(out, test.replace(/\.c$/, ""));
    mustRun(toolchain.cc, [...link, join(root, "test/native", test), ...SUPPORT, ...objects, "-lm", "-lcrypto", "-o", bin]);
    if (!run(bin, [], { env: sanitizerEnv(toolchain) })) failed++;
  }
  for (const target of FUZZ_TARGETS) {
    const bin = join(out, `replay_${target}`);
    mustRun(toolchain.cc, [...link, join(root, `test/fuzz/fuzz_${target}.c`), join(root, "test/fuzz/replay.c"), ...SUPPORT, ...objects, "-lm", "-lcrypto", "-o", bin]);
    const dirs = [join(root, "test/fuzz/corpus", target), join(root, "test/fuzz/regressions", target)];
    if (!run(bin, [`fuzz-${target}-replay`, ...dirs], { env: sanitizerEnv(toolchain) })) failed++;
  }
  return failed === 0;
}

// Each target from its seed corpus with the JSON dictionary. A crash stops the
// run; its input lands in build/fuzz/crashes/ and belongs in test/fuzz/regressions/<target>/.
/** @param {NativeCc} toolchain @param {string} cjsonDir @param {number} seconds */
function runFuzzers(toolchain, cjsonDir, seconds) {
  const out = join(root, "build/fuzz");
  const objects = compileObjects(toolchain, cjsonDir, join(out, "obj"), sanitize("fuzzer-no-link"));
  const link = linkFlags(cjsonDir, sanitize("fuzzer"));
  mkdirSync(join(out, "crashes"), { recursive: true });
  let failed = 0;
  for (const target of FUZZ_TARGETS) {
    const bin = join(out, `fuzz_${target}`);
    mustRun(toolchain.cc, [...link, join(root, `test/fuzz/fuzz_${target}.c`), ...SUPPORT, ...objects, "-lm", "-lcrypto", "-o", bin]);
    const corpus = join(out, `corpus-${target}`);
    rmSync(corpus, { recursive: true, force: true });
    cpSync(join(root, "test/fuzz/corpus", target), corpus, { recursive: true });
    const log = join(out, `${target}.log`);
    const args = [
      `-max_total_time=${seconds}`, `-dict=${join(root, "test/fuzz/json.dict")}`, "-max_len=4096", "-timeout=10",
      "-rss_limit_mb=2048", "-print_final_stats=1", `-artifact_prefix=${join(out, "crashes", `${target}-`)}`, corpus,
    ];
    const result = spawnSync(bin, args, { cwd: out, env: { ...process.env, ...sanitizerEnv(toolchain) }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const text = `${result.stdout}${result.stderr}`;
    writeFileSync(log, text);
    if (result.status === 0) {
      const executions = /stat::number_of_executed_units:\s*(\d+)/.exec(text)?.[1] ?? "?";
      say(`fuzz_${target}: ${executions} executions in ${seconds} s, no crash`);
    } else {
      say(`fuzz_${target}: CRASH (see ${log} and ${join(out, "crashes")})`);
      process.stderr.write(text.split("\n").slice(-40).join("\n"));
      failed++;
    }
  }
  return failed === 0;
}

async function main() {
  const [mode = "test", secondsArg] = process.argv.slice(2);
  if (mode !== "test" && mode !== "fuzz") throw new Error(`unknown mode '${mode}' (test, fuzz)`);
  const toolchain = findNativeCc({ log: say });
  if (!toolchain) {
    say(`no clang with ASan/UBSan and libFuzzer runtimes found (${INSTALL_HINT})`);
    process.exit(NO_NATIVE_CC);
  }
  const { dir: cjsonDir } = await obtainCjson({ log: say });
  const seconds = Number(secondsArg ?? process.env.FUZZ_SECONDS ?? (process.env.CI ? 60 : 10));
  const ok = mode === "test" ? runTests(toolchain, cjsonDir) : runFuzzers(toolchain, cjsonDir, seconds);
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  say(`error: ${error.message}`);
  process.exit(1);
});
