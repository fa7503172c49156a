// Calls the Worker's fetch handler (shim/worker.js, running the built wasm
// module) inside workerd with an environment chosen by the test.
import worker from "../../shim/worker.js";

export const FAKE_ENV = Object.freeze({
  CLOUDFLARE_ACCOUNT_ID: "0123456789abcdef0123456789abcdef",
  CLOUDFLARE_REALTIME_APP_ID: "11111111-2222-4333-8444-555555555555",
  CLOUDFLARE_REALTIME_API_TOKEN: "fake-api-token-do-not-leak",
  REALTIMEKIT_API_BASE: "https://api.cloudflare.com/client/v4",
});

export async function call(path, { method = "GET", body, headers = {}, env = FAKE_ENV } = {}) {
  const request = new Request(`https://worker.test${path}`, { method, body, headers });
  const response = await worker.fetch(request, env);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
}

export function expectJsonHeaders(expect, headers) {
  expect(headers.get("content-type")).toBe("application/json");
  expect(headers.get("cache-control")).toBe("no-store");
}
