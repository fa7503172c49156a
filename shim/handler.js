// The Worker's request path: bind the request to a ready wasm instance, run
// the C core's steps (vc_start, then vc_resume after each wait on the host
// operations it started), return the Response it built. Routing, validation
// and every status code live in C; this file decides nothing about them.
import { InstancePool } from "./pool.js";

// Used only when the C code could not answer (a trap, or no response).
const FALLBACK_BODY = '{"error":"Internal error","code":"INTERNAL_ERROR"}';

function fallbackResponse() {
  return new Response(FALLBACK_BODY, {
    status: 500,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}

/** @param {WebAssembly.Module} module @param {{ maxIdle?: number }} [poolOptions] */
export function createWorker(module, poolOptions) {
  const pool = new InstancePool(module, poolOptions);
  return {
    pool,
    /** @param {Request} request @param {VcEnv} env @returns {Promise<Response>} */
    async fetch(request, env) {
      /** @type {import("./pool.js").Instance | null} */
      let instance = null;
      let healthy = false;
      try {
        instance = pool.acquire();
        instance.host.begin(request, env);
        let task = instance.exports.vc_start();
        while (task !== 0) {
          await instance.host.settle();
          task = instance.exports.vc_resume(task);
        }
        healthy = true;
      } catch (error) {
        console.error(JSON.stringify({ level: "error", event: "wasm_failure", error: String(/** @type {{ name?: unknown } | null} */ (error)?.name ?? "Error") }));
      }
      const response = instance?.host.end() ?? null;
      if (healthy && instance) pool.release(instance);
      return response ?? fallbackResponse();
    },
  };
}
