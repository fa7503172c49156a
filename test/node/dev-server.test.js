// End to end: `npm start` (wrangler dev, with the RealtimeKit emulator when
// .dev.vars holds no credentials) serves the C handlers over HTTP, and the
// README's two curl calls work against it. What the command line and
// .dev.vars set wins over npm start's defaults (here: ALLOWED_ORIGINS).
import { fileURLToPath } from "node:url";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startProcess, waitFor } from "../support/node-helpers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

// Starts `npm start -- --ip 127.0.0.1 --port P ...args` in `cwd` and waits for its health route.
// Its local state (the rate limiter's counts, the budget's object) is its own:
// wrangler dev keeps it under .wrangler/state, shared with the browser tests'
// npm start, which spends the token route's rate limit on purpose.
async function startDev(cwd, args, env = {}) {
  const port = await freePort();
  const inspector = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const state = mkdtempSync(join(tmpdir(), "vc-dev-state-"));
  const devArgs = ["--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector), "--persist-to", state, ...args];
  const server = startProcess("npm", ["start", "--", ...devArgs], {
    cwd,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", ...env },
  });
  const up = waitFor(async () => (await fetch(`${base}/api/video-call/health`)).ok, { timeoutMs: 90_000, what: `wrangler dev on ${base}` });
  const exit = server.exited.then((code) => Promise.reject(new Error(`npm start exited (${code}) before serving ${base}`)));
  await Promise.race([up, exit]).catch(async (error) => {
    await server.stop();
    throw new Error(`${error.message}\n${server.output()}`);
  });
  const stop = server.stop;
  server.stop = async () => {
    await stop();
    rmSync(state, { recursive: true, force: true });
  };
  return { server, base };
}

// The preflight's status and Access-Control-Allow-Origin for a page on `origin`.
async function preflight(base, origin) {
  const res = await fetch(`${base}/api/video-call/token`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
  });
  await res.arrayBuffer();
  return [res.status, res.headers.get("access-control-allow-origin")];
}

describe("npm start", () => {
  let server;
  let base;
  let page; // the example call page's origin
  let app; // a frontend team's own page, given on the command line

  beforeAll(async () => {
    if (existsSync(join(root, ".dev.vars"))) {
      throw new Error("this test runs npm start against the emulator: move .dev.vars aside first");
    }
    const examplePort = await freePort();
    page = `http://127.0.0.1:${examplePort}`;
    app = `http://localhost:${await freePort()}`;
    ({ server, base } = await startDev(root, ["--var", `ALLOWED_ORIGINS:${app}`], { EXAMPLE_PORT: String(examplePort) }));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("serves GET /api/video-call/health from the C code", async () => {
    const res = await fetch(`${base}/api/video-call/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ok", configured: true, budget: { enabled: true, calls: 1000, seconds: 300 } });
  });

  it("serves the example call page on its own origin, which ALLOWED_ORIGINS lists", async () => {
    const html = await fetch(`${page}/`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await html.text()).toContain('<button id="start" type="submit">Start a meeting</button>');
    expect(await (await fetch(`${page}/config.js`)).text()).toBe(`export default {"apiBase":"${base}","emulator":true,"signIn":null};\n`);
    expect((await fetch(`${page}/client/index.js`)).status).toBe(200);
    expect((await fetch(`${page}/vendor/realtimekit/browser.js`)).status).toBe(200);
    expect((await fetch(`${page}/vendor/realtimekit-ui/loader/index.js`)).status).toBe(200);
    // URL parsing resolves "..", even encoded, before the server sees it; an encoded slash ("..%2f") survives it.
    // Each names a file that exists just outside the folder it would be served from.
    for (const outside of ["/..%2fserve.js", "/vendor/realtimekit/..%2fpackage.json", "/client/..%2ftools%2fbuild.js", "/..%2f..%2f.gitignore"]) {
      expect((await fetch(`${page}${outside}`)).status, outside).toBe(404);
    }
    for (const origin of [page, page.replace("127.0.0.1", "localhost")]) {
      const preflight = await fetch(`${base}/api/video-call/session`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    }
  });

  it("lets the command line's ALLOWED_ORIGINS win, with the example page's origins added, and says so", async () => {
    expect(await preflight(base, app)).toEqual([204, app]);
    expect(await preflight(base, page)).toEqual([204, page]);
    expect(await preflight(base, "http://localhost:1")).toEqual([403, null]);
    const res = await fetch(`${base}/api/video-call/session`, { method: "POST", headers: { origin: app, "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(app);
    const pagePort = new URL(page).port;
    expect(server.output()).toContain(
      `Allowed origins: ${app}, http://localhost:${pagePort}, http://127.0.0.1:${pagePort} (from the command line, and npm start added the example page).`,
    );
  });

  it("answers unknown paths with the JSON 404", async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Not found", code: "NOT_FOUND" });
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const res = await fetch(`${base}/api/video-call/health`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$|^[0-9a-f]+-[A-Z]+$/);
    expect(await res.json()).toEqual({ error: "Method not allowed", code: "METHOD_NOT_ALLOWED" });
  });

  it("says it runs against the local RealtimeKit emulator, with host keys on", () => {
    expect(server.output()).toContain("the Worker talks to the local RealtimeKit emulator at http://127.0.0.1:");
    expect(server.output()).toContain("Host keys: on, with a random HOST_KEY_SECRET made for this run (keys from an earlier run no longer work).");
  });

  // The README's calls are for a POSIX shell (macOS, Linux, Git Bash on Windows).
  const posixShell = spawnSync("bash", ["--version"]).status === 0;
  it.skipIf(!posixShell)("creates a meeting and a token with the README's curl calls", () => {
    const readme = readFileSync(`${root}README.md`, "utf8");
    const curls = [...readme.matchAll(/^curl .*$/gm)].map((m) => m[0]);
    const sessionCall = curls.find((c) => c.includes("/api/video-call/session"));
    const tokenCall = curls.find((c) => c.includes("/api/video-call/token"));
    expect(sessionCall).toBeDefined();
    expect(tokenCall).toBeDefined();
    const run = (command, vars = {}) =>
      execFileSync("bash", ["-c", command.replaceAll("http://localhost:8787", base)], {
        env: { ...process.env, ...vars },
        encoding: "utf8",
      });
    const session = JSON.parse(run(sessionCall));
    expect(session.meeting_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Object.keys(session)).toEqual(["meeting_id", "host_key"]);
    expect(session.host_key).toMatch(/^v1\.[A-Za-z0-9_-]{43}$/);
    const token = JSON.parse(run(tokenCall, { MEETING_ID: session.meeting_id }));
    expect(Object.keys(token), JSON.stringify(token)).toEqual(["auth_token", "participant_id"]);
    expect(token.auth_token.split(".")).toHaveLength(3);
  });
});

// .dev.vars wins over npm start's defaults too: run in a copy of the checkout
// (node_modules linked) so that the real one keeps no .dev.vars.
describe("npm start with .dev.vars", () => {
  let dir;
  let dev;
  const app = "http://localhost:5173";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vc-devvars-"));
    const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of tracked) if (existsSync(join(root, file))) cpSync(join(root, file), join(dir, file), { recursive: true });
    cpSync(join(root, "build"), join(dir, "build"), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(join(dir, ".dev.vars"), `ALLOWED_ORIGINS=${app}\nCLOUDFLARE_REALTIME_API_TOKEN=token-from-dev-vars\n`);
    dev = await startDev(dir, [], { EXAMPLE_PORT: "off" });
  });

  afterAll(async () => {
    await dev?.server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("allows the origins .dev.vars lists, says where they come from, and gives the emulator its token", async () => {
    expect(await preflight(dev.base, app)).toEqual([204, app]);
    expect(await preflight(dev.base, "http://localhost:8788")).toEqual([403, null]);
    const output = dev.server.output();
    expect(output).toContain("Settings from .dev.vars (wrangler reads them too).");
    expect(output).toContain(`Allowed origins: ${app} (from .dev.vars).`);
    expect(output).toContain("Not given: CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_REALTIME_APP_ID.");
    expect(output).not.toContain("token-from-dev-vars");
    // The emulator accepts the token .dev.vars gives, so the Worker's calls succeed.
    const res = await fetch(`${dev.base}/api/video-call/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    expect(Object.keys(await res.json())).toEqual(["meeting_id", "host_key"]);
  });
});

describe("npm start's command line", () => {
  it("stops with one line on a --var without NAME:value, before starting anything", () => {
    const run = spawnSync(process.execPath, [join(root, "tools/dev/start.js"), "--var", "ALLOWED_ORIGINS"], { cwd: root, encoding: "utf8", timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("npm start: --var ALLOWED_ORIGINS: expected NAME:value\n");
    expect(run.stdout).toBe("");
  });
});
