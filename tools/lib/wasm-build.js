// wasm-build.js - compiles src/*.c and cJSON into the Worker's reactor module
// and its test twin, then optimizes both with binaryen's wasm-opt passes
// (-Oz) from the pinned `binaryen` npm package. Every path handed to the
// compiler is relative to a tree built in memory, so the same sources, pins
// and lockfile give the same bytes on every machine.
// Ownership: buildModules returns fresh buffers; it writes no files.
import binaryen from "binaryen";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFINES, MAX_MEMORY_PAGES, STACK_SIZE, WARNINGS, WASM_FEATURES, cjsonFlags } from "./pins.js";

const MODULES = [
  { file: "vc.wasm", defines: [] },
  // The same code plus routes that trap on purpose (src/test_hooks.c), for the
  // tests of the shim's recovery. Never deployed: wrangler bundles vc.wasm.
  { file: "vc-test.wasm", defines: ["-DVC_TEST_HOOKS"] },
];

// The modules a build makes: with names (see optimize), vc.wasm only.
export const modulesFor = ({ names = false } = {}) => (names ? MODULES.slice(0, 1) : MODULES);

const FEATURE_FLAGS = ["-mcpu=mvp", ...WASM_FEATURES.map((f) => `-m${f}`)];
/** @type {Record<string, (keyof typeof binaryen.Features)[]>} */
const BINARYEN_FEATURES = {
  "mutable-globals": ["MutableGlobals"],
  "sign-ext": ["SignExt"],
  "nontrapping-fptoint": ["NontrappingFPToInt"],
  "bulk-memory": ["BulkMemory", "BulkMemoryOpt"],
};

// The sources as the compiler sees them: src/, include/ and cjson/.
/** @param {string} root @param {Record<string, Buffer>} cjsonFiles */
export function sourceTree(root, cjsonFiles) {
  const read = (/** @type {string} */ dir, /** @type {string} */ suffix) =>
    Object.fromEntries(readdirSync(join(root, dir)).filter((f) => f.endsWith(suffix)).sort().map((f) => [f, readFileSync(join(root, dir, f))]));
  return {
    src: read("src", ".c"),
    include: read("include", ".h"),
    cjson: { "cJSON.c": cjsonFiles["cJSON.c"], "cJSON.h": cjsonFiles["cJSON.h"] },
  };
}

// names: keep the function names (a "name" section) for profiles; the code
// is the same as without them.
/** @param {Uint8Array} bytes @param {{ names?: boolean }} [options] */
export function optimize(bytes, { names = false } = {}) {
  let features = binaryen.Features.MVP;
  for (const name of WASM_FEATURES) for (const flag of BINARYEN_FEATURES[name]) features |= binaryen.Features[flag];
  const module = binaryen.readBinary(bytes);
  try {
    module.setFeatures(features);
    if (!module.validate()) throw new Error("the linked module uses WebAssembly features beyond the pinned ones");
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(2);
    binaryen.setDebugInfo(names);
    module.optimize();
    if (!module.validate()) throw new Error("binaryen produced an invalid module");
    return Buffer.from(module.emitBinary());
  } finally {
    module.dispose();
  }
}

// names: build only vc.wasm, with its function names (see optimize).
/**
 * @param {import("./toolchains.js").Toolchain} toolchain @param {ReturnType<typeof sourceTree>} tree
 * @param {{ names?: boolean }} [options] @returns {Promise<Record<string, Buffer>>}
 */
export async function buildModules(toolchain, tree, { names = false } = {}) {
  const codegen = [...toolchain.target, "-Oz", "-ffunction-sections", "-fdata-sections", ...FEATURE_FLAGS];
  const sources = Object.keys(tree.src).map((f) => `src/${f}`);
  const objects = Object.keys(tree.src).map((f) => f.replace(/\.c$/, ".o"));
  const { "cJSON.o": cjsonObject } = await toolchain.run(
    [...codegen, ...cjsonFlags("include"), "-Icjson", "-c", "cjson/cJSON.c", "-o", "cJSON.o"],
    tree,
    ["cJSON.o"],
  );
  /** @type {Record<string, Buffer>} */
  const built = {};
  for (const { file, defines } of modulesFor({ names })) {
    const compiled = await toolchain.run([...codegen, ...WARNINGS, ...DEFINES, ...defines, "-Iinclude", "-Icjson", "-c", ...sources], tree, objects);
    const linked = await toolchain.run(
      [
        ...toolchain.target, "-mexec-model=reactor", "-o", file, ...objects, "cJSON.o",
        ...(names ? [] : ["-Wl,--strip-all"]), "-Wl,--gc-sections", "-Wl,--stack-first", `-Wl,-z,stack-size=${STACK_SIZE}`,
        `-Wl,--max-memory=${MAX_MEMORY_PAGES * 65536}`,
      ],
      { ...compiled, "cJSON.o": cjsonObject },
      [file],
    );
    built[file] = optimize(linked[file], { names });
  }
  return built;
}

