// files.js - the two file helpers the build scripts share: a file's sha256,
// and a write that a reader never sees half done.
// Ownership: nothing is kept; the caller's buffers are only read.
import { createHash } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";

export const sha256 = (/** @type {string | NodeJS.ArrayBufferView} */ bytes) => createHash("sha256").update(bytes).digest("hex");

/** @param {string} path @param {string | NodeJS.ArrayBufferView} bytes */
export function writeAtomically(path, bytes) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}
