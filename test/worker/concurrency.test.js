// Many requests in flight in one isolate at once, each suspended in its own
// wasm instance while the emulator answers in a shuffled order: every client
// must get exactly its own meeting id or token.
import { describe, expect, it } from "vitest";
import wasm from "../../build/vc.wasm";
import { createWorker } from "../../shim/handler.js";
import { call, emulator } from "./helpers.js";

const CLIENTS = 200;

function tokenPayload(token) {
  return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
}

describe(`${CLIENTS} concurrent clients`, () => {
  it("each get their own meeting and their own token", async () => {
    const rtk = emulator();
    const worker = createWorker(wasm);
    const post = (path, body) => call(path, { method: "POST", body: JSON.stringify(body), env: rtk.env, via: worker });
    await rtk.fault({ op: "any", delayMs: [1, 80] }); // every reply after a random delay: a shuffled order

    const clients = Array.from({ length: CLIENTS }, (_, i) => `client-${i}`);
    const sessions = await Promise.all(clients.map((name) => post("/api/video-call/session", { name })));
    expect(sessions.map((s) => s.status)).toEqual(clients.map(() => 200));
    const meetingIds = sessions.map((s) => s.json.meeting_id);
    expect(new Set(meetingIds).size).toBe(CLIENTS);

    // the emulator created meeting i with title client-i: client i must hold that meeting's id
    const created = (await rtk.requests()).length;
    expect(created).toBe(CLIENTS);
    const titles = await Promise.all(
      meetingIds.map(async (id) => {
        const res = await fetch(`${rtk.env.REALTIMEKIT_API_BASE}${rtk.apiPath.replace("/client/v4", "")}/meetings/${id}`, {
          headers: { authorization: `Bearer ${rtk.env.CLOUDFLARE_REALTIME_API_TOKEN}` },
        });
        return (await res.json()).data.title;
      }),
    );
    expect(titles).toEqual(clients);

    const tokens = await Promise.all(
      clients.map((name, i) =>
        post("/api/video-call/token", { meeting_id: meetingIds[i], custom_participant_id: name, name }),
      ),
    );
    expect(tokens.map((t) => t.status)).toEqual(clients.map(() => 200));
    tokens.forEach((t, i) => {
      const payload = tokenPayload(t.json.auth_token);
      expect(payload.meetingId).toBe(meetingIds[i]);
      expect(payload.customParticipantId).toBe(clients[i]);
    });

    // all instances came back clean; at most maxIdle are kept
    const stats = worker.pool.stats();
    expect(stats.created).toBeGreaterThanOrEqual(CLIENTS / 2);
    expect(stats.idle).toBe(64);
    expect(stats.liveAllocations).toBe(0);
  }, 60_000);
});
