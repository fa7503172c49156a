// The Worker's entry: hands each request to the C core (build/vc.wasm).
// Routing, validation and every status code live in C; this file only binds
// a request to a ready instance and returns the Response the C code built.
import wasm from "../build/vc.wasm";
import { InstancePool } from "./pool.js";

const pool = new InstancePool(wasm);

// Used only when the C code could not answer (a trap, or no response).
const FALLBACK_BODY = '{"error":"Internal error","code":"INTERNAL_ERROR"}';

function fallbackResponse() {
  return new Response(FALLBACK_BODY, {
    status: 500,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}

export default {
  async fetch(request, env) {
    let instance = null;
    let healthy = false;
    try {
      instance = pool.acquire();
      instance.host.begin(request, env);
      await instance.handle();
      healthy = true;
    } catch (error) {
      console.error(JSON.stringify({ event: "wasm_failure", error: String(error?.name ?? "Error") }));
    }
    const response = instance?.host.end() ?? null;
    if (healthy) pool.release(instance);
    return response ?? fallbackResponse();
  },
};
