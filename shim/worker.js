// The Worker's entry: the C core (build/vc.wasm) behind the request path in handler.js.
import wasm from "../build/vc.wasm";
import { createWorker } from "./handler.js";

const worker = createWorker(wasm);

export default {
  fetch: (request, env) => worker.fetch(request, env),
};
