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

  // Per endpoint: the calls of each import, and their sum. The request's
  // head brings its environment's number (no config_epoch), taking a result
  // releases its handle (no handle_close), the outbound reply comes in one
  // call with the time it took (no clock_ms), random ids come from a pool
  // filled on the first request (no random_fill), and an environment without
  // a RATE_LIMITER binding is asked once. Left: the API token, read per
  // request (token requests also read ALLOWED_PRESETS), and the log line.
  const BOTH = {
    request_head: 1, request_body_start: 1, request_body: 1, http_start: 1, http_reply: 1, log_write: 1, respond: 1,
  };
  it.each([
    ["token", 9, { ...BOTH, config_get: 2 }],
    ["session", 8, { ...BOTH, config_get: 1 }],
  ])("a %s request makes %i", async (endpoint, total, each) => {
    const made = await counted(endpoint);
    expect(made).toEqual(each);
    expect(Object.values(made).reduce((a, b) => a + b, 0)).toBe(total);
  });

  // The pool holds 256 bytes, 16 ids: token requests without CF-Ray draw two
  // ids each (the request id and the participant id), so 16 of them fill it
  // twice; every other import is called as often as one request calls it.
  it("fills the random pool once per 16 ids", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    await oneRequest(worker, "token", ENV);
    for (const name of Object.keys(calls)) delete calls[name];
    for (let i = 0; i < 16; i++) await oneRequest(worker, "token", ENV);
    expect(calls.random_fill).toBe(2);
  });
});
