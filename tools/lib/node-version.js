// node-version.js - the Node.js the project needs, said once: package.json's
// `engines.node` (">=MAJOR.MINOR.PATCH"). Imported first by every command
// (`npm test`, `npm start`, the build, the native tests, the bench), so that
// an older Node stops at once with one line instead of failing later in a
// dependency. Importing it checks; `nodeProblem` is the check itself.
// Ownership: nothing is kept; answers are new strings.
import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));

/** The version package.json asks for, as [major, minor, patch]. */
export function neededNode(range = manifest.engines.node) {
  const m = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!m) throw new Error(`package.json engines.node is "${range}": expected ">=MAJOR.MINOR.PATCH"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * null when `version` (as process.versions.node gives it) is new enough; otherwise the one line to print.
 * @param {string} version
 * @param {string} [range]
 */
export function nodeProblem(version, range) {
  const needed = neededNode(range);
  const have = version.split(".").map((part) => Number.parseInt(part, 10));
  for (let i = 0; i < 3; i++) {
    if (have[i] > needed[i]) return null;
    if (have[i] < needed[i]) return `${manifest.name} needs Node.js ${needed.slice(0, 2).join(".")} or newer; this is Node.js ${version} (${process.execPath}).`;
  }
  return null;
}

const problem = nodeProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exit(1);
}
