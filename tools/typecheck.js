// typecheck.js - `npm run typecheck` (and part of `npm test`): the shim's and
// the tools' JavaScript checked against their JSDoc types with the pinned
// TypeScript, `tsc --noEmit`: shim/ against the Workers runtime's types
// (@cloudflare/workers-types), tools/ against Node's (@types/node). Prints one
// line per project; tsc's own errors otherwise.
import "./lib/node-version.js"; // first: an older Node stops here, with one line
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const typescript = join(root, "node_modules", "typescript");
const { version, bin } = JSON.parse(readFileSync(join(typescript, "package.json"), "utf8"));
const tsc = join(typescript, typeof bin === "string" ? bin : bin.tsc);

let failed = 0;
for (const project of ["shim", "tools"]) {
  const run = spawnSync(process.execPath, [tsc, "-p", join(root, project), "--noEmit", "--pretty", "false"], { cwd: root, encoding: "utf8" });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trim();
  if (run.status === 0 && output === "") {
    console.error(`typecheck: ${project}/: no errors (TypeScript ${version})`);
  } else {
    failed++;
    console.error(`${output || run.error?.message || `tsc exited ${run.status}`}\ntypecheck: ${project}/: failed (TypeScript ${version})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
