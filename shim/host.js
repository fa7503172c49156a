// The host functions the C core imports (declared in include/host.h).
// They only move bytes and perform I/O; every exception becomes a status.
import * as abi from "./abi.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const LOG_METHODS = ["debug", "log", "warn", "error"];

function statusOf(error) {
  if (error instanceof RangeError) return abi.E_INVALID; // pointer or length out of bounds
  return abi.E_HOST;
}

// Wraps a host function so that nothing throws into wasm: a sync exception or a
// rejected promise becomes a status code.
function guard(fn) {
  return (...args) => {
    try {
      const result = fn(...args);
      return result instanceof Promise ? result.catch(statusOf) : result;
    } catch (error) {
      return statusOf(error);
    }
  };
}

// "Name: value\n" lines (written by the C code) into a plain object: in
// workerd, a Response or fetch() builds its Headers from an object in half the
// time it takes from [name, value] pairs (npm run bench prints both).
function parseHeaderLines(text) {
  const headers = {};
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const colon = line.indexOf(": ");
    if (colon <= 0) throw new TypeError("malformed header line");
    const name = line.slice(0, colon);
    const value = line.slice(colon + 2);
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

// The reply body, at most `max` bytes (null when longer). A declared length
// within the limit is read in one go (the runtime holds a network reply to
// its Content-Length); otherwise the stream is read chunk by chunk.
async function readAtMost(response, max, signal) {
  const stream = response.body;
  if (!stream) return new Uint8Array(0);
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > max) {
    await stream.cancel().catch(() => {});
    return null;
  }
  if (declared >= 0) {
    const body = new Uint8Array(await response.arrayBuffer());
    return body.byteLength > max ? null : body;
  }
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  const onAbort = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", onAbort);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

// One host per wasm instance. `begin` binds a request to it, `end` unbinds it
// and returns the Response the C code produced (or null).
export function createHost() {
  let memory = null;
  let call = null; // the request this instance is serving

  const bytes = (ptr, len) => new Uint8Array(memory.buffer, ptr, len);
  const text = (ptr, len) => decoder.decode(bytes(ptr, len));
  const put = (value, ptr, cap) => {
    if (value.byteLength <= cap) bytes(ptr, value.byteLength).set(value);
    return value.byteLength;
  };
  const putText = (value, ptr, cap) => put(encoder.encode(value), ptr, cap);

  async function nextChunk() {
    for (;;) {
      const { done, value } = await call.reader.read();
      if (done) return null;
      if (value.byteLength > 0) return value;
    }
  }

  function takePending(ptr, cap) {
    const n = Math.min(cap, call.pending.byteLength);
    bytes(ptr, n).set(call.pending.subarray(0, n));
    call.pending = call.pending.subarray(n);
    return n;
  }

  const imports = {
    request_method: (ptr, cap) => putText(call.request.method, ptr, cap),
    request_url: (ptr, cap) => putText(call.request.url, ptr, cap),
    request_header(name, nameLen, ptr, cap) {
      const value = call.request.headers.get(text(name, nameLen));
      return value === null ? abi.E_NOTFOUND : putText(value, ptr, cap);
    },
    request_body_read(ptr, cap) {
      if (cap === 0) return 0;
      if (call.pending.byteLength > 0) return takePending(ptr, cap);
      if (!call.request.body || call.bodyDone) return 0;
      call.reader ??= call.request.body.getReader();
      return nextChunk().then(
        (chunk) => {
          if (chunk === null) {
            call.bodyDone = true;
            return 0;
          }
          call.pending = chunk;
          return takePending(ptr, cap);
        },
        () => abi.E_NETWORK,
      );
    },
    respond(status, headersPtr, headersLen, bodyPtr, bodyLen) {
      if (call.response) return abi.E_INVALID;
      const headers = parseHeaderLines(text(headersPtr, headersLen));
      const body = bodyLen > 0 ? bytes(bodyPtr, bodyLen).slice() : null;
      call.response = new Response(body, { status, headers });
      return abi.OK;
    },
    async http_send(mPtr, mLen, uPtr, uLen, hPtr, hLen, bPtr, bLen, timeoutMs, maxBody, handleOut) {
      let url;
      let init;
      try {
        url = new URL(text(uPtr, uLen));
        init = {
          method: text(mPtr, mLen),
          headers: parseHeaderLines(text(hPtr, hLen)),
          body: bLen > 0 ? bytes(bPtr, bLen).slice() : undefined,
          redirect: "manual",
        };
      } catch {
        return abi.E_INVALID;
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error("timeout")), timeoutMs);
      try {
        const response = await fetch(url, { ...init, signal: controller.signal });
        const body = await readAtMost(response, maxBody, controller.signal);
        if (body === null) return abi.E_TOOBIG;
        const handle = call.nextHandle++;
        call.handles.set(handle, { status: response.status, headers: response.headers, body });
        new DataView(memory.buffer).setUint32(handleOut, handle, true);
        return abi.OK;
      } catch {
        return controller.signal.aborted ? abi.E_TIMEOUT : abi.E_NETWORK;
      } finally {
        clearTimeout(timer);
      }
    },
    http_status(handle) {
      const reply = call.handles.get(handle);
      return reply ? reply.status : abi.E_BADHANDLE;
    },
    http_header(handle, name, nameLen, ptr, cap) {
      const reply = call.handles.get(handle);
      if (!reply) return abi.E_BADHANDLE;
      const value = reply.headers.get(text(name, nameLen));
      return value === null ? abi.E_NOTFOUND : putText(value, ptr, cap);
    },
    http_body(handle, ptr, cap) {
      const reply = call.handles.get(handle);
      return reply ? put(reply.body, ptr, cap) : abi.E_BADHANDLE;
    },
    http_close: (handle) => (call.handles.delete(handle) ? abi.OK : abi.E_BADHANDLE),
    config_get(name, nameLen, ptr, cap) {
      const value = call.env[text(name, nameLen)];
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return abi.E_NOTFOUND;
      if (value === "") return abi.E_NOTFOUND;
      return putText(String(value), ptr, cap);
    },
    rate_limit(name, nameLen, key, keyLen) {
      const binding = call.env[text(name, nameLen)];
      if (typeof binding?.limit !== "function") return abi.E_NOTFOUND;
      return binding.limit({ key: text(key, keyLen) }).then((outcome) => (outcome?.success ? 0 : 1));
    },
    log_write(level, ptr, len) {
      console[LOG_METHODS[level] ?? "log"](text(ptr, len));
      return abi.OK;
    },
    random_fill(ptr, len) {
      crypto.getRandomValues(bytes(ptr, len));
      return abi.OK;
    },
    clock_ms: () => Date.now(),
  };

  const SUSPENDING = new Set(["request_body_read", "http_send", "rate_limit"]);
  const vc = {};
  for (const [name, fn] of Object.entries(imports)) {
    const guarded = name === "clock_ms" ? fn : guard(fn);
    vc[name] = SUSPENDING.has(name) ? new WebAssembly.Suspending(guarded) : guarded;
  }

  return {
    imports: { vc },
    attach(instanceMemory) {
      memory = instanceMemory;
    },
    begin(request, env) {
      call = {
        request,
        env,
        reader: null,
        pending: new Uint8Array(0),
        bodyDone: false,
        response: null,
        handles: new Map(),
        nextHandle: 1,
      };
    },
    end() {
      const response = call?.response ?? null;
      if (call?.reader) call.reader.cancel().catch(() => {});
      call = null;
      return response;
    },
  };
}
