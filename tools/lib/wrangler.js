// wrangler.js - where the pinned wrangler's command-line entry is, for the
// scripts that run it with this Node (`npm start`, the bundle tests, the
// bench). wrangler exports no `bin/` subpath, so the path is read from its
// package.json's `bin`, as npm itself does.
// Ownership: nothing is kept; the answer is a new string.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export function wranglerBin() {
  const manifest = createRequire(import.meta.url).resolve("wrangler/package.json");
  const { bin } = JSON.parse(readFileSync(manifest, "utf8"));
  return join(dirname(manifest), typeof bin === "string" ? bin : bin.wrangler);
}
