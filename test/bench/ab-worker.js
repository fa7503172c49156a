// `BENCH_ONLY=ab npm run bench`: the saved build (build/ab/base: its shim and
// module, saved by `npm run bench -- save-base`) against the current one, in
// one isolate, in alternating rounds, with RealtimeKit answered in-process.
// GET /?n=N&rounds=R answers JSON: µs per request, per round.
import baseWasm from "../../build/ab/base/vc.wasm";
import { createWorker as createBase } from "../../build/ab/base/shim/handler.js";
import wasm from "../../build/vc.wasm";
import { createWorker } from "../../shim/handler.js";

const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const REPLIES = {
  meetings: JSON.stringify({ success: true, data: { id: MEETING, title: null, status: "ACTIVE" } }),
  participants: JSON.stringify({ success: true, data: { id: "0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e", token: `eyJ.${"x".repeat(400)}.sig` } }),
};
const BODIES = { session: '{"name":"Standup"}', token: JSON.stringify({ meeting_id: MEETING, name: "Ada" }) };

async function answer(url) {
  const body = String(url).endsWith("/participants") ? REPLIES.participants : REPLIES.meetings;
  return new Response(body, { status: 201, headers: { "content-type": "application/json", "content-length": String(body.length) } });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== "/") return new Response("ready"); // the runner's readiness probe
    const params = url.searchParams;
    const n = Number(params.get("n") ?? 20000);
    const rounds = Number(params.get("rounds") ?? 21);
    const per = Math.max(1, Math.floor(n / rounds));
    const appEnv = { ...env };
    const workers = { base: createBase(baseWasm), now: createWorker(wasm) };
    const realFetch = globalThis.fetch;
    const one = async (worker, endpoint) => {
      const body = BODIES[endpoint];
      const req = new Request(`https://bench.test/api/video-call/${endpoint}`, { method: "POST", body, headers: { "content-length": String(body.length) } });
      globalThis.fetch = answer;
      try {
        const res = await worker.fetch(req, appEnv);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${endpoint}: ${res.status}`);
      } finally {
        globalThis.fetch = realFetch;
      }
    };
    // Workers' clocks move only across I/O: a real fetch before and after.
    const timed = async (fn) => {
      await fetch(`${env.STANDIN}/ping`);
      const started = Date.now();
      for (let i = 0; i < per; i++) await fn();
      await fetch(`${env.STANDIN}/ping`);
      return ((Date.now() - started) * 1000) / per;
    };
    const out = { n: per * rounds, rounds };
    for (const endpoint of ["session", "token"]) {
      for (const w of Object.values(workers)) for (let i = 0; i < 200; i++) await one(w, endpoint); // warm up
      const series = { base: [], now: [] };
      for (let r = 0; r < rounds; r++) {
        for (const name of r % 2 ? ["now", "base"] : ["base", "now"]) series[name].push(await timed(() => one(workers[name], endpoint)));
      }
      out[endpoint] = series;
    }
    return Response.json(out);
  },
};
