// The Worker's entry: the C core (build/vc.wasm) behind the request path in
// handler.js, and the account's budget object (budget.js).
import wasm from "../build/vc.wasm";
import { createBudgetObject } from "./budget.js";
import { createWorker } from "./handler.js";

const worker = createWorker(wasm);

export default {
  /** @param {Request} request @param {VcEnv} env */
  fetch: (request, env) => worker.fetch(request, env),
};

export const ApiBudget = createBudgetObject(wasm);
