// The account's budget (API_BUDGET, README "Call budget") in workerd, against
// the emulator enforcing the Cloudflare API's limit scaled down: 20 calls per
// 5 s, then a 5 s block of 429s. The Worker is configured below it (16/5).
import { env as bindings } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { captureLogs, emulator, post } from "./helpers.js";

const STANDIN = { calls: 20, seconds: 5, blockSeconds: 5 };
const BUDGET = "16/5";
// The longest honest wait: the budget's 5 s plus a 250 ms lease, rounded up.
const LONGEST_WAIT = 6;

function setup() {
  const rtk = emulator();
  const env = { ...rtk.env, API_BUDGET: bindings.API_BUDGET, REALTIMEKIT_BUDGET: BUDGET };
  return { rtk, env };
}

// n joins at once, each from its own address.
function joins(n, meetingId, env) {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      post("/api/video-call/token", { meeting_id: meetingId }, { env, headers: { "CF-Connecting-IP": `198.51.100.${i + 1}` } }),
    ),
  );
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const RATE_LIMITED = '{"error":"The service has used its RealtimeKit call budget; try again later","code":"RATE_LIMITED"}';

describe("a join storm", () => {
  it("never reaches the stand-in's block: the budget's joins succeed, the rest get 429 with an honest wait, and joins succeed again after it", async () => {
    const { rtk, env } = setup();
    await rtk.limit(STANDIN);
    const created = await post("/api/video-call/session", {}, { env });
    expect(created.status).toBe(200);
    const meetingId = created.json.meeting_id;

    const { result: storm, lines } = await captureLogs(vi, () => joins(60, meetingId, env));
    const admitted = storm.filter((r) => r.status === 200);
    const refused = storm.filter((r) => r.status === 429);
    expect(admitted.length).toBe(15); // 16 in the budget, one spent creating the meeting
    expect(refused.length).toBe(45);
    for (const r of admitted) expect(typeof r.json.auth_token).toBe("string");
    for (const r of refused) {
      expect(r.text).toBe(RATE_LIMITED);
      const wait = Number(r.headers.get("retry-after"));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(LONGEST_WAIT);
    }
    expect(lines.filter((l) => l.includes('"event":"budget_exhausted"')).length).toBe(45);
    expect((await rtk.requests()).length).toBe(16);
    expect(await rtk.limitStats()).toEqual({ admitted: 16, refused: 0, blocks: 0 });

    // After the longest wait announced, joins succeed again, still within the stand-in's limit.
    const longest = Math.max(...refused.map((r) => Number(r.headers.get("retry-after"))));
    await sleep(longest * 1000 + 100);
    const after = await joins(5, meetingId, env);
    expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await rtk.limitStats()).toEqual({ admitted: 21, refused: 0, blocks: 0 });
  }, 30_000);

  it("a block started from outside: the first call sees RealtimeKit's 429, then nothing reaches the stand-in until the block ends", async () => {
    const { rtk, env } = setup();
    await rtk.limit(STANDIN);
    const created = await post("/api/video-call/session", {}, { env });
    const meetingId = created.json.meeting_id;
    await rtk.block(3); // another tool spent the token's calls

    const first = await post("/api/video-call/token", { meeting_id: meetingId }, { env });
    expect(first.status).toBe(500);
    expect(first.json.code).toBe("REALTIMEKIT_ERROR");
    expect(first.headers.get("retry-after")).toBe("3");

    const during = await joins(20, meetingId, env);
    for (const r of during) {
      expect(r.status).toBe(429);
      expect(r.text).toBe(RATE_LIMITED);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(r.headers.get("retry-after"))).toBeLessThanOrEqual(3);
    }
    expect(await rtk.limitStats()).toEqual({ admitted: 1, refused: 1, blocks: 1 });

    await sleep(3100);
    const after = await post("/api/video-call/token", { meeting_id: meetingId }, { env });
    expect(after.status).toBe(200);
    expect(await rtk.limitStats()).toEqual({ admitted: 2, refused: 1, blocks: 1 });
  }, 30_000);

  it("a RealtimeKit 429 without Retry-After closes the budget for the API's five minutes", async () => {
    const { rtk, env } = setup();
    await rtk.fault({ op: "create_meeting", times: 1, action: { type: "status", status: 429, body: "{}" } });
    expect((await post("/api/video-call/session", {}, { env })).status).toBe(500);
    const next = await post("/api/video-call/session", {}, { env });
    expect(next.status).toBe(429);
    expect(Number(next.headers.get("retry-after"))).toBeGreaterThanOrEqual(299);
    expect(Number(next.headers.get("retry-after"))).toBeLessThanOrEqual(300);
    expect((await rtk.requests()).length).toBe(1);
  });

  it("without the binding, the same storm reaches RealtimeKit as before", async () => {
    const { rtk, env } = setup();
    delete env.API_BUDGET;
    await rtk.limit(STANDIN);
    const meetingId = (await post("/api/video-call/session", {}, { env })).json.meeting_id;
    const storm = await joins(30, meetingId, env);
    expect(storm.filter((r) => r.status === 200).length).toBe(19);
    expect(storm.filter((r) => r.status === 500).length).toBe(11);
    expect(await rtk.limitStats()).toEqual({ admitted: 20, refused: 11, blocks: 1 });
  });
});
