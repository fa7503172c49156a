// The type-check `npm test` runs (tools/typecheck.js): the shim and the tools
// pass it, and it catches what it is for: a copy of the shim with one wrong
// argument type, and one using a Workers API wrongly, fail with tsc's error.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");
const probe = join(root, "build/typecheck-probe");
const node = (args) => spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 120_000 });

// A copy of shim/ under build/ (so that node_modules resolves), with `edit` applied to one file.
function shimCopy(name, file, edit) {
  const dir = join(probe, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, "shim"), dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return dir;
}

describe("npm run typecheck", () => {
  afterAll(() => rmSync(probe, { recursive: true, force: true }));

  it("passes on the shim and the tools, one line each", () => {
    const run = node([join(root, "tools/typecheck.js")]);
    expect(run.status, run.stderr).toBe(0);
    const version = JSON.parse(readFileSync(join(root, "node_modules/typescript/package.json"), "utf8")).version;
    expect(run.stderr).toBe(`typecheck: shim/: no errors (TypeScript ${version})\ntypecheck: tools/: no errors (TypeScript ${version})\n`);
  });

  it("fails on a shim that passes a number where linear memory takes a string", () => {
    const dir = shimCopy("argument", "host.js", (text) => text.replace("return value === null ? abi.E_NOTFOUND : putText(value, ptr, cap);", "return putText(ptr, ptr, cap);"));
    const run = node([tsc, "-p", dir, "--pretty", "false"]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/host\.js\(\d+,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'\./);
  });

  it("fails on a shim that reads a Request property workerd does not have", () => {
    const dir = shimCopy("workers-api", "host.js", (text) => text.replace("at = mem.putLine(request.method, ptr, cap, at);", "at = mem.putLine(request.verb, ptr, cap, at);"));
    const run = node([tsc, "-p", dir, "--pretty", "false"]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/host\.js\(\d+,\d+\): error TS2339: Property 'verb' does not exist on type 'Request/);
  });

  it("is part of npm test, right after the build", () => {
    const source = readFileSync(join(root, "tools/test.js"), "utf8");
    expect(source).toContain('if (node("build.js") !== 0) process.exit(1);\nif (node("typecheck.js") !== 0) process.exit(1);\n');
  });
});
