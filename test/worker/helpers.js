// Calls the Worker's fetch handler (shim/worker.js, running the built wasm
// module) inside workerd with an environment chosen by the test, and checks
// every response against docs/API_CONTRACT.yml.
import { inject } from "vitest";
import worker from "../../shim/worker.js";
import { FAKE_CREDENTIALS } from "../../tools/dev/credentials.js";
import { contractProblems } from "../support/contract.js";

export const FAKE_ENV = Object.freeze({
  ...FAKE_CREDENTIALS,
  REALTIMEKIT_API_BASE: "https://api.cloudflare.com/client/v4",
});

export const API_TOKEN = FAKE_CREDENTIALS.CLOUDFLARE_REALTIME_API_TOKEN;

// `contract: false` only for the test-only routes of build/vc-test.wasm.
export async function call(path, { method = "GET", body, headers = {}, env = FAKE_ENV, via = worker, contract = true } = {}) {
  const init = { method, body, headers };
  if (body instanceof ReadableStream) init.duplex = "half";
  const request = new Request(`https://worker.test${path}`, init);
  const response = await via.fetch(request, env);
  const text = await response.text();
  const problems = !contract ? [] : contractProblems(method, new URL(request.url).pathname, response.status, response.headers, text);
  if (problems.length > 0) throw new Error(`response breaks docs/API_CONTRACT.yml:\n  ${problems.join("\n  ")}`);
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

export const post = (path, body, options = {}) =>
  call(path, { ...options, method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

export function expectJsonHeaders(expect, headers) {
  expect(headers.get("content-type")).toBe("application/json");
  expect(headers.get("cache-control")).toBe("no-store");
}

// A private namespace of the RealtimeKit emulator (see tools/dev/realtimekit-emulator.js).
export function emulator() {
  const root = `${inject("emulatorUrl")}/ns/${crypto.randomUUID()}`;
  const control = async (method, path, body) => {
    const res = await fetch(`${root}/__emulator/${path}`, { method, body: body && JSON.stringify(body) });
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status}`);
    return res.json();
  };
  return {
    env: { ...FAKE_ENV, REALTIMEKIT_API_BASE: `${root}/client/v4` },
    apiPath: `/client/v4/accounts/${FAKE_ENV.CLOUDFLARE_ACCOUNT_ID}/realtime/kit/${FAKE_ENV.CLOUDFLARE_REALTIME_APP_ID}`,
    requests: () => control("GET", "requests"),
    fault: (rule) => control("POST", "faults", rule),
    limit: (rule) => control("POST", "limit", rule),
    block: (seconds) => control("POST", "block", { seconds }),
    limitStats: () => control("GET", "limit"),
    reset: () => control("POST", "reset"),
  };
}

// Collects what the Worker logs while fn runs.
export async function captureLogs(vi, fn) {
  const lines = [];
  const spies = ["debug", "log", "info", "warn", "error"].map((level) =>
    vi.spyOn(console, level).mockImplementation((...args) => lines.push(args.join(" "))),
  );
  try {
    const result = await fn();
    return { result, lines };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
