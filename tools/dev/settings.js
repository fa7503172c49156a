// settings.js - which settings `npm start` gives the Worker, and why.
//
// A setting's value comes from the first of these that has it:
//   1. the command line: `npm start -- --var NAME:value` (wrangler's --var);
//   2. the local settings file wrangler reads: `.dev.vars`, or, when there is
//      none, `.env` and `.env.local` (parsed with the dotenv wrangler uses);
//   3. npm start's defaults: the emulator's fake credentials and its URL, when
//      the three Cloudflare credentials are not all given (and the API base is
//      not given either), the example page's origins in ALLOWED_ORIGINS, and a
//      random HOST_KEY_SECRET made for this run;
//   4. wrangler.toml's [vars].
// ALLOWED_ORIGINS is the one setting where a default joins a given value: the
// example page's two origins are added to a given list, unless the list is
// empty (same-origin only: every other origin excluded) or holds "*".
//
// Ownership: every function returns new objects and arrays; the arguments are
// only read.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import dotenv from "dotenv";
import { FAKE_CREDENTIALS } from "./credentials.js";

export const CREDENTIALS = Object.keys(FAKE_CREDENTIALS);

/**
 * Splits wrangler dev's arguments into the --var settings and the rest.
 * Accepts `--var A:1`, `--var A:1 B:2` (an array option, as wrangler's) and `--var=A:1`.
 * @param {string[]} args
 * @returns {{ vars: Record<string, string>, rest: string[] }}
 */
export function commandLineVars(args) {
  /** @type {Record<string, string>} */
  const vars = {};
  const rest = [];
  const take = (/** @type {string} */ pair) => {
    const colon = pair.indexOf(":");
    if (colon <= 0) throw new Error(`--var ${pair}: expected NAME:value`);
    vars[pair.slice(0, colon)] = pair.slice(colon + 1);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith("--var=")) {
      take(arg.slice("--var=".length));
    } else if (arg === "--var") {
      let taken = 0;
      while (i + 1 < args.length && !args[i + 1].startsWith("-")) {
        take(args[++i]);
        taken++;
      }
      if (taken === 0) throw new Error("--var needs NAME:value");
    } else {
      rest.push(arg);
    }
  }
  return { vars, rest };
}

/**
 * The local settings file(s) wrangler dev reads from the project's folder, as it reads them.
 * @param {string} root
 * @returns {{ files: string[], vars: Record<string, string> }}
 */
export function localSettings(root) {
  const devVars = join(root, ".dev.vars");
  const candidates = existsSync(devVars) ? [".dev.vars"] : [".env", ".env.local"].filter((f) => existsSync(join(root, f)));
  /** @type {Record<string, string>} */
  const vars = {};
  for (const file of candidates) Object.assign(vars, dotenv.parse(readFileSync(join(root, file))));
  return { files: candidates, vars };
}

/**
 * @typedef {{ value: string, from: string }} Setting
 * @typedef {{
 *   commandLine: Record<string, string>,
 *   local: { files: string[], vars: Record<string, string> },
 *   emulatorUrl?: string | null,
 *   exampleOrigins?: string[],
 *   hostKeySecret?: string | null,
 *   identityProvider?: { issuer: string, audience: string } | null,
 * }} Inputs
 */

/**
 * Whether npm start needs the emulator: the credentials are not all given and nothing else names the API.
 * @param {Inputs} inputs
 */
export function needsEmulator({ commandLine, local }) {
  const given = (/** @type {string} */ name) => Boolean(commandLine[name] ?? local.vars[name]);
  return !CREDENTIALS.every(given) && !given("REALTIMEKIT_API_BASE");
}

/**
 * The credentials the emulator accepts: those given, the fake ones for the rest.
 * @param {Inputs} inputs
 * @returns {Record<string, string>}
 */
export function emulatorCredentials({ commandLine, local }) {
  return Object.fromEntries(
    CREDENTIALS.map((name) => [name, (commandLine[name] ?? local.vars[name]) || FAKE_CREDENTIALS[/** @type {keyof typeof FAKE_CREDENTIALS} */ (name)]]),
  );
}

/**
 * The settings in effect that npm start decides on or passes through.
 * `pass` is what goes to wrangler as --var (the command line's settings, npm start's
 * defaults, and a joined ALLOWED_ORIGINS); the local file's own settings wrangler
 * reads itself.
 * @param {Inputs} inputs
 * @returns {{ settings: Record<string, Setting>, pass: Record<string, string>, missingCredentials: string[] }}
 */
export function devSettings({ commandLine, local, emulatorUrl = null, exampleOrigins = [], hostKeySecret = null, identityProvider = null }) {
  /** @type {Record<string, Setting>} */
  const settings = {};
  const localName = local.files.join(" and ");
  for (const [name, value] of Object.entries(local.vars)) settings[name] = { value, from: localName };
  for (const [name, value] of Object.entries(commandLine)) settings[name] = { value, from: "the command line" };
  /** @type {Record<string, string>} */
  const pass = { ...commandLine };
  const missingCredentials = CREDENTIALS.filter((name) => !settings[name]?.value);

  const byDefault = (/** @type {string} */ name, /** @type {string} */ value, /** @type {string} */ from) => {
    if (settings[name] !== undefined) return;
    settings[name] = { value, from };
    pass[name] = value;
  };
  if (emulatorUrl) {
    for (const name of missingCredentials) {
      delete settings[name]; // an empty value given counts as missing
      byDefault(name, FAKE_CREDENTIALS[/** @type {keyof typeof FAKE_CREDENTIALS} */ (name)], "npm start (the emulator's fake credentials)");
    }
    byDefault("REALTIMEKIT_API_BASE", `${emulatorUrl}/client/v4`, "npm start (the emulator)");
  }

  if (identityProvider) {
    byDefault("AUTH_ISSUER", identityProvider.issuer, "npm start (DEV_SIGN_IN: the emulator's identity provider)");
    byDefault("AUTH_AUDIENCE", identityProvider.audience, "npm start (DEV_SIGN_IN)");
    byDefault("AUTH_REQUIRED_FOR", "create", "npm start (DEV_SIGN_IN: guests join by link)");
  }
  if (hostKeySecret) byDefault("HOST_KEY_SECRET", hostKeySecret, "npm start (a random development secret for this run)");

  if (exampleOrigins.length > 0) {
    const given = settings.ALLOWED_ORIGINS;
    if (given === undefined) {
      byDefault("ALLOWED_ORIGINS", exampleOrigins.join(","), "npm start (the example page)");
    } else {
      const list = splitOrigins(given.value);
      if (list.length > 0 && !list.includes("*")) {
        const added = exampleOrigins.filter((origin) => !list.includes(origin));
        if (added.length > 0) {
          settings.ALLOWED_ORIGINS = { value: [...list, ...added].join(","), from: `${given.from}, and npm start added the example page` };
          pass.ALLOWED_ORIGINS = settings.ALLOWED_ORIGINS.value;
        }
      }
    }
  }
  return { settings, pass, missingCredentials };
}

/** @param {string} value */
export const splitOrigins = (value) =>
  value
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);

/**
 * The --var arguments for wrangler dev.
 * @param {Record<string, string>} pass
 */
export const varArgs = (pass) => Object.entries(pass).flatMap(([name, value]) => ["--var", `${name}:${value}`]);

/**
 * One line saying which origins the Worker allows, and from where.
 * @param {Setting | undefined} setting wrangler.toml's empty default when undefined
 */
export function originsLine(setting) {
  const list = setting ? splitOrigins(setting.value) : [];
  const from = setting ? setting.from : "wrangler.toml";
  if (list.includes("*")) return `Allowed origins: any ("*", from ${from}).`;
  if (list.length === 0) return `Allowed origins: none but the Worker's own (ALLOWED_ORIGINS is empty, from ${from}).`;
  return `Allowed origins: ${list.join(", ")} (from ${from}).`;
}
