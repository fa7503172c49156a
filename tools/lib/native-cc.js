// native-cc.js - finds a clang on this machine that can build and run the
// native tests under ASan + UBSan and link libFuzzer targets, with OpenSSL's
// libcrypto (the fake host's HMAC-SHA-256, as Web Crypto is the Worker's). The probe
// builds and runs a tiny program with the exact flags and sanitizer options
// the tests use, so "found" means "works here".
// Ownership: findNativeCc returns a plain object; its temporary files are removed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// sanitize(extra): the flags of a sanitized build; extra names more sanitizers (fuzzer, fuzzer-no-link).
const SANITIZE_OPTIONS = ["-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g", "-O1"];
export const sanitize = (extra = "") => [`-fsanitize=${extra ? `${extra},` : ""}address,undefined`, ...SANITIZE_OPTIONS];
export const SANITIZE = sanitize();
export const SANITIZER_ENV = {
  ASAN_OPTIONS: "halt_on_error=1:detect_leaks=1:abort_on_error=1",
  UBSAN_OPTIONS: "halt_on_error=1:print_stacktrace=1",
};
export const DEBIAN_PACKAGES = ["clang-19", "libclang-rt-19-dev", "libssl-dev"];
export const INSTALL_HINT =
  `Debian/Ubuntu: sudo apt-get install ${DEBIAN_PACKAGES.join(" ")}; ` +
  "elsewhere: an LLVM clang with compiler-rt and OpenSSL's libcrypto, named by VC_NATIVE_CC";

/** @param {string} cc @param {string} dir */
function works(cc, dir) {
  const run = (/** @type {string[]} */ args, /** @type {import("node:child_process").SpawnSyncOptions} */ options = {}) => spawnSync(args[0], args.slice(1), { cwd: dir, encoding: "utf8", ...options });
  writeFileSync(
    join(dir, "probe.c"),
    "#include <stdlib.h>\n#include <openssl/evp.h>\n#include <openssl/hmac.h>\n" +
      "int main(void) { unsigned char mac[32]; unsigned int n = 0; char *p = malloc(4); p[0] = 0; free(p);\n" +
      '  return HMAC(EVP_sha256(), "k", 1, (const unsigned char *)"m", 1, mac, &n) && n == 32 ? 0 : 1; }\n',
  );
  writeFileSync(join(dir, "fuzz.c"), "#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n");
  const built = run([cc, ...SANITIZE, "probe.c", "-lcrypto", "-o", "probe"]);
  if (built.error || built.status !== 0) return false;
  const ran = run([join(dir, "probe")], { env: { ...process.env, ...SANITIZER_ENV } });
  if (ran.status !== 0) return false;
  const fuzz = run([cc, ...sanitize("fuzzer"), "fuzz.c", "-o", "fuzz"]);
  return !fuzz.error && fuzz.status === 0;
}

/** @param {string[]} candidates */
function probe(candidates) {
  const dir = mkdtempSync(join(tmpdir(), "vc-native-probe-"));
  try {
    return candidates.find((cc) => works(cc, dir)) ?? null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isRootOnDebian = () =>
  process.platform === "linux" && process.getuid?.() === 0 && existsSync("/etc/debian_version") &&
  spawnSync("apt-get", ["--version"]).status === 0;

// { cc, symbolizer } or null. As root on Debian/Ubuntu the packages are
// installed when missing (as the project's own set-up does); nowhere else.
/**
 * @typedef {{ cc: string, symbolizer: string | null }} NativeCc
 * @param {{ log?: (line: string) => void }} [options] @returns {NativeCc | null}
 */
export function findNativeCc({ log = () => {} } = {}) {
  const candidates = process.env.VC_NATIVE_CC ? [process.env.VC_NATIVE_CC] : ["clang-19", "clang"];
  let cc = probe(candidates);
  if (!cc && !process.env.VC_NATIVE_CC && isRootOnDebian()) {
    log(`installing ${DEBIAN_PACKAGES.join(" ")} (apt-get, as root)`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...DEBIAN_PACKAGES], { stdio: "ignore", env });
    cc = probe(candidates);
  }
  if (!cc) return null;
  const symbolizer = "/usr/lib/llvm-19/bin/llvm-symbolizer";
  return { cc, symbolizer: cc === "clang-19" && existsSync(symbolizer) ? symbolizer : null };
}
