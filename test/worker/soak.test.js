// A soak of 100,000 mixed requests (error paths included) in one isolate,
// with RealtimeKit answered in-process: the instances' wasm memory and the C
// allocator's live-block count must come back to their baseline.
import { afterEach, describe, expect, it, vi } from "vitest";
import wasm from "../../build/vc.wasm";
import { createWorker } from "../../shim/handler.js";
import { FAKE_ENV } from "./helpers.js";

const TOTAL = 100_000;
const CONCURRENCY = 8;
const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const json = (status, body, headers = {}) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

// RealtimeKit in-process: replies rotate through success and every failure kind.
const upstreamReplies = [
  () => json(201, { success: true, data: { id: MEETING, token: "tok.en.sig" } }),
  () => json(201, { success: true, data: { id: MEETING, token: "tok.en.sig" } }),
  () => json(404, { success: false, error: { code: 404, message: "Meeting not found" } }),
  () => json(500, { success: false, error: { code: 500, message: "boom" } }),
  () => json(429, "{}", { "retry-after": "3" }),
  () => json(200, "<html>oops</html>"),
  () => json(200, { success: false }),
  () => json(201, '{"success":true,"data":{"id":"'),
  () => new Response(null, { status: 302, headers: { location: "https://elsewhere.example/" } }),
];

const big = JSON.stringify({ name: "x".repeat(20_000) });
// [method, path, body]: every kind of request, valid and not.
const requests = [
  ["GET", "/api/video-call/health"],
  ["GET", "/nope"],
  ["DELETE", "/api/video-call/token"],
  ["POST", "/api/video-call/session", "{}"],
  ["POST", "/api/video-call/session", '{"name":"Standup"}'],
  ["POST", "/api/video-call/session", "{"],
  ["POST", "/api/video-call/session", '{"name":""}'],
  ["POST", "/api/video-call/token", JSON.stringify({ meeting_id: MEETING, name: "Ada" })],
  ["POST", "/api/video-call/token", JSON.stringify({ meeting_id: MEETING.toUpperCase() })],
  ["POST", "/api/video-call/token", '{"meeting_id":"../x"}'],
  ["POST", "/api/video-call/token", '{"meeting_id":"a","meeting_id":"b"}'],
  ["POST", "/api/video-call/token", "[" .repeat(40)],
  ["POST", "/api/video-call/session", big],
];

afterEach(() => vi.restoreAllMocks());

async function drive(worker, count) {
  const statuses = {};
  let next = 0;
  let upstream = 0;
  vi.spyOn(globalThis, "fetch").mockImplementation(async () => upstreamReplies[upstream++ % upstreamReplies.length]());
  async function loop() {
    while (next < count) {
      const i = next++;
      const [method, path, body] = requests[i % requests.length];
      const res = await worker.fetch(new Request(`https://worker.test${path}`, { method, body }), FAKE_ENV);
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  return { statuses, upstream };
}

describe("soak", () => {
  it(`serves ${TOTAL.toLocaleString("en")} mixed requests with memory and allocations back at baseline`, async () => {
    let logLines = 0;
    const spies = ["log", "warn", "error", "debug"].map((level) =>
      vi.spyOn(console, level).mockImplementation(() => logLines++),
    );
    const worker = createWorker(wasm);

    await drive(worker, 2_000); // warm-up: the pool and each heap reach their working size
    const baseline = worker.pool.stats();

    const started = Date.now();
    const { statuses, upstream } = await drive(worker, TOTAL);
    const seconds = (Date.now() - started) / 1000;
    const after = worker.pool.stats();

    for (const spy of spies) spy.mockRestore();
    console.log(
      `soak: ${TOTAL} requests in ${seconds.toFixed(1)} s, ${upstream} upstream calls, statuses ${JSON.stringify(statuses)}\n` +
        `soak: baseline ${baseline.idle} instances, ${baseline.memoryBytes} bytes of wasm memory, ${baseline.liveAllocations} live allocations\n` +
        `soak: after    ${after.idle} instances, ${after.memoryBytes} bytes of wasm memory, ${after.liveAllocations} live allocations`,
    );
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(TOTAL);
    for (const status of [200, 400, 404, 405, 413, 500]) expect(statuses[status]).toBeGreaterThan(0);
    expect(statuses[500] + statuses[200] + statuses[404]).toBeGreaterThan(upstream - 1);
    expect(after.created).toBe(baseline.created); // no instance was lost to a trap
    expect(after.idle).toBe(baseline.idle);
    expect(after.liveAllocations).toBe(0);
    expect(baseline.liveAllocations).toBe(0);
    expect(after.memoryBytes).toBe(baseline.memoryBytes);
    expect(logLines).toBeGreaterThan(upstream - 1); // one line per upstream event at least
  }, 300_000);
});
