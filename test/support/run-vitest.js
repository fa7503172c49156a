// Runs the vitest suites (as `vitest run` would) and ends with one plain
// line, "vitest: N passed, N failed", that CI reads; exits with vitest's code.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url).pathname;
const results = `${root}build/vitest-results.json`;
mkdirSync(`${root}build`, { recursive: true });
const vitest = `${root}node_modules/vitest/vitest.mjs`;
const run = spawnSync(
  process.execPath,
  [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${results}`, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(results, "utf8"));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.success || run.status === 0 ? 0 : report.numFailedTestSuites);
} catch {
  failed = 1;
}
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`vitest: ${passed} passed, ${failed} failed`);
process.exit(run.status ?? 1);
