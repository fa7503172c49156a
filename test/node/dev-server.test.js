// End to end: `npm start` (wrangler dev, with the RealtimeKit emulator when
// .dev.vars holds no credentials) serves the C handlers over HTTP, and the
// README's two curl calls work against it.
import { fileURLToPath } from "node:url";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startProcess, waitFor } from "../support/node-helpers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("npm start", () => {
  let server;
  let base;
  let page; // the example call page's origin

  beforeAll(async () => {
    const port = await freePort();
    const inspector = await freePort();
    const examplePort = await freePort();
    base = `http://127.0.0.1:${port}`;
    page = `http://127.0.0.1:${examplePort}`;
    server = startProcess(
      "npm",
      ["start", "--", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector)],
      { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", EXAMPLE_PORT: String(examplePort) } },
    );
    if (existsSync(new URL(".dev.vars", `file://${root}`))) {
      throw new Error("this test runs npm start against the emulator: move .dev.vars aside first");
    }
    await waitFor(async () => (await fetch(`${base}/api/video-call/health`)).ok, {
      timeoutMs: 90_000,
      what: `wrangler dev on ${base}`,
    }).catch((error) => {
      throw new Error(`${error.message}\n${server.output()}`);
    });
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
    expect(await html.text()).toContain('<button id="start" type="button">Start a meeting</button>');
    expect(await (await fetch(`${page}/config.js`)).text()).toBe(`export default {"apiBase":"${base}","emulator":true};\n`);
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

  it("says it runs against the local RealtimeKit emulator", () => {
    expect(server.output()).toContain("the Worker talks to the local RealtimeKit emulator at http://127.0.0.1:");
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
    const token = JSON.parse(run(tokenCall, { MEETING_ID: session.meeting_id }));
    expect(Object.keys(token)).toEqual(["auth_token", "participant_id"]);
    expect(token.auth_token.split(".")).toHaveLength(3);
  });
});
