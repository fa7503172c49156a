// RealtimeKit answered in-process, for the benchmarks that run requests
// inside one isolate (isolate-worker.js, ab-worker.js, instr-worker.js): the
// bench's request bodies, RealtimeKit's replies and a fetch() that returns
// them with the Content-Length a reply from the network has.
export const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
export const BODIES = { session: '{"name":"Standup"}', token: JSON.stringify({ meeting_id: MEETING, name: "Ada" }) };
const REPLIES = {
  meetings: JSON.stringify({ success: true, data: { id: MEETING, title: null, status: "ACTIVE" } }),
  participants: JSON.stringify({ success: true, data: { id: "0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e", token: `eyJ.${"x".repeat(400)}.sig` } }),
};

export async function answer(url) {
  const body = String(url).endsWith("/participants") ? REPLIES.participants : REPLIES.meetings;
  return new Response(body, { status: 201, headers: { "content-type": "application/json", "content-length": String(body.length) } });
}

// One request to `worker` for `endpoint` ("session" or "token") with fetch()
// answered in-process; throws unless the answer is 200.
export async function oneRequest(worker, endpoint, env) {
  const body = BODIES[endpoint];
  const request = new Request(`https://bench.test/api/video-call/${endpoint}`, { method: "POST", body, headers: { "content-length": String(body.length) } });
  const realFetch = globalThis.fetch;
  globalThis.fetch = answer;
  try {
    const res = await worker.fetch(request, env);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${endpoint}: ${res.status}`);
  } finally {
    globalThis.fetch = realFetch;
  }
}
