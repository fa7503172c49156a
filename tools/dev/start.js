// `npm start`: wrangler dev on localhost:8787, and the example call page on
// its own origin, http://localhost:8788 (EXAMPLE_PORT; "off" for none).
// Arguments after `npm start --` go to wrangler dev.
//
// With the three Cloudflare credentials given (in .dev.vars, or as --var) it
// talks to the real RealtimeKit API; without them it starts the local
// RealtimeKit emulator (EMULATOR_PORT, default any free port) and points the
// Worker at it. What the command line and .dev.vars set always wins over
// these defaults (tools/dev/settings.js says how); it prints where each
// setting it decides on comes from, never a credential's value.
import "../lib/node-version.js"; // first: an older Node stops here, with one line
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createExampleServer } from "../../examples/serve.js";
import { wranglerBin } from "../lib/wrangler.js";
import { IDP_AUDIENCE } from "./identity-provider.js";
import { createRealtimeKitEmulator } from "./realtimekit-emulator.js";
import { commandLineVars, devSettings, emulatorCredentials, localSettings, needsEmulator, originsLine, splitOrigins, varArgs } from "./settings.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

let commandLine;
try {
  commandLine = commandLineVars(process.argv.slice(2));
} catch (error) {
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const local = localSettings(root);
const inputs = { commandLine: commandLine.vars, local };

let emulator = null;
let emulatorUrl = null;
if (needsEmulator(inputs)) {
  emulator = createRealtimeKitEmulator({
    credentials: emulatorCredentials(inputs),
    log: (line) => console.log(`[realtimekit-emulator] ${line}`),
  });
  emulatorUrl = await emulator.listen(Number(process.env.EMULATOR_PORT ?? 0), "127.0.0.1");
}

// The Worker's address, as wrangler dev will serve it (wrangler.toml's [dev], or --ip/--port).
const argValue = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const rest = commandLine.rest;
  const i = rest.indexOf(name);
  if (i >= 0 && rest[i + 1]) return rest[i + 1];
  return rest.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
};
// DEV_SIGN_IN=1: the Worker requires sign-in to create meetings, from the emulator's identity
// provider, and the example page signs a development user in with it.
const devSignIn = process.env.DEV_SIGN_IN === "1" && emulatorUrl !== null;
if (process.env.DEV_SIGN_IN === "1" && !emulatorUrl) console.log("DEV_SIGN_IN: ignored, it needs the emulator (no Cloudflare credentials).");

const workerHost = argValue("--ip", "localhost");
const apiBase = `http://${workerHost.includes(":") ? `[${workerHost}]` : workerHost}:${argValue("--port", "8787")}`;

/** @type {import("node:http").Server | null} */
let example = null;
/** @type {string[]} */
let exampleOrigins = [];
if (process.env.EXAMPLE_PORT !== "off") {
  const port = Number(process.env.EXAMPLE_PORT ?? 8788);
  const server = createExampleServer({ apiBase, emulator: emulator !== null, devTokenUrl: devSignIn ? `${emulatorUrl}/__emulator/idp/token` : null });
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve(undefined)));
  example = server;
  exampleOrigins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

const hostKeySecret = randomBytes(32).toString("base64url");
const identityProvider = devSignIn ? { issuer: `${emulatorUrl}/idp`, audience: IDP_AUDIENCE } : null;
const { settings, pass, missingCredentials } = devSettings({ ...inputs, emulatorUrl, exampleOrigins, hostKeySecret, identityProvider });
if (local.files.length > 0) console.log(`Settings from ${local.files.join(" and ")} (wrangler reads them too).`);
if (emulator) {
  if (missingCredentials.length < 3) console.log(`Not given: ${missingCredentials.join(", ")}.`);
  console.log(
    `No Cloudflare credentials given: the Worker talks to the local RealtimeKit emulator at ${emulatorUrl}` +
      " (fake account, app and API token; meetings live until you stop npm start).",
  );
} else if (missingCredentials.length > 0) {
  console.log(
    `Not given: ${missingCredentials.join(", ")}; REALTIMEKIT_API_BASE is ${settings.REALTIMEKIT_API_BASE.value} ` +
      `(from ${settings.REALTIMEKIT_API_BASE.from}), so no emulator: RealtimeKit routes will answer 500 INTERNAL_ERROR.`,
  );
} else {
  console.log(`Using the Cloudflare credentials given (${settings.CLOUDFLARE_ACCOUNT_ID.from}): the Worker talks to the real RealtimeKit API.`);
}
console.log(originsLine(settings.ALLOWED_ORIGINS));
console.log(
  settings.HOST_KEY_SECRET.value === hostKeySecret
    ? "Host keys: on, with a random HOST_KEY_SECRET made for this run (keys from an earlier run no longer work)."
    : `Host keys: on, with the HOST_KEY_SECRET given (${settings.HOST_KEY_SECRET.from}).`,
);
if (settings.AUTH_ISSUER?.value)
  console.log(
    `Sign-in: on (${settings.AUTH_ISSUER.from}): AUTH_ISSUER ${settings.AUTH_ISSUER.value}, AUTH_REQUIRED_FOR ${settings.AUTH_REQUIRED_FOR?.value ?? "post"}` +
      (devSignIn ? "; the example page signs in a development user." : "."),
  );
if (example) {
  const allowed = splitOrigins(settings.ALLOWED_ORIGINS?.value ?? "").some((origin) => ["*", ...exampleOrigins].includes(origin));
  console.log(
    `Example call page: ${exampleOrigins[0]} (a page on its own origin, calling the Worker at ${apiBase})` +
      (allowed ? "." : "; ALLOWED_ORIGINS is empty, so the Worker refuses its calls."),
  );
}

const args = ["dev", ...commandLine.rest, ...varArgs(pass)];
const wrangler = spawn(process.execPath, [wranglerBin(), ...args], { cwd: root, stdio: "inherit" });
const stop = (/** @type {NodeJS.Signals} */ signal) => wrangler.kill(signal);
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", async (code, signal) => {
  example?.close();
  await emulator?.close();
  process.exit(code ?? (signal ? 1 : 0));
});
