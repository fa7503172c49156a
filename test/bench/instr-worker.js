// `BENCH_ONLY=instr npm run bench` (instructions.js): requests run inside one
// isolate with RealtimeKit answered in-process, so that workerd's own
// instruction count, taken by callgrind around a batch, is the batch's cost.
// GET /?worker=ours|plain&endpoint=session|token&n=N runs N requests.
import wasm from "../../build/vc.wasm";
import { createWorker } from "../../shim/handler.js";
import { oneRequest } from "./in-process.js";
import plain from "./plain-worker.js";

let ours = null;

export default {
  async fetch(request, env) {
    const params = new URL(request.url).searchParams;
    const n = Number(params.get("n") ?? 0);
    const endpoint = params.get("endpoint") ?? "token";
    ours ??= createWorker(wasm);
    const worker = params.get("worker") === "plain" ? plain : ours;
    const appEnv = { ...env };
    for (let i = 0; i < n; i++) await oneRequest(worker, endpoint, appEnv);
    // A full collection ends each batch (V8 runs with --expose-gc): a counted
    // batch starts on a clean heap and pays for all the garbage it made.
    globalThis.gc?.();
    return new Response(`${n}\n`);
  },
};
