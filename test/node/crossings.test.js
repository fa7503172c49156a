// How often a request crosses from the C core into the host (README,
// "Performance"): each import call counted, for a session and a token request
// once the environment's settings are parsed (the second request on), with
// RealtimeKit answered in-process. A change that adds a crossing fails here.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createWorker } from "../../shim/handler.js";
import { createHost } from "../../shim/host.js";
import { oneRequest } from "../bench/in-process.js";
import { BENCH_ENV as ENV } from "../bench/workerd.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
describe("host calls per request", () => {
  let worker;
  const calls = {};
  beforeAll(() => {
    worker = createWorker(new WebAssembly.Module(readFileSync(`${root}build/vc.wasm`)));
    // Instances whose imports count their calls.
    worker.pool.create = function create() {
      const host = createHost(this.store);
      const vc = {};
      for (const [name, fn] of Object.entries(host.imports.vc)) {
        vc[name] = (...args) => {
          calls[name] = (calls[name] ?? 0) + 1;
          return fn(...args);
        };
      }
      const instance = new WebAssembly.Instance(this.module, { vc });
      host.attach(instance.exports.memory);
      instance.exports._initialize();
      return { host, exports: instance.exports };
    };
  });
  afterEach(() => vi.restoreAllMocks());

  const counted = async (endpoint) => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    await oneRequest(worker, endpoint, ENV); // the settings parsed once
    for (const name of Object.keys(calls)) delete calls[name];
    await oneRequest(worker, endpoint, ENV);
    return { ...calls };
  };

  // Per endpoint: the calls of each import, and their sum. Both make the
  // same calls but for the settings read and the random fills.
  const BOTH = {
    request_head: 1, config_epoch: 1, rate_limit_start: 1, request_body_start: 1, request_body: 1, handle_close: 2,
    clock_ms: 3, http_start: 1, http_status: 1, http_header: 1, http_body: 1, log_write: 1, respond: 1,
  };
  it.each([
    ["token", 20, { ...BOTH, config_get: 2, random_fill: 2 }],
    ["session", 18, { ...BOTH, config_get: 1, random_fill: 1 }],
  ])("a %s request makes %i", async (endpoint, total, each) => {
    const made = await counted(endpoint);
    expect(made).toEqual(each);
    expect(Object.values(made).reduce((a, b) => a + b, 0)).toBe(total);
  });
});
