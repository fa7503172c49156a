// Serving a bundled Worker with workerd itself, for the benchmarks (run.js,
// instructions.js): bundle with wrangler, write a workerd config, start it.
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "../support/node-helpers.js";

export const root = fileURLToPath(new URL("../../", import.meta.url));

export function sh(cmd, args, options = {}) {
  return execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
}

// The fake account the benchmarks' Workers are configured with.
export const BENCH_ENV = {
  CLOUDFLARE_ACCOUNT_ID: "0123456789abcdef0123456789abcdef",
  CLOUDFLARE_REALTIME_APP_ID: "11111111-2222-4333-8444-555555555555",
  CLOUDFLARE_REALTIME_API_TOKEN: "bench-api-token",
};

// A tool a benchmark needs: found by running `probe` (a non-zero exit still
// means it is there), else installed with apt-get when running as root.
export function requireTool(probe, debianPackage, needer) {
  try {
    sh(probe[0], probe.slice(1));
    return;
  } catch (error) {
    if (error.code !== "ENOENT") return;
  }
  if (process.getuid?.() !== 0) throw new Error(`${needer} needs ${debianPackage}: sudo apt-get install ${debianPackage}`);
  console.log(`installing ${debianPackage} (apt-get)...`);
  sh("apt-get", ["install", "-y", "-qq", debianPackage], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

export function workerdBinary() {
  const wranglerRequire = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
  const main = wranglerRequire.resolve("workerd");
  const dir = join(main, "../../..", "@cloudflare/workerd-linux-64/bin/workerd");
  return dir;
}

export function bundle(outdir, args = []) {
  rmSync(outdir, { recursive: true, force: true });
  const log = sh("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir, ...args], {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const upload = log.match(/Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/);
  return { upload: upload ? `${upload[1]} (gzip ${upload[2]})` : "unknown" };
}

// budget: serve the account's budget object too (API_BUDGET, in memory).
// v8Flags: V8's own flags for the isolate (the instruction count wants a
// predictable V8: instructions.js).
export function capnp(dir, port, bindings, { budget = false, name = "config", main: mainFile = null, v8Flags = [] } = {}) {
  const modules = readdirSync(dir)
    .filter((f) => /\.(js|wasm|bin)$/.test(f))
    .map((f) => {
      const kind = f.endsWith(".js") ? "esModule" : f.endsWith(".wasm") ? "wasm" : "data";
      return `(name = "${f}", ${kind} = embed "${f}")`;
    });
  const main = mainFile ?? readdirSync(dir).find((f) => ["worker.js", "isolate-worker.js", "floor-worker.js", "buffered-floor-worker.js", "plain-worker.js"].includes(f));
  modules.sort((a, b) => (a.includes(`"${main}"`) ? -1 : b.includes(`"${main}"`) ? 1 : 0));
  const text = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (${v8Flags.length ? `
  v8Flags = ${JSON.stringify(v8Flags)},` : ""}
  services = [
    (name = "main", worker = .worker),
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ ${modules.join(",\n    ")} ],
  compatibilityDate = "2026-04-20",
  globalOutbound = "net",
  bindings = [ ${[
    ...Object.entries(bindings).map(([k, v]) => `(name = "${k}", text = ${JSON.stringify(v)})`),
    ...(budget ? ['(name = "API_BUDGET", durableObjectNamespace = (className = "ApiBudget"))'] : []),
  ].join(", ")} ],${budget ? `
  durableObjectNamespaces = [ (className = "ApiBudget", uniqueKey = "bench-api-budget") ],
  durableObjectStorage = (inMemory = void),` : ""}
);
`;
  writeFileSync(join(dir, `${name}.capnp`), text);
  return join(dir, `${name}.capnp`);
}

// wrap: a command workerd runs under (valgrind, for instructions.js); cwd:
// where it runs (V8's own log files land there).
export async function serve(binary, config, port, { wrap = [], timeoutMs = 30_000, cwd = root } = {}) {
  const command = [...wrap, binary, "serve", config, "--experimental"];
  const child = spawn(command[0], command.slice(1), { cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/video-call/health`)).status > 0, {
    timeoutMs,
    what: `workerd on ${port}`,
  }).catch((e) => {
    throw new Error(`${e.message}\n${stderr}`);
  });
  return child;
}
