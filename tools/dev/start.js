// `npm start`: wrangler dev on localhost:8787. With the three Cloudflare
// settings in .dev.vars it talks to the real RealtimeKit API; without them it
// starts the local RealtimeKit emulator and points the Worker at it.
// Beside it, the example call page (examples/call/) on its own origin,
// http://localhost:8788 (EXAMPLE_PORT; "off" for none), which is added to
// ALLOWED_ORIGINS unless .dev.vars sets that. Arguments after `npm start --`
// go to wrangler dev.
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { FAKE_CREDENTIALS } from "./credentials.js";
import { createExampleServer } from "../../examples/serve.js";
import { createRealtimeKitEmulator } from "./realtimekit.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const REQUIRED = Object.keys(FAKE_CREDENTIALS);

function devVars() {
  const file = `${root}.dev.vars`;
  if (!existsSync(file)) return {};
  const vars = {};
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (m) vars[m[1]] = m[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}

const wranglerBin = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
const args = ["dev", ...process.argv.slice(2)];
const present = devVars();
const missing = REQUIRED.filter((name) => !present[name]);
let emulator = null;

if (missing.length > 0) {
  emulator = createRealtimeKitEmulator({ log: (line) => console.log(`[realtimekit-emulator] ${line}`) });
  const url = await emulator.listen(Number(process.env.EMULATOR_PORT ?? 0), "127.0.0.1");
  if (missing.length < REQUIRED.length) console.log(`.dev.vars lacks ${missing.join(", ")}.`);
  console.log(
    `No Cloudflare credentials in .dev.vars: the Worker talks to the local RealtimeKit emulator at ${url}` +
      " (fake account, app and API token; meetings live until you stop npm start).",
  );
  for (const [name, value] of Object.entries(FAKE_CREDENTIALS)) args.push("--var", `${name}:${value}`);
  args.push("--var", `REALTIMEKIT_API_BASE:${url}/client/v4`);
} else {
  console.log("Using the Cloudflare credentials in .dev.vars: the Worker talks to the real RealtimeKit API.");
}

// The Worker's address, as wrangler dev will serve it (wrangler.toml's [dev], or --ip/--port).
const argValue = (name, fallback) => {
  const i = args.indexOf(name);
  return i > 0 && args[i + 1] ? args[i + 1] : fallback;
};
const workerHost = argValue("--ip", "localhost");
const apiBase = `http://${workerHost.includes(":") ? `[${workerHost}]` : workerHost}:${argValue("--port", "8787")}`;
let example = null;
if (process.env.EXAMPLE_PORT !== "off") {
  const port = Number(process.env.EXAMPLE_PORT ?? 8788);
  example = createExampleServer({ apiBase, emulator: emulator !== null });
  await new Promise((resolve, reject) => example.once("error", reject).listen(port, "127.0.0.1", resolve));
  const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  if (present.ALLOWED_ORIGINS === undefined) args.push("--var", `ALLOWED_ORIGINS:${origins.join(",")}`);
  console.log(`Example call page: ${origins[0]} (a page on its own origin, calling the Worker at ${apiBase}).`);
}

const wrangler = spawn(process.execPath, [wranglerBin, ...args], { cwd: root, stdio: "inherit" });
const stop = (signal) => wrangler.kill(signal);
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", async (code, signal) => {
  example?.close();
  await emulator?.close();
  process.exit(code ?? (signal ? 1 : 0));
});
