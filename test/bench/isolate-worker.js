// In-isolate costs for `npm run bench`, with RealtimeKit answered in-process
// (no network): microseconds per request for the whole path and for its
// parts, measured by difference, plus instantiating the module from cold.
// Served by workerd; GET / runs everything and answers JSON.
import wasm from "../../build/vc.wasm";
import wasmBytes from "../../build/bench/vc-bytes.bin";
import { createWorker } from "../../shim/handler.js";
import { createHost } from "../../shim/host.js";
import { answer, MEETING } from "./in-process.js";
import plain from "./plain-worker.js";

const encoder = new TextEncoder();
// The headers of a token answer, as the C core hands them to respond().
const HEADERS = JSON.stringify({ "Content-Type": "application/json", "Cache-Control": "no-store", "X-Request-Id": "0a8c7c1e-3b4f-4f7a-9d43-1f2a3b4c5d6e", "Server-Timing": "upstream;dur=0", Vary: "Origin" });
// Workers' clocks move only across I/O: each measurement ends with a real
// fetch so that Date.now() has moved past the whole loop.
async function timed(env, n, fn) {
  await fetch(`${env.STANDIN}/ping`);
  const started = Date.now();
  for (let i = 0; i < n; i++) await fn(i);
  await fetch(`${env.STANDIN}/ping`);
  return ((Date.now() - started) * 1000) / n;
}

export default {
  async fetch(request, env) {
    const n = Number(new URL(request.url).searchParams.get("n") ?? 20000);
    const realFetch = globalThis.fetch;
    const appEnv = { ...env };
    const sessionBody = '{"name":"Standup"}';
    const tokenBody = JSON.stringify({ meeting_id: MEETING, name: "Ada" });
    // With the Content-Length a browser sends (a Request built here has none).
    const req = (path, body) =>
      new Request(`https://bench.test${path}`, {
        method: "POST",
        body,
        headers: body === undefined ? {} : { "content-length": String(encoder.encode(body).byteLength) },
      });
    const worker = createWorker(wasm);
    const results = {};
    try {
      globalThis.fetch = answer;
      const inProcess = async (path, body) => {
        const res = await worker.fetch(req(path, body), appEnv);
        await res.arrayBuffer();
      };
      await inProcess("/api/video-call/session", sessionBody); // warm the pool
      globalThis.fetch = realFetch; // timed() needs the real one for its I/O
      // Cold costs first, in a fresh isolate: garbage from the loops below
      // (each dropped instance holds its own memory) would be collected here.
      const coldN = Math.max(1, Math.floor(n / 20));
      results.cold_instance_us = await timed(env, coldN, async () => worker.pool.create());
      try {
        results.cold_compile_us = await timed(env, Math.max(1, Math.floor(n / 200)), async () => WebAssembly.compile(wasmBytes));
      } catch (error) {
        results.cold_compile_us = null;
        results.cold_compile_note = `compiling wasm at run time is refused here (${error.name}); workerd compiles it at startup`;
      }
      const swap = (fn) => async (i) => {
        const saved = globalThis.fetch;
        globalThis.fetch = answer;
        try {
          await fn(i);
        } finally {
          globalThis.fetch = saved;
        }
      };
      const inPlain = async (path, body) => {
        const res = await plain.fetch(req(path, body), appEnv);
        await res.arrayBuffer();
      };
      await swap(() => inPlain("/api/video-call/session", sessionBody))(); // warm up as ours was
      await swap(() => inPlain("/api/video-call/token", tokenBody))();
      // Ours and plain in alternating rounds (BENCH_ISOLATE_ROUNDS); medians.
      const rounds = Number(new URL(request.url).searchParams.get("rounds") ?? 5);
      const per = Math.max(1, Math.floor(n / rounds));
      const series = { session: [], token: [], plain_session: [], plain_token: [] };
      for (let r = 0; r < rounds; r++) {
        const pairs = [
          ["session", () => inProcess("/api/video-call/session", sessionBody)],
          ["plain_session", () => inPlain("/api/video-call/session", sessionBody)],
          ["token", () => inProcess("/api/video-call/token", tokenBody)],
          ["plain_token", () => inPlain("/api/video-call/token", tokenBody)],
        ];
        for (const [name, fn] of r % 2 ? pairs.reverse() : pairs) series[name].push(await timed(env, per, swap(fn)));
      }
      const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
      results.session_total_us = median(series.session);
      results.token_total_us = median(series.token);
      results.plain_session_total_us = median(series.plain_session);
      results.plain_token_total_us = median(series.plain_token);
      const ratios = (a, b) => series[a].map((x, i) => x / series[b][i]);
      results.session_ratio_rounds = ratios("session", "plain_session");
      results.token_ratio_rounds = ratios("token", "plain_token");
      results.rounds = rounds;
      results.session_empty_body_us = await timed(env, n, swap(() => inProcess("/api/video-call/session", undefined)));
      results.health_total_us = await timed(env, n, async () => {
        const res = await worker.fetch(new Request("https://bench.test/api/video-call/health"), appEnv);
        await res.arrayBuffer();
      });
      results.request_construction_us = await timed(env, n, async () => req("/api/video-call/token", tokenBody));
      results.instance_us = await timed(env, n, async () => worker.pool.release(worker.pool.acquire()));
      const host = createHost();
      results.request_in_us = await timed(env, n, async () => {
        const r = req("/api/video-call/token", tokenBody);
        host.begin(r, appEnv);
        await r.arrayBuffer();
        host.end();
      });
      const pairs = Object.entries(JSON.parse(HEADERS));
      const body = new TextEncoder().encode('{"auth_token":"x","participant_id":"y"}');
      // what host.js's respond() does: headers as the object JSON.parse makes
      results.response_out_us = await timed(env, n, async () => {
        new Response(body.slice(), { status: 200, headers: JSON.parse(HEADERS) });
      });
      results.response_from_pairs_us = await timed(env, n, async () => new Response(body.slice(), { status: 200, headers: pairs }));
      results.n = n;
      return Response.json(results);
    } finally {
      globalThis.fetch = realFetch;
    }
  },
};
