// `BENCH_ONLY=ab npm run bench`: the saved build (build/ab/base: its shim and
// module, saved by `npm run bench -- save-base`) against the current one, in
// one isolate, in alternating rounds, with RealtimeKit answered in-process.
// GET /?n=N&rounds=R answers JSON: µs per request, per round.
import baseWasm from "../../build/ab/base/vc.wasm";
import { createWorker as createBase } from "../../build/ab/base/shim/handler.js";
import wasm from "../../build/vc.wasm";
import { createWorker } from "../../shim/handler.js";
import { oneRequest } from "./in-process.js";

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
    const one = (worker, endpoint) => oneRequest(worker, endpoint, appEnv);
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
