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
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", EXAMPLE_PORT: String(examplePort), EMULATOR_PORT: String(emulatorPort), DEV_SIGN_IN: "1" },
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

  let contexts = [];

  // A page in a context of its own (its own sessionStorage: a guest is not the host's tab).
  // guard: stop and record requests to anywhere but 127.0.0.1 in page.stopped (request
  // interception changes how Chromium reports a CORS preflight, so the preflight test goes
  // without it; it loads nothing else). reset: forget the emulator's meetings and requests first.
  async function newPage({ guard = true, reset = true } = {}) {
    if (reset) await fetch(`${emulatorUrl}/__emulator/reset`, { method: "POST" });
    context = await browser.newContext();
    contexts.push(context);
    const stopped = [];
    if (guard) await context.route("**/*", (route) => {
      const request = route.request();
      if (new URL(request.url()).hostname === "127.0.0.1") return route.continue();
      stopped.push({ url: request.url(), type: request.resourceType(), authorization: request.headers().authorization });
      return route.abort("internetdisconnected");
    });
    const page = await context.newPage();
    page.stopped = stopped;
    return page;
  }

  afterEach(async () => {
    for (const c of contexts) await c.close();
    contexts = [];
    context = null;
  });

  // RealtimeKit's calls (the identity provider's, under /idp, apart).
  const emulatorLog = async () => (await (await fetch(`${emulatorUrl}/__emulator/requests`)).json());
  const rtkLog = async () => (await emulatorLog()).filter((r) => !r.path.startsWith("/idp/"));
  const rtkRequests = async () => (await rtkLog()).map((r) => `${r.method} ${r.path.replace(/^.*\/realtime\/kit\/[^/]+/, "")}`);
  const presetsSent = async () => (await rtkLog()).filter((r) => r.path.endsWith("/participants")).map((r) => JSON.parse(r.body).preset_name);
  const fault = (rule) => fetch(`${emulatorUrl}/__emulator/faults`, { method: "POST", body: JSON.stringify(rule) });
  const status = (page) => page.locator("#status").textContent();
  const presented = (page) => new Set(page.stopped.filter((r) => r.authorization).map((r) => r.authorization));
  // Runs an async function body in the page, as the page's own module code would (given as text, so
  // that nothing rewrites its import()).
  const inPage = (page, body) => page.evaluate(`(async () => {${body}\n})()`);

  // Starts a meeting on the page (its creator joins as host) and returns the guests' link
  // once the host's token has reached the UI Kit.
  async function startMeeting(page, { title, hostName } = {}) {
    await page.goto(pageUrl);
    if (title) await page.locator("#meeting-name").fill(title);
    if (hostName) await page.locator("#host-name").fill(hostName);
    await page.getByRole("button", { name: "Start a meeting" }).click();
    await page.locator("#share-section").waitFor({ state: "visible" });
    await page.waitForSelector('body[data-call-state="no-media-servers"]', { timeout: 60_000 });
    return page.locator("#share-link").getAttribute("href");
  }

  // Opens the link as a guest and joins as `name`; resolves with the Worker's token answer.
  async function joinAs(page, link, name) {
    await page.goto(link);
    await page.locator("#join-form").waitFor({ state: "visible" });
    const answer = page.waitForResponse((r) => r.url() === `${api}/api/video-call/token`);
    await page.locator("#name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    return (await answer).json();
  }

  it("starts a meeting and joins its creator at once as host; the guests' link carries no key", async () => {
    const page = await newPage();
    const sessionAnswer = page.waitForResponse((r) => r.url() === `${api}/api/video-call/session`);
    const hostAnswer = page.waitForResponse((r) => r.url() === `${api}/api/video-call/token`);
    const link = await startMeeting(page, { title: "Team sync", hostName: "Grace" });
    const { meeting_id: meetingId, host_key: hostKey } = await (await sessionAnswer).json();
    expect(meetingId).toMatch(UUID);
    expect(hostKey).toMatch(/^v1\.[A-Za-z0-9_-]{43}$/);
    expect(link).toBe(`${pageUrl}?meeting=${meetingId}`);
    expect(page.url()).toBe(`${pageUrl}?meeting=${meetingId}`);
    expect(await page.content()).not.toContain(hostKey);
    const host = await (await hostAnswer).json();
    // DEV_SIGN_IN: the creator is signed in (the development user), its participant named by the sign-in
    const created = (await sessionAnswer).request();
    expect(await created.headerValue("authorization")).toMatch(/^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const joined = (await rtkLog()).find((r) => r.path.endsWith("/participants"));
    expect(JSON.parse(joined.body)).toMatchObject({ name: "Grace", custom_participant_id: expect.stringMatching(/^u_[A-Za-z0-9_-]{43}$/) });
    expect(await presetsSent()).toEqual(["group_call_host"]);
    expect(await rtkRequests()).toEqual(["POST /meetings", `POST /meetings/${meetingId}/participants`]);
    expect(presented(page)).toEqual(new Set([`Bearer ${host.auth_token}`]));
    expect(await page.locator("#call rtk-meeting").evaluate((el) => el.classList.contains("hydrated"))).toBe(true);
    expect(await page.getByRole("button", { name: "End meeting for everyone" }).isVisible()).toBe(true);
    // Nothing the page is made of came from elsewhere: no CDN, no web font.
    expect(page.stopped.filter((r) => ["script", "stylesheet", "font", "image", "document"].includes(r.type))).toEqual([]);
  });

  it("a guest's link shows the meeting's title, then joins as guest and hands the Worker's token to RealtimeKit's UI Kit", async () => {
    const hostPage = await newPage();
    const link = await startMeeting(hostPage, { title: "Team sync" });
    const meetingId = new URL(link).searchParams.get("meeting");
    const guest = await newPage({ reset: false });
    await guest.goto(link);
    await expect.poll(() => guest.locator("#meeting-title").textContent()).toBe("Team sync");
    expect(await guest.getByRole("button", { name: "End meeting for everyone" }).isVisible()).toBe(false);
    expect(await guest.getByRole("button", { name: "Start a meeting" }).isVisible()).toBe(false);
    const answer = await joinAs(guest, link, "Ada");
    expect(answer.participant_id).toMatch(UUID);
    await guest.waitForSelector('body[data-call-state="no-media-servers"]', { timeout: 60_000 });
    expect(await status(guest)).toContain("The local RealtimeKit emulator has no media servers");
    expect(await guest.locator("#call rtk-meeting").evaluate((el) => el.classList.contains("hydrated"))).toBe(true);
    expect(presented(guest)).toEqual(new Set([`Bearer ${answer.auth_token}`]));
    expect(await guest.getByRole("button", { name: "End meeting for everyone" }).isVisible()).toBe(false);
    expect(await presetsSent()).toEqual(["group_call_host", "group_call_participant"]);
    // the guest joined by link, not signed in: no Authorization, a generated participant id
    const joins = (await rtkLog()).filter((r) => r.path.endsWith("/participants")).map((r) => JSON.parse(r.body).custom_participant_id);
    expect(joins).toEqual([expect.stringMatching(/^u_/), expect.stringMatching(UUID)]);
    expect(await rtkRequests()).toEqual([
      "POST /meetings",
      `POST /meetings/${meetingId}/participants`,
      `GET /meetings/${meetingId}`, // the guest opened the link twice
      `GET /meetings/${meetingId}`,
      `POST /meetings/${meetingId}/participants`,
    ]);
    mkdirSync(join(root, "build"), { recursive: true });
    await hostPage.setViewportSize({ width: 960, height: 600 });
    await hostPage.screenshot({ path: join(root, "build/call-page.png") });
  });

  it("shows a title as text, never as markup", async () => {
    const hostPage = await newPage();
    const title = '<img src=x onerror="window.injected=1">';
    const link = await startMeeting(hostPage, { title });
    const guest = await newPage({ reset: false });
    await guest.goto(link);
    await expect.poll(() => guest.locator("#meeting-title").textContent()).toBe(title);
    expect(await guest.locator("#meeting-title img").count()).toBe(0);
    expect(await guest.evaluate(() => window.injected)).toBeUndefined();
  });

  it("the host ends the meeting for everyone; the guests' link then says it has ended, and joining is refused", async () => {
    const hostPage = await newPage();
    const link = await startMeeting(hostPage);
    const meetingId = new URL(link).searchParams.get("meeting");
    const guest = await newPage({ reset: false });
    await joinAs(guest, link, "Ada");
    await guest.waitForSelector('body[data-call-state="no-media-servers"]', { timeout: 60_000 });
    const ended = hostPage.waitForResponse((r) => r.url() === `${api}/api/video-call/session/end`);
    await hostPage.getByRole("button", { name: "End meeting for everyone" }).click();
    expect((await ended).status()).toBe(200);
    await expect.poll(() => status(hostPage)).toBe("You ended the meeting for everyone.");
    expect(await hostPage.locator("body").getAttribute("data-call-state")).toBe("ended");
    expect(await hostPage.locator("#call rtk-meeting").count()).toBe(0);
    expect((await rtkRequests()).slice(-2)).toEqual([`PATCH /meetings/${meetingId}`, `POST /meetings/${meetingId}/active-session/kick-all`]);

    const late = await newPage({ reset: false });
    await late.goto(link);
    await expect.poll(() => status(late)).toBe("This meeting has ended.");
    expect(await late.locator("#join-form").isVisible()).toBe(false);
    expect(await late.locator("body").getAttribute("data-call-state")).toBe("ended");
    const refused = await inPage(late, `
      const { VideoCallClient } = await import("/client/index.js");
      try {
        await new VideoCallClient({ baseUrl: ${JSON.stringify(api)} }).join(${JSON.stringify(meetingId)}, { name: "Late" });
        return null;
      } catch (e) {
        return { code: e.code, status: e.status, message: e.message };
      }`);
    expect(refused).toEqual({ code: "MEETING_ENDED", status: 410, message: "Meeting has ended" });
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
    await page.goto(pageUrl);
    await page.getByRole("button", { name: "Start a meeting" }).click();
    await page.locator("#share-section").waitFor({ state: "visible" });
    await expect.poll(() => preflights.length).toBeGreaterThan(0);
    const [preflight] = preflights;
    expect(preflight.url).toBe(`${api}/api/video-call/session`);
    expect(preflight.headers["Access-Control-Request-Method"]).toBe("POST");
    // DEV_SIGN_IN: the signed-in creator's call carries Authorization, which the preflight asks for
    expect(preflight.headers["Access-Control-Request-Headers"]).toBe("authorization,content-type");
    await expect.poll(() => answers.get(preflight.id)?.status).toBe(204);
    const headers = Object.fromEntries(Object.entries(answers.get(preflight.id).headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers["access-control-allow-origin"]).toBe(new URL(pageUrl).origin);
    expect(headers["access-control-allow-methods"]).toBe("POST, OPTIONS");
    expect(headers["access-control-allow-headers"]).toBe("content-type, cf-turnstile-response, authorization");
    // the host's join is done before the next test resets the emulator
    await page.waitForSelector('body[data-call-state="no-media-servers"]', { timeout: 60_000 });
  });

  it("refreshes an expired token through the client before RealtimeKit sees it", async () => {
    const hostPage = await newPage();
    const link = await startMeeting(hostPage);
    const meetingId = new URL(link).searchParams.get("meeting");
    const page = await newPage({ reset: false });
    await fault({ op: "add_participant", times: 1, action: { type: "expired-token" } });
    const answer = await joinAs(page, link, "Grace");
    expect(payloadOf(answer.auth_token).exp).toBeLessThan(Date.now() / 1000);
    await page.waitForSelector('body[data-call-state="no-media-servers"]', { timeout: 60_000 });
    // this meeting's calls after the host's create and join (a request still in flight from an
    // earlier test's page may reach the emulator after its reset: it names another meeting)
    expect((await rtkRequests()).filter((r) => r.includes(meetingId)).slice(1)).toEqual([
      `GET /meetings/${meetingId}`,
      `POST /meetings/${meetingId}/participants`,
      `POST /meetings/${meetingId}/participants/${answer.participant_id}/token`,
    ]);
    expect(presented(page).size).toBe(1);
    const [token] = [...presented(page)].map((h) => h.slice("Bearer ".length));
    expect(token).not.toBe(answer.auth_token);
    expect(payloadOf(token).exp).toBeGreaterThan(Date.now() / 1000);
  });

  it("says in words, before asking a name, that a meeting does not exist", async () => {
    const page = await newPage();
    const missing = "0b7f1f5e-9a7c-4c0e-8d2e-3f1a2b3c4d5e";
    const answer = page.waitForResponse((r) => r.url() === `${api}/api/video-call/session/${missing}`);
    await page.goto(`${pageUrl}?meeting=${missing}`);
    expect(await (await answer).json()).toEqual({ error: "Meeting not found", code: "NOT_FOUND" });
    await expect.poll(() => status(page)).toBe("This meeting does not exist. Check the link, or start a new meeting.");
    expect(await page.locator("body").getAttribute("data-call-state")).toBe("error");
    expect(await page.locator("#join-form").isVisible()).toBe(false);
    expect(await page.locator("#call rtk-meeting").count()).toBe(0);
    expect(await rtkRequests()).toEqual([`GET /meetings/${missing}`]);
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
    const hostPage = await newPage();
    const link = await startMeeting(hostPage);
    const page = await newPage({ reset: false });
    await page.goto(link);
    await page.locator("#join-form").waitFor({ state: "visible" });
    const meetingId = new URL(link).searchParams.get("meeting");
    // the local limiter's windows are the wall clock's minutes: start early in one, so that
    // the 429 below and the page's own join fall in the same window
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
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
    await page.locator("#name").fill("Ada");
    await page.getByRole("button", { name: "Join" }).click();
    await expect.poll(() => status(page)).toBe("Too many requests. Please try again in 60 seconds.");
  });
});
