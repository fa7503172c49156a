// test.js - `npm test`, the same on every OS: the wasm build, the type-check
// of the shim and the tools (typecheck.js), the native C tests and fuzzers (where a clang with sanitizer runtimes is found), then
// every vitest suite, the browser tests included (where a Chromium is found).
// What cannot run here is skipped with one line saying so and what to
// install; under CI=true that is a failure. Ends with vitest's
// "vitest: N passed, N failed" line.
import "./lib/node-version.js"; // first: an older Node stops here, with one line
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_HINT, findChromium } from "../test/support/chromium.js";
import { runVitest } from "../test/support/run-vitest.js";
import { INSTALL_HINT, findNativeCc } from "./lib/native-cc.js";

const here = dirname(fileURLToPath(import.meta.url));
const node = (/** @type {string} */ script, /** @type {string[]} */ ...args) => spawnSync(process.execPath, [join(here, script), ...args], { stdio: "inherit" }).status;

if (node("build.js") !== 0) process.exit(1);
if (node("typecheck.js") !== 0) process.exit(1);

const skipped = [];
if (!findNativeCc({ log: (line) => console.error(`native: ${line}`) })) {
  skipped.push(`native: skipped the ASan/UBSan C tests and the libFuzzer fuzzers: no clang with sanitizer runtimes found (${INSTALL_HINT})`);
} else if (node("native.js", "test") !== 0 || node("native.js", "fuzz") !== 0) {
  process.exit(1);
}
if (!findChromium()) skipped.push(`browser: skipped the tests in Chromium: no Chromium found (${CHROMIUM_HINT})`);
if (skipped.length > 0 && process.env.CI) {
  console.error(`${skipped.join("\n")}\nCI=true: nothing may be skipped.`);
  process.exit(1);
}
for (const line of skipped) console.error(line);

const { status, summary } = runVitest(process.argv.slice(2));
for (const line of skipped) console.log(line);
console.log(summary);
process.exit(status);
