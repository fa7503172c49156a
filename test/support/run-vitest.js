// Runs the vitest suites (as `vitest run` would) and ends with one plain
// line, "vitest: N passed, N failed", that CI reads; exits with vitest's code.
// `runVitest` is also what `npm test` (tools/test.js) calls.
import "../../tools/lib/node-version.js"; // first: an older Node stops here, with one line
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** @param {string[]} [args] */
export function runVitest(args = []) {
  const results = join(root, "build", "vitest-results.json");
  mkdirSync(join(root, "build"), { recursive: true });
  const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
  const run = spawnSync(
    process.execPath,
    [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${results}`, ...args],
    { cwd: root, stdio: "inherit" },
  );
  let passed = 0;
  let failed = 0;
  try {
    const report = JSON.parse(readFileSync(results, "utf8"));
    passed = report.numPassedTests;
    // A suite that failed without a failed test (it did not load, or threw outside a test) counts once.
    failed = report.numFailedTests || (run.status === 0 ? 0 : Math.max(1, report.numFailedTestSuites));
  } catch {
    failed = 1;
  }
  if (run.status !== 0 && failed === 0) failed = 1;
  return { status: run.status ?? 1, summary: `vitest: ${passed} passed, ${failed} failed` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { status, summary } = runVitest(process.argv.slice(2));
  console.log(summary);
  process.exit(status);
}
