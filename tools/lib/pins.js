// pins.js - what the build pins: cJSON's version and checksums, the compiler
// flags, and the module's limits. Every other build file reads these; none
// repeats them. Ownership: plain constants, nothing to free.

// cJSON 1.7.18 (May 2024), the release that carries upstream's fixes for
// everything Debian backported to its 1.7.15 (NULL checks, CVE-2023-50471,
// CVE-2023-50472, CVE-2024-31755, and the parse_object over-read). Upstream's
// release tarball is byte-identical to Debian's cjson_1.7.18.orig.tar.gz
// (trixie's source package), so either source gives the same module.
export const CJSON = {
  version: "1.7.18",
  tarballSha256: "3aa806844a03442c00769b83e99970be70fbef03735ff898f4811dd03b9f5ee5",
  upstreamUrl: "https://github.com/DaveGamble/cJSON/archive/refs/tags/v1.7.18.tar.gz",
  debianPoolPath: "pool/main/c/cjson/cjson_1.7.18.orig.tar.gz",
  debianMirror: "https://deb.debian.org/debian",
  // The files the build uses, as the tarball holds them (checked again
  // whenever they are read from the cache or from CJSON_SRC).
  files: {
    "cJSON.c": "75c51de8fa40ac9d7a99319c6330719bd692eb81c0a869265f3d4c682533f9b9",
    "cJSON.h": "0578cc29132912edbc88f83207a8fc76e5db3db0605497e909a9384ef3cc474b",
    LICENSE: "a36dda207c36db5818729c54e7ad4e8b0c6fba847491ba64f372c1a2037b6d5c",
  },
};

// Request bodies are a few hundred bytes: nothing legitimate nests deeper.
export const CJSON_NESTING_LIMIT = 16;

// An instance never needs more than a few hundred KB; its memory is capped at 4 MiB.
export const MAX_MEMORY_PAGES = 64;
export const STACK_SIZE = 65536;

// The module should stay at or under 48 KB; above 64 KB the build fails.
export const WASM_SIZE_GOAL = 48 * 1024;
export const WASM_SIZE_LIMIT = 64 * 1024;

// WebAssembly features, pinned rather than left to each compiler's default
// (clang 19 and clang 22 differ): the MVP plus mutable globals, sign
// extension, non-trapping float-to-int and bulk memory, all of which workerd
// runs. The compiler is told to use them, and binaryen to expect exactly them.
export const WASM_FEATURES = ["mutable-globals", "sign-ext", "nontrapping-fptoint", "bulk-memory"];

export const WARNINGS = [
  "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wpedantic", "-Wshadow", "-Wconversion", "-Wsign-conversion",
  "-Wstrict-prototypes", "-Wmissing-prototypes", "-Wcast-qual", "-Wpointer-arith", "-Wformat=2",
  "-Wvla", "-Wundef", "-Wimplicit-fallthrough", "-Wdouble-promotion",
];
export const DEFINES = [`-DCJSON_NESTING_LIMIT=${CJSON_NESTING_LIMIT}`];
// cJSON itself: its own warnings off, its stdio and strtod calls sent to
// src/cjson_port.c. includeDir: where include/cjson_port.h is, as the compiler sees it.
/** @param {string} includeDir */
export function cjsonFlags(includeDir) {
  return ["-std=c11", "-w", "-include", `${includeDir}/cjson_port.h`, ...DEFINES];
}
