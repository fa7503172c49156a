// What `npm start` gives the Worker (tools/dev/settings.js): the command line
// wins over .dev.vars / .env, which win over npm start's defaults; the example
// page's origins join a given ALLOWED_ORIGINS list unless it is empty or "*";
// the emulator stands in only while credentials are missing. And the one line
// an older Node gets (tools/lib/node-version.js).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FAKE_CREDENTIALS } from "../../tools/dev/credentials.js";
import { commandLineVars, devSettings, emulatorCredentials, localSettings, needsEmulator, originsLine, varArgs } from "../../tools/dev/settings.js";
import { nodeProblem } from "../../tools/lib/node-version.js";

const EXAMPLE = ["http://localhost:8788", "http://127.0.0.1:8788"];
const EMULATOR = "http://127.0.0.1:4000";
const REAL = { CLOUDFLARE_ACCOUNT_ID: "a".repeat(32), CLOUDFLARE_REALTIME_APP_ID: "app", CLOUDFLARE_REALTIME_API_TOKEN: "tok" };
const noLocal = { files: [], vars: {} };
const localFrom = (vars) => ({ files: [".dev.vars"], vars });

describe("commandLineVars", () => {
  it("takes --var NAME:value, several after one --var, and --var=NAME:value; the rest stays in order", () => {
    expect(commandLineVars(["--port", "9000", "--var", "A:1", "B:x:y", "--ip", "127.0.0.1", "--var=C:", "--local"])).toEqual({
      vars: { A: "1", B: "x:y", C: "" },
      rest: ["--port", "9000", "--ip", "127.0.0.1", "--local"],
    });
  });
  it("refuses a --var without NAME:value", () => {
    expect(() => commandLineVars(["--var"])).toThrow("--var needs NAME:value");
    expect(() => commandLineVars(["--var", "--port"])).toThrow("--var needs NAME:value");
    expect(() => commandLineVars(["--var", "NOVALUE"])).toThrow("--var NOVALUE: expected NAME:value");
    expect(() => commandLineVars(["--var=:x"])).toThrow("--var :x: expected NAME:value");
  });
  it("gives the --var arguments back for wrangler", () => {
    expect(varArgs({ A: "1", B: "x:y" })).toEqual(["--var", "A:1", "--var", "B:x:y"]);
  });
});

describe("devSettings", () => {
  it("with nothing given: the emulator's fake credentials and URL, the example page's origins, a host key secret", () => {
    const { settings, pass, missingCredentials } = devSettings({
      commandLine: {},
      local: noLocal,
      emulatorUrl: EMULATOR,
      exampleOrigins: EXAMPLE,
      hostKeySecret: "random-for-this-run",
    });
    expect(missingCredentials).toEqual(Object.keys(FAKE_CREDENTIALS));
    expect(pass).toEqual({
      ...FAKE_CREDENTIALS,
      REALTIMEKIT_API_BASE: `${EMULATOR}/client/v4`,
      HOST_KEY_SECRET: "random-for-this-run",
      ALLOWED_ORIGINS: EXAMPLE.join(","),
    });
    expect(settings.HOST_KEY_SECRET.from).toBe("npm start (a random development secret for this run)");
    // A given secret stays, and is not put on wrangler's command line again.
    const given = devSettings({ commandLine: {}, local: localFrom({ HOST_KEY_SECRET: "mine" }), hostKeySecret: "random" });
    expect(given.settings.HOST_KEY_SECRET).toEqual({ value: "mine", from: ".dev.vars" });
    expect(given.pass).not.toHaveProperty("HOST_KEY_SECRET");
    expect(settings.ALLOWED_ORIGINS).toEqual({ value: EXAMPLE.join(","), from: "npm start (the example page)" });
    expect(originsLine(settings.ALLOWED_ORIGINS)).toBe(
      "Allowed origins: http://localhost:8788, http://127.0.0.1:8788 (from npm start (the example page)).",
    );
  });

  it("DEV_SIGN_IN: the emulator's identity provider for sign-in to create meetings, unless AUTH_* settings are given", () => {
    const identityProvider = { issuer: `${EMULATOR}/idp`, audience: "video-call-dev" };
    const { settings, pass } = devSettings({ commandLine: {}, local: noLocal, emulatorUrl: EMULATOR, identityProvider });
    expect(pass).toMatchObject({ AUTH_ISSUER: `${EMULATOR}/idp`, AUTH_AUDIENCE: "video-call-dev", AUTH_REQUIRED_FOR: "create" });
    expect(settings.AUTH_ISSUER.from).toBe("npm start (DEV_SIGN_IN: the emulator's identity provider)");
    const given = devSettings({ commandLine: { AUTH_REQUIRED_FOR: "all" }, local: noLocal, emulatorUrl: EMULATOR, identityProvider });
    expect(given.settings.AUTH_REQUIRED_FOR).toEqual({ value: "all", from: "the command line" });
    const off = devSettings({ commandLine: {}, local: noLocal, emulatorUrl: EMULATOR });
    expect(off.pass).not.toHaveProperty("AUTH_ISSUER");
  });

  it("a command-line ALLOWED_ORIGINS is kept, first, and the example page's origins join it", () => {
    const commandLine = { ALLOWED_ORIGINS: "http://localhost:3000" };
    const { settings, pass } = devSettings({ commandLine, local: noLocal, emulatorUrl: EMULATOR, exampleOrigins: EXAMPLE });
    expect(pass.ALLOWED_ORIGINS).toBe(`http://localhost:3000,${EXAMPLE.join(",")}`);
    expect(settings.ALLOWED_ORIGINS.from).toBe("the command line, and npm start added the example page");
    // No duplicate when the user already lists one of them.
    const again = devSettings({ commandLine: { ALLOWED_ORIGINS: ` ${EXAMPLE[1]} , http://localhost:3000` }, local: noLocal, exampleOrigins: EXAMPLE });
    expect(again.pass.ALLOWED_ORIGINS).toBe(`${EXAMPLE[1]},http://localhost:3000,${EXAMPLE[0]}`);
  });

  it('an empty list (same origin only) and "*" are left as given', () => {
    const empty = devSettings({ commandLine: { ALLOWED_ORIGINS: "" }, local: noLocal, exampleOrigins: EXAMPLE });
    expect(empty.pass.ALLOWED_ORIGINS).toBe("");
    expect(originsLine(empty.settings.ALLOWED_ORIGINS)).toBe("Allowed origins: none but the Worker's own (ALLOWED_ORIGINS is empty, from the command line).");
    const any = devSettings({ commandLine: {}, local: localFrom({ ALLOWED_ORIGINS: "*" }), exampleOrigins: EXAMPLE });
    expect(any.pass).not.toHaveProperty("ALLOWED_ORIGINS"); // wrangler reads .dev.vars itself
    expect(originsLine(any.settings.ALLOWED_ORIGINS)).toBe('Allowed origins: any ("*", from .dev.vars).');
    expect(originsLine(undefined)).toBe("Allowed origins: none but the Worker's own (ALLOWED_ORIGINS is empty, from wrangler.toml).");
  });

  it(".dev.vars wins over the defaults, and the command line over .dev.vars", () => {
    const local = localFrom({ ALLOWED_ORIGINS: "http://localhost:5173", REALTIMEKIT_API_BASE: "http://127.0.0.1:9/v4" });
    const fromFile = devSettings({ commandLine: {}, local, emulatorUrl: EMULATOR, exampleOrigins: EXAMPLE });
    expect(fromFile.settings.REALTIMEKIT_API_BASE).toEqual({ value: "http://127.0.0.1:9/v4", from: ".dev.vars" });
    expect(fromFile.pass).not.toHaveProperty("REALTIMEKIT_API_BASE");
    expect(fromFile.pass.ALLOWED_ORIGINS).toBe(`http://localhost:5173,${EXAMPLE.join(",")}`);
    const both = devSettings({ commandLine: { ALLOWED_ORIGINS: "https://app.example" }, local, exampleOrigins: [] });
    expect(both.settings.ALLOWED_ORIGINS).toEqual({ value: "https://app.example", from: "the command line" });
    expect(both.pass).toEqual({ ALLOWED_ORIGINS: "https://app.example" });
  });

  it("given credentials are never replaced by fake ones; only the missing ones are, and counted", () => {
    const commandLine = { CLOUDFLARE_REALTIME_API_TOKEN: "mine" };
    const { settings, pass, missingCredentials } = devSettings({ commandLine, local: noLocal, emulatorUrl: EMULATOR });
    expect(missingCredentials).toEqual(["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_REALTIME_APP_ID"]);
    expect(settings.CLOUDFLARE_REALTIME_API_TOKEN).toEqual({ value: "mine", from: "the command line" });
    expect(pass.CLOUDFLARE_REALTIME_API_TOKEN).toBe("mine");
    expect(pass.CLOUDFLARE_ACCOUNT_ID).toBe(FAKE_CREDENTIALS.CLOUDFLARE_ACCOUNT_ID);
    expect(emulatorCredentials({ commandLine, local: noLocal })).toEqual({ ...FAKE_CREDENTIALS, CLOUDFLARE_REALTIME_API_TOKEN: "mine" });
    // An empty value counts as missing.
    const empty = devSettings({ commandLine: {}, local: localFrom({ CLOUDFLARE_ACCOUNT_ID: "" }), emulatorUrl: EMULATOR });
    expect(empty.settings.CLOUDFLARE_ACCOUNT_ID.value).toBe(FAKE_CREDENTIALS.CLOUDFLARE_ACCOUNT_ID);
  });

  it("uses the emulator only while credentials are missing and no API base is given", () => {
    expect(needsEmulator({ commandLine: {}, local: noLocal })).toBe(true);
    expect(needsEmulator({ commandLine: {}, local: localFrom(REAL) })).toBe(false);
    expect(needsEmulator({ commandLine: { CLOUDFLARE_ACCOUNT_ID: "x" }, local: localFrom({ ...REAL, CLOUDFLARE_ACCOUNT_ID: "" }) })).toBe(false);
    expect(needsEmulator({ commandLine: { CLOUDFLARE_ACCOUNT_ID: "" }, local: localFrom(REAL) })).toBe(true);
    expect(needsEmulator({ commandLine: { REALTIMEKIT_API_BASE: "http://127.0.0.1:9" }, local: noLocal })).toBe(false);
    const real = devSettings({ commandLine: {}, local: localFrom(REAL), exampleOrigins: EXAMPLE });
    expect(real.missingCredentials).toEqual([]);
    expect(real.pass).toEqual({ ALLOWED_ORIGINS: EXAMPLE.join(",") }); // no credential on wrangler's command line
  });
});

describe("localSettings", () => {
  let dir;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const inDir = (files) => {
    dir = mkdtempSync(join(tmpdir(), "vc-settings-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return localSettings(dir);
  };

  it("reads .dev.vars alone when it exists, as wrangler does", () => {
    expect(inDir({ ".dev.vars": 'A=1\n# note\nB="two words"\n', ".env": "C=3\n" })).toEqual({ files: [".dev.vars"], vars: { A: "1", B: "two words" } });
  });
  it("otherwise .env, then .env.local over it", () => {
    expect(inDir({ ".env": "A=1\nB=2\n", ".env.local": "B=local\n" })).toEqual({ files: [".env", ".env.local"], vars: { A: "1", B: "local" } });
  });
  it("and nothing when there is neither", () => {
    expect(inDir({})).toEqual({ files: [], vars: {} });
  });
});

describe("nodeProblem", () => {
  it("accepts 22.12.0 and newer, refuses older with one line naming the Node it needs", () => {
    for (const ok of ["22.12.0", "22.23.3", "24.0.0", "26.10.0", "30.0.0-pre"]) expect(nodeProblem(ok, ">=22.12.0"), ok).toBeNull();
    for (const old of ["22.11.9", "20.20.2", "18.0.0", "9.99.99"]) {
      expect(nodeProblem(old, ">=22.12.0"), old).toBe(`video-call-worker needs Node.js 22.12 or newer; this is Node.js ${old} (${process.execPath}).`);
    }
  });
  it("reads the range from package.json", () => {
    expect(nodeProblem("22.11.0")).toMatch(/^video-call-worker needs Node\.js 22\.12 or newer; /);
  });
});
