// toolchains.js - the C-to-wasm compilers the build can use, behind one call:
// run(args, tree, outputs) compiles or links over a tree of { path: bytes } and
// returns the named output files. Paths in args are relative to the tree's root, so
// nothing about the machine (its directories, its user) reaches the module.
//   yowasp   (default) clang 22 and wasi-libc from the pinned @yowasp/clang
//            npm package, itself WebAssembly run by Node: no system packages.
//   wasi-sdk a wasi-sdk install at WASI_SDK_PATH (default /opt/wasi-sdk).
//   debian   Debian's clang-19, lld-19 and wasi-libc.
// Ownership: run returns a fresh object of buffers; the tree is not changed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const TOOLCHAINS = ["yowasp", "wasi-sdk", "debian"];

/**
 * @typedef {import("@yowasp/clang").Tree} FileTree  files by name; a folder is a nested tree
 * @typedef {{
 *   name: string, id: string, target: string[],
 *   run(args: string[], tree: FileTree, outputs: string[]): Promise<Record<string, Buffer>>,
 * }} Toolchain
 */

/** @returns {value is Uint8Array | string} */
const isFile = (/** @type {FileTree[string]} */ value) => value instanceof Uint8Array || typeof value === "string";

/** @param {FileTree} tree @param {string} [prefix] @param {Record<string, Uint8Array | string>} [out] */
function flatten(tree, prefix = "", out = {}) {
  for (const [name, value] of Object.entries(tree)) {
    if (isFile(value)) out[prefix + name] = value;
    else flatten(value, `${prefix}${name}/`, out);
  }
  return out;
}

/** @param {Record<string, Uint8Array | string>} files @param {string[]} outputs @param {string} who */
function pick(files, outputs, who) {
  /** @type {Record<string, Buffer>} */
  const picked = {};
  for (const name of outputs) {
    if (!files[name]) throw new Error(`${who} did not write ${name}`);
    picked[name] = Buffer.from(files[name]);
  }
  return picked;
}

/** @returns {Promise<Toolchain>} */
async function yowasp() {
  // The package's types (lib/api.d.ts) do not name these two exports yet.
  const { runClang, version } = /** @type {{ runClang: import("@yowasp/clang").Command, version: string }} */ (
    /** @type {unknown} */ (await import("@yowasp/clang"))
  );
  /** @type {ReturnType<typeof runClang> | null} */
  // The first run loads the compiler's resources; only a direct call takes the
  // option that keeps it from printing its progress. Done on first use, so a
  // build that turns out to be up to date does not pay for it.
  let loaded = null;
  const load = () => (loaded ??= runClang(["clang", "--version"], {}, { fetchProgress: () => {}, stdout: null, stderr: null }));
  return {
    name: "yowasp",
    id: `@yowasp/clang ${version}`,
    target: ["--target=wasm32-wasip1"],
    async run(args, tree, outputs) {
      await load();
      let stderr = "";
      const options = { fetchProgress: () => {}, stdout: null, stderr: (/** @type {Uint8Array | null} */ bytes) => { if (bytes) stderr += Buffer.from(bytes).toString("utf8"); } };
      let files;
      try {
        files = await runClang(["clang", ...args], copyTree(tree), options);
      } catch (error) {
        throw new Error(`clang failed (exit ${/** @type {{ code?: number }} */ (error).code ?? "?"}):\n${stderr}`);
      }
      if (stderr.trim()) process.stderr.write(stderr);
      return pick(flatten(files ?? {}), outputs, "clang");
    },
  };
}

// runClang writes its outputs into the tree it is given; each call gets its own.
/** @param {FileTree} tree @returns {FileTree} */
function copyTree(tree) {
  /** @type {FileTree} */
  const copy = {};
  for (const [name, value] of Object.entries(tree)) copy[name] = isFile(value) ? value : copyTree(value);
  return copy;
}

// A compiler on this machine: the tree is written to a temporary directory,
// clang runs there, and the outputs are read back.
/** @param {string} name @param {string} cc @param {string[]} target @returns {Toolchain | null} */
function system(name, cc, target) {
  const probe = spawnSync(cc, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return null;
  return {
    name,
    id: `${cc}: ${probe.stdout.split("\n")[0]}`,
    target,
    async run(args, tree, outputs) {
      const dir = mkdtempSync(join(tmpdir(), "vc-cc-"));
      try {
        const inputs = flatten(tree);
        for (const [path, bytes] of Object.entries(inputs)) {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), bytes);
        }
        const result = spawnSync(cc, args, { cwd: dir, encoding: "utf8" });
        if (result.error || result.status !== 0) throw new Error(`${cc} failed:\n${result.stderr || result.error}`);
        if (result.stderr.trim()) process.stderr.write(result.stderr);
        /** @type {Record<string, Buffer>} */
        const written = {};
        for (const name of outputs) if (existsSync(join(dir, name))) written[name] = readFileSync(join(dir, name));
        return pick(written, outputs, cc);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** @type {Record<string, string>} */
const INSTALL_HINT = {
  "wasi-sdk": "install wasi-sdk and set WASI_SDK_PATH to it",
  debian: "sudo apt-get install clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32",
};

/** @param {string} [name] @returns {Promise<Toolchain>} */
export async function selectToolchain(name = process.env.VC_WASM_TOOLCHAIN || "yowasp") {
  if (name === "yowasp") return yowasp();
  let toolchain = null;
  if (name === "wasi-sdk") {
    const sdk = process.env.WASI_SDK_PATH || "/opt/wasi-sdk";
    const cc = join(sdk, "bin", process.platform === "win32" ? "clang.exe" : "clang");
    toolchain = existsSync(cc) ? system(name, cc, ["--target=wasm32-wasip1", `--sysroot=${join(sdk, "share", "wasi-sysroot")}`]) : null;
  } else if (name === "debian") {
    toolchain = existsSync("/usr/lib/wasm32-wasi/libc.a") ? system(name, "clang-19", ["--target=wasm32-wasi"]) : null;
  } else {
    throw new Error(`unknown toolchain '${name}' (one of: ${TOOLCHAINS.join(", ")})`);
  }
  if (!toolchain) throw new Error(`the ${name} toolchain is not installed: ${INSTALL_HINT[name]} (or build with the default, yowasp)`);
  return toolchain;
}
