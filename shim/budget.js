// The account's budget of RealtimeKit calls as a Durable Object (class
// ApiBudget, bound as API_BUDGET; one object per account and app). A thin
// host: each message from an isolate goes to the C core's vc_budget_serve,
// which decides (include/budget.h); this class only keeps the state's bytes,
// in memory and in the object's storage, and hands the answer back.
import { DurableObject } from "cloudflare:workers";
import { createHost } from "./host.js";

/** @param {WebAssembly.Module} module */
export function createBudgetObject(module) {
  return class ApiBudget extends DurableObject {
    /** @param {DurableObjectState} ctx @param {VcEnv} env */
    constructor(ctx, env) {
      super(ctx, env);
      /** @type {VcStore} */
      this.store = new Map();
      /** @type {VcExports | null} */
      this.instance = null;
      ctx.blockConcurrencyWhile(async () => {
        const state = await ctx.storage.get("state");
        if (state instanceof Uint8Array) this.store.set("state", state);
      });
    }

    // One message (bytes of a budget_msg) in, the answer (a budget_grant) out;
    // null when the C core refused the message or trapped.
    /** @param {Uint8Array} message @returns {Uint8Array | null} */
    serve(message) {
      this.store.set("message", message);
      this.store.delete("answer");
      let rc;
      try {
        this.instance ??= this.#instantiate();
        rc = this.instance.vc_budget_serve();
      } catch {
        this.instance = null; // a trap: its memory may be inconsistent
        return null;
      }
      if (rc !== 0) return null;
      // Not awaited: the output gate holds the answer until the state is stored.
      void this.ctx.storage.put("state", this.store.get("state"));
      return this.store.get("answer") ?? null;
    }

    /** @returns {VcExports} */
    #instantiate() {
      const host = createHost(this.store);
      const exports = /** @type {VcExports} */ (/** @type {unknown} */ (new WebAssembly.Instance(module, host.imports).exports));
      host.attach(exports.memory);
      exports._initialize();
      return exports;
    }
  };
}
