// The example call page (examples/call/) in a real Chromium, against `npm
// start` with the RealtimeKit emulator: every call the page makes is a real
// cross-origin request to the Worker. Only 127.0.0.1 is reached: any other
// request (RealtimeKit's SDK trying its servers) is stopped and recorded.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createExampleServer } from "../../examples/serve.js";
import { CHROMIUM_HINT, chromiumArgs, findChromium } from "../support/chromium.js";
import { freePort, startProcess, waitFor } from "../support/node-helpers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const executablePath = findChromium();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

if (!executablePath && process.env.CI) {
  it("has a Chromium to run in", () => {
    throw new Error(`CI=true: the browser tests are required, and no Chromium was found (${CHROMIUM_HINT})`);
  });
}

const payloadOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

describe.skipIf(!executablePath)("the example call page in Chromium", () => {
  let server;
  let browser;
  let api; // the Worker, as the page calls it
  let emulatorUrl;
  let pageUrl;
  let context;
  let stopped; // requests to anywhere but 127.0.0.1, stopped
  let state; // wrangler dev's local state (the rate limiter's counts persist there): this run's own

  beforeAll(async () => {
    const [port, inspector, examplePort, emulatorPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    api = `http://127.0.0.1:${port}`;
    emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    pageUrl = `http://127.0.0.1:${examplePort}/`;
    state = mkdtempSync(join(tmpdir(), "vc-browser-state-"));
    const devArgs = ["--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector), "--persist-to", state];
    server = startProcess(process.execPath, [join(root, "tools/dev/start.js"), ...devArgs], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", EXAMPLE_PORT: String(examplePort), EMULATOR_PORT: String(emulatorPort) },
    });
    const exited = () => server.child.exitCode !== null;
    await waitFor(async () => exited() || ((await fetch(`${api}/api/video-call/health`)).ok && (await fetch(pageUrl)).ok), {
      timeoutMs: 120_000,
      what: `npm start on ${api} and ${pageUrl}`,
    }).catch((error) => {
      throw new Error(`${error.message}\n${server.output()}`);
    });
    if (exited()) throw new Error(`npm start exited:\n${server.output()}`);
    browser = await chromium.launch({ executablePath, args: chromiumArgs() });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (state) rmSync(state, { recursive: true, force: true });
  });

  // guard: stop and record requests to anywhere but 127.0.0.1 (request interception changes how
  // Chromium reports a CORS preflight, so the preflight test goes without it; it loads nothing else).
  async function newPage({ guard = true } = {}) {
    await fetch(`${emulatorUrl}/__emulator/reset`, { method: "POST" });
    context = await browser.newContext();
    stopped = [];
    if (guard) await context.route("**/*", (route) => {
      const request = route.request();
      if (new URL(request.url()).hostname === "127.0.0.1") return route.continue();
      stopped.push({ url: request.url(), type: request.resourceType(), authorization: request.headers().authorization });
      return route.abort("internetdisconnected");
    });
    return context.newPage();
  }

  afterEach(async () => {
    await context?.close();
    context = null;
  });

  const rtkRequests = async () => (await (await fetch(`${emulatorUrl}/__emulator/requests`)).json()).map((r) => `${r.method} ${r.path.replace(/^.*\/realtime\/kit\/[^/]+/, "")}`);
  const fault = (rule) => fetch(`${emulatorUrl}/__emulator/faults`, { method: "POST", body: JSON.stringify(rule) });
  const status = (page) => page.locator("#status").textContent();
  // Runs an async function body in the page, as the page's own module code would (given as text, so
  // that nothing rewrites its import()).
  const inPage = (page, body) => page.evaluate(`(async () => {${body}\n})()`);

  // Starts a meeting on the page and returns its share link.
  async function startMeeting(page) {
    await page.goto(pageUrl);
    await page.getByRole("button", { name: "Start a meeting" }).click();
    await page.locator("#share-section").waitFor({ state: "visible" });
    return page.locator("#share-link").getAttribute("href");
  }

  // Joins from the link as `name`; resolves with the Worker's token answer.
  async function joinAs(page, link, name) {
    await page.goto(link);
    const answer = page.waitForResponse((r) => r.url() === `${api}/api/video-call/token`);
    await page.getByLabel("Your name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    return (await answer).json();
  }

  it("creates a meeting, follows the link, joins, and hands the Worker's token to RealtimeKit's UI Kit", async () => {
    const page = await newPage();
    const link = await startMeeting(page);
    const meetingId = new URL(link).searchParams.get("meeting");
    expect(meetingId).toMatch(UUID);
    expect(new URL(link).origin).toBe(new URL(pageUrl).origin);

    const answer = await joinAs(page, link, "Ada");
    expect(answer.participant_id).toMatch(UUID);
    await page.waitForSelector('body[data-call-state="no-media-servers"]', { timeout: 60_000 });
    expect(await status(page)).toContain("The local RealtimeKit emulator has no media servers");

    // The UI Kit's element is mounted, and RealtimeKit's SDK presented exactly the Worker's token.
    expect(await page.locator("#call rtk-meeting").evaluate((el) => el.classList.contains("hydrated"))).toBe(true);
    const presented = stopped.filter((r) => r.authorization).map((r) => r.authorization);
    expect(presented.length).toBeGreaterThan(0);
    expect(new Set(presented)).toEqual(new Set([`Bearer ${answer.auth_token}`]));
    // Nothing the page is made of came from elsewhere: no CDN, no web font.
    expect(stopped.filter((r) => ["script", "stylesheet", "font", "image", "document"].includes(r.type))).toEqual([]);

    expect(await rtkRequests()).toEqual(["POST /meetings", `POST /meetings/${meetingId}/participants`]);
    mkdirSync(join(root, "build"), { recursive: true });
    await page.setViewportSize({ width: 960, height: 600 });
    await page.screenshot({ path: join(root, "build/call-page.png") });
  });

  it("sends a CORS preflight for the JSON request, and the Worker answers it", async () => {
    const page = await newPage({ guard: false });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const preflights = [];
    cdp.on("Network.requestWillBeSent", (event) => {
      if (event.request.method === "OPTIONS") preflights.push({ id: event.requestId, url: event.request.url, headers: event.request.headers });
    });
    const answers = new Map();
    cdp.on("Network.responseReceived", (event) => answers.set(event.requestId, event.response));
    await startMeeting(page);
    await expect.poll(() => preflights.length).toBeGreaterThan(0);
    const [preflight] = preflights;
    expect(preflight.url).toBe(`${api}/api/video-call/session`);
    expect(preflight.headers["Access-Control-Request-Method"]).toBe("POST");
    expect(preflight.headers["Access-Control-Request-Headers"]).toBe("content-type");
    await expect.poll(() => answers.get(preflight.id)?.status).toBe(204);
    const headers = Object.fromEntries(Object.entries(answers.get(preflight.id).headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers["access-control-allow-origin"]).toBe(new URL(pageUrl).origin);
    expect(headers["access-control-allow-methods"]).toBe("POST, OPTIONS");
    expect(headers["access-control-allow-headers"]).toBe("content-type, cf-turnstile-response");
  });

  it("refreshes an expired token through the client before RealtimeKit sees it", async () => {
    const page = await newPage();
    const link = await startMeeting(page);
    const meetingId = new URL(link).searchParams.get("meeting");
    await fault({ op: "add_participant", times: 1, action: { type: "expired-token" } });
    const answer = await joinAs(page, link, "Grace");
    expect(payloadOf(answer.auth_token).exp).toBeLessThan(Date.now() / 1000);
    await page.waitForSelector('body[data-call-state="no-media-servers"]', { timeout: 60_000 });
    expect(await rtkRequests()).toEqual([
      "POST /meetings",
      `POST /meetings/${meetingId}/participants`,
      `POST /meetings/${meetingId}/participants/${answer.participant_id}/token`,
    ]);
    const presented = new Set(stopped.filter((r) => r.authorization).map((r) => r.authorization));
    expect(presented.size).toBe(1);
    const [token] = [...presented].map((h) => h.slice("Bearer ".length));
    expect(token).not.toBe(answer.auth_token);
    expect(payloadOf(token).exp).toBeGreaterThan(Date.now() / 1000);
  });

  it("says in words that a meeting does not exist", async () => {
    const page = await newPage();
    const missing = "0b7f1f5e-9a7c-4c0e-8d2e-3f1a2b3c4d5e";
    const answer = await joinAs(page, `${pageUrl}?meeting=${missing}`, "Ada").catch(() => null);
    expect(answer).toEqual({ error: "Meeting not found", code: "NOT_FOUND" });
    await expect.poll(() => status(page)).toBe("This meeting does not exist. Check the link, or start a new meeting.");
    expect(await page.locator("body").getAttribute("data-call-state")).toBe("error");
    expect(await page.locator("#call rtk-meeting").count()).toBe(0);
  });

  it("cannot read any answer from an origin not in ALLOWED_ORIGINS, and RealtimeKit is never called", async () => {
    const other = createExampleServer({ apiBase: api, emulator: true });
    const port = await freePort();
    await new Promise((resolve) => other.listen(port, "127.0.0.1", resolve));
    try {
      const page = await newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      const error = await inPage(page, `
        const { VideoCallClient } = await import("/client/index.js");
        try {
          await new VideoCallClient({ baseUrl: ${JSON.stringify(api)} }).createMeeting();
          return null;
        } catch (e) {
          return { name: e.name, code: e.code, status: e.status, retryAfter: e.retryAfter };
        }`);
      expect(error).toEqual({ name: "VideoCallError", code: "NETWORK_ERROR", status: 0, retryAfter: null });
      await page.getByRole("button", { name: "Start a meeting" }).click();
      await expect.poll(() => status(page)).toBe("The video-call service could not be reached. Check your connection and try again.");
      expect(await rtkRequests()).toEqual([]);
    } finally {
      other.close();
    }
  });

  // Last: it spends this address's rate limit on the token route.
  it("shows a 429 with its wait", async () => {
    const page = await newPage();
    const link = await startMeeting(page);
    await page.goto(link);
    const meetingId = new URL(link).searchParams.get("meeting");
    const limited = await inPage(page, `
      const { VideoCallClient } = await import("/client/index.js");
      const client = new VideoCallClient({ baseUrl: ${JSON.stringify(api)} });
      for (let i = 0; i < 40; i++) {
        try {
          await client.join(${JSON.stringify(meetingId)}, { name: "Guest " + i });
        } catch (e) {
          if (e.code === "RATE_LIMITED") return { code: e.code, status: e.status, retryAfter: e.retryAfter };
          throw e;
        }
      }
      return null;`);
    expect(limited).toEqual({ code: "RATE_LIMITED", status: 429, retryAfter: 60 });
    await page.getByLabel("Your name").fill("Ada");
    await page.getByRole("button", { name: "Join" }).click();
    await expect.poll(() => status(page)).toBe("Too many requests. Please try again in 60 seconds.");
  });
});
