// The project's package.json as npm 12 and an older Node meet it:
// allowScripts decides for every locked package that has an install script
// (and names no other), and every command npm runs checks the Node version
// before anything else, so that an older Node stops with one line.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
const nameOf = (path) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);

describe("package.json", () => {
  it("decides in allowScripts for exactly the locked packages with install scripts, and approves none", () => {
    const withScripts = new Set(
      Object.entries(lock.packages)
        .filter(([path, entry]) => path !== "" && entry.hasInstallScript)
        .map(([path]) => nameOf(path)),
    );
    expect([...withScripts].sort()).toEqual(Object.keys(manifest.allowScripts).sort());
    // Nothing the project runs needs them: esbuild and workerd ship their binaries as optional packages.
    expect(Object.values(manifest.allowScripts)).toEqual(Object.keys(manifest.allowScripts).map(() => false));
  });

  it("pins every direct dependency exactly, and the lockfile holds those versions", () => {
    for (const [name, version] of Object.entries(manifest.devDependencies)) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
    expect(lock.packages[""].devDependencies).toEqual(manifest.devDependencies);
    expect(lock.packages["node_modules/@cloudflare/vitest-pool-workers"]).toBeUndefined(); // renamed: @cloudflare/vitest-plugin
  });

  it("asks for Node 22.12 or newer, and every npm script checks it first", () => {
    expect(manifest.engines).toEqual({ node: ">=22.12.0" });
    expect(lock.packages[""].engines).toEqual(manifest.engines);
    const entries = new Set();
    for (const [script, command] of Object.entries(manifest.scripts)) {
      if (script === "deploy") continue; // wrangler checks its own Node
      for (const part of command.split("&&")) {
        const m = /^\s*node (\S+\.js)\b/.exec(part);
        expect(m, `${script}: ${part}`).not.toBeNull();
        entries.add(m[1]);
      }
    }
    for (const entry of entries) {
      const source = readFileSync(join(root, entry), "utf8");
      const firstImport = /^import\s+(?:[^"]*from\s+)?"([^"]+)"/m.exec(source);
      expect(firstImport?.[1], entry).toMatch(/^(\.\/|\.\.\/|\.\.\/\.\.\/tools\/)lib\/node-version\.js$/);
    }
    expect(entries.size).toBeGreaterThanOrEqual(5);
  });
});
