// build.js - `npm run build`: builds build/vc.wasm (and build/vc-test.wasm)
// with nothing but Node and the pinned npm packages, on Linux, macOS and
// Windows, as any user. Prints each module's size and sha256; fails above
// the 64 KB limit. A build whose inputs (sources, cJSON, pins, toolchain,
// these scripts) are unchanged since the last one is skipped.
//
//   node tools/build.js [--out DIR] [--root DIR] [--toolchain yowasp|wasi-sdk|debian] [--force] [--names]
//   node tools/build.js deps      fetch and verify cJSON, print its directory
//
// --names builds only vc.wasm, keeping its function names: the same code, for
// profiles (BENCH_ONLY=instr npm run bench); never deployed.
//
// Environment: VC_WASM_TOOLCHAIN (default yowasp), WASI_SDK_PATH, CJSON_SRC,
// VC_CACHE_DIR (where fetched sources are kept).
import "./lib/node-version.js"; // first: an older Node stops here, with one line
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { obtainCjson } from "./lib/cjson.js";
import { sha256, writeAtomically } from "./lib/files.js";
import { WASM_SIZE_GOAL, WASM_SIZE_LIMIT } from "./lib/pins.js";
import { selectToolchain } from "./lib/toolchains.js";
import { buildModules, modulesFor, sourceTree } from "./lib/wasm-build.js";

const here = dirname(fileURLToPath(import.meta.url));
const say = (/** @type {string} */ line) => console.error(`build: ${line}`);

// Everything a module depends on, hashed: a build is skipped only when all of it is unchanged.
/**
 * @param {import("./lib/toolchains.js").Toolchain} toolchain @param {ReturnType<typeof sourceTree>} tree @param {boolean} names
 */
function inputsKey(toolchain, tree, names) {
  const hash = createHash("sha256").update(`${toolchain.id}${names ? " names" : ""}\n`);
  const binaryenPackage = JSON.parse(readFileSync(join(here, "../node_modules/binaryen/package.json"), "utf8"));
  hash.update(`binaryen ${binaryenPackage.version}\n`);
  const scripts = [join(here, "build.js"), ...readdirSync(join(here, "lib")).sort().map((f) => join(here, "lib", f))];
  for (const file of scripts) hash.update(`${relative(here, file)}\n`).update(readFileSync(file));
  for (const [dir, files] of Object.entries(tree)) for (const [name, bytes] of Object.entries(files)) hash.update(`${dir}/${name}\n`).update(bytes);
  return hash.digest("hex");
}

/** @param {string} out @param {string} file @param {Buffer} bytes */
function report(out, file, bytes) {
  const size = bytes.byteLength;
  const shown = relative(process.cwd(), join(out, file));
  say(`${shown.startsWith("..") ? join(out, file) : shown}: ${size.toLocaleString("en-US")} bytes, sha256 ${sha256(bytes)}`);
  if (file !== "vc.wasm") return;
  if (size > WASM_SIZE_LIMIT) throw new Error(`${file} is ${size} bytes, over the ${WASM_SIZE_LIMIT}-byte limit`);
  if (size > WASM_SIZE_GOAL) say(`warning: ${file} is over the ${WASM_SIZE_GOAL}-byte goal`);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: "string" }, root: { type: "string" }, toolchain: { type: "string" }, force: { type: "boolean" }, names: { type: "boolean" } },
  });
  const cjson = await obtainCjson({ log: say });
  if (positionals[0] === "deps") {
    console.log(cjson.dir);
    return;
  }
  if (positionals.length > 0) throw new Error(`unknown target '${positionals[0]}' (only: deps)`);
  const root = resolve(values.root ?? join(here, ".."));
  const out = resolve(values.out ?? join(root, "build"));
  const toolchain = await selectToolchain(values.toolchain);
  const tree = sourceTree(root, cjson.files);
  const names = values.names === true;
  if (names && !values.out) throw new Error("--names needs --out DIR (it is never the Worker's module)");
  const modules = modulesFor({ names });
  const key = inputsKey(toolchain, tree, names);
  const stamp = join(out, ".wasm-inputs");
  const upToDate =
    !values.force && existsSync(stamp) && readFileSync(stamp, "utf8") === key && modules.every(({ file }) => existsSync(join(out, file)));
  if (upToDate) {
    for (const { file } of modules) report(out, file, readFileSync(join(out, file)));
    say("up to date (inputs unchanged)");
    return;
  }
  const started = Date.now();
  const built = await buildModules(toolchain, tree, { names });
  mkdirSync(out, { recursive: true });
  for (const [file, bytes] of Object.entries(built)) report(out, file, bytes);
  for (const [file, bytes] of Object.entries(built)) writeAtomically(join(out, file), bytes);
  writeAtomically(stamp, key);
  say(`built with ${toolchain.id} and binaryen -Oz in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  say(`error: ${error.message}`);
  process.exit(1);
});
