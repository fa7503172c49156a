// Hostile bodies and failing instances: bounded reads, and recovery from a
// wasm trap with the next request served by a healthy instance.
import { describe, expect, it, vi } from "vitest";
import testWasm from "../../build/vc-test.wasm";
import { createWorker } from "../../shim/handler.js";
import { call, captureLogs, emulator } from "./helpers.js";

const TOO_LARGE = { error: "Request body must be at most 16384 bytes", code: "INVALID_INPUT" };

// A body that produces `total` bytes of JSON-ish text on demand and counts
// how much of it was pulled.
function countingStream(total, chunk = 1024) {
  const state = { pulled: 0 };
  const piece = new TextEncoder().encode(" ".repeat(chunk));
  state.stream = new ReadableStream({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      state.pulled += piece.byteLength;
      controller.enqueue(piece);
    },
  });
  return state;
}

describe("request bodies over the cap", () => {
  it.each(["/api/video-call/session", "/api/video-call/token"])(
    "%s: a chunked body with no Content-Length is cut off after the cap, never read whole",
    async (path) => {
      const rtk = emulator();
      const body = countingStream(10 * 1024 * 1024);
      const res = await call(path, { method: "POST", body: body.stream, env: rtk.env });
      expect(res.status).toBe(413);
      expect(res.json).toEqual(TOO_LARGE);
      expect(body.pulled).toBeLessThan(64 * 1024);
      expect(await rtk.requests()).toEqual([]);
    },
  );

  it("refuses a declared Content-Length over the cap before reading anything", async () => {
    const rtk = emulator();
    const body = countingStream(1024 * 1024);
    const res = await call("/api/video-call/session", {
      method: "POST",
      body: body.stream,
      headers: { "content-length": String(1024 * 1024) },
      env: rtk.env,
    });
    expect(res.status).toBe(413);
    expect(res.json).toEqual(TOO_LARGE);
    expect(body.pulled).toBeLessThanOrEqual(1024);
    expect(await rtk.requests()).toEqual([]);
  });

  it("refuses a body longer than its (lying) Content-Length says once past the cap", async () => {
    const rtk = emulator();
    const body = countingStream(1024 * 1024);
    const res = await call("/api/video-call/session", {
      method: "POST",
      body: body.stream,
      headers: { "content-length": "2" },
      env: rtk.env,
    });
    expect(res.status).toBe(413);
    expect(res.json).toEqual(TOO_LARGE);
    expect(await rtk.requests()).toEqual([]);
  });

  it("accepts a chunked body under the cap", async () => {
    const rtk = emulator();
    const text = new TextEncoder().encode('{"name":"chunked"}');
    const stream = new ReadableStream({
      start(controller) {
        for (const byte of text) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const res = await call("/api/video-call/session", { method: "POST", body: stream, env: rtk.env });
    expect(res.status).toBe(200);
    expect(JSON.parse((await rtk.requests())[0].body)).toEqual({ title: "chunked" });
  });

  it("answers 400 when the body stream breaks", async () => {
    const rtk = emulator();
    const stream = new ReadableStream({
      pull(controller) {
        controller.error(new Error("client went away"));
      },
    });
    const res = await call("/api/video-call/session", { method: "POST", body: stream, env: rtk.env });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "Request body could not be read", code: "INVALID_INPUT" });
    expect(await rtk.requests()).toEqual([]);
  });

  it("rejects invalid UTF-8 bytes", async () => {
    const rtk = emulator();
    const bytes = new Uint8Array([...new TextEncoder().encode('{"name":"a'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
    const res = await call("/api/video-call/session", { method: "POST", body: bytes, env: rtk.env });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "Request body must be valid UTF-8", code: "INVALID_INPUT" });
    expect(await rtk.requests()).toEqual([]);
  });
});

describe("a wasm trap", () => {
  it.each(["/__test/trap", "/__test/trap-after-read"])(
    "%s answers 500 INTERNAL_ERROR, drops the instance, and the next request is served normally",
    async (path) => {
      const worker = createWorker(testWasm);
      const first = await call("/api/video-call/health", { via: worker });
      expect(first.status).toBe(200);
      expect(worker.pool.stats()).toMatchObject({ created: 1, idle: 1 });

      const { result: trapped, lines } = await captureLogs(vi, () =>
        call(path, { method: "POST", body: '{"x":1}', via: worker, contract: false }),
      );
      expect(trapped.status).toBe(500);
      expect(trapped.headers.get("content-type")).toBe("application/json");
      expect(trapped.headers.get("cache-control")).toBe("no-store");
      expect(trapped.json).toEqual({ error: "Internal error", code: "INTERNAL_ERROR" });
      expect(lines.map((l) => JSON.parse(l))).toEqual([{ level: "error", event: "wasm_failure", error: "RuntimeError" }]);
      expect(worker.pool.stats()).toMatchObject({ created: 1, idle: 0 });

      const next = await call("/api/video-call/health", { via: worker });
      expect(next.status).toBe(200);
      expect(next.json).toEqual({ status: "ok", configured: true, budget: { enabled: false } });
      expect(worker.pool.stats()).toMatchObject({ created: 2, idle: 1, liveAllocations: 0 });
    },
  );

  it("does not exist in the deployed module", async () => {
    const res = await call("/__test/trap", { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });
});
