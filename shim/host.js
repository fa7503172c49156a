// The host functions the C core imports (declared in include/host.h).
// They only move bytes and perform I/O; every exception becomes a status.
import * as abi from "./abi.js";
import { createMemoryAccess } from "./memory.js";

/** @type {("debug" | "log" | "warn" | "error")[]} */
const LOG_METHODS = ["debug", "log", "warn", "error"];
const DIGITS = /^[0-9]{1,15}$/;
const PLUS = 0x2b; // request_head's marks: a header it has, one it has not
const MINUS = 0x2d;
// The result of an operation that has not settled yet.
/** @type {VcResult} */
const WAITING = Object.freeze({ status: abi.E_PENDING });

/** @param {unknown} error */
function statusOf(error) {
  if (error instanceof RangeError) return abi.E_INVALID; // pointer or length out of bounds
  return abi.E_HOST;
}

// Wraps a host function so that nothing throws into wasm: an exception
// becomes a status code. (No import returns a promise: nothing suspends.)
// Fixed parameters rather than (...args): no array per call. Eight is the
// most any import takes (signature_verify_start).
/** @param {Function} fn @returns {VcImport} */
function guard(fn) {
  return /** @type {VcImport} */ (
    (a, b, c, d, e, f, g, h) => {
      try {
        return fn(a, b, c, d, e, f, g, h);
      } catch (error) {
        return statusOf(error);
      }
    }
  );
}

// The headers the C code writes: a JSON object of strings, each name once
// (include/host.h). JSON.parse builds, in V8's C++, the plain object a
// Response or fetch() takes (workerd builds Headers from an object faster
// than from [name, value] pairs: npm run bench prints both). Anything else
// throws, and the import answers a status.
/** @param {string} text @returns {Record<string, string>} */
function headersFrom(text) {
  const headers = JSON.parse(text);
  if (headers === null || typeof headers !== "object" || Array.isArray(headers)) throw new TypeError("headers must be a JSON object");
  return headers;
}

// The body of a Request or a Response, at most `max` bytes (null when
// longer). A declared length within the limit is read in one go (the runtime
// holds a body to its Content-Length) without touching the stream object;
// otherwise the stream is read chunk by chunk and cancelled as soon as the
// limit is passed. `signal`, when given, cancels the read.
/**
 * @param {Request | Response} message @param {number} max @param {AbortSignal | null} [signal]
 * @returns {Promise<Uint8Array | null>}
 */
async function readAtMost(message, max, signal = null) {
  const length = message.headers.get("content-length");
  const declared = length !== null && DIGITS.test(length) ? Number(length) : NaN; // NaN: not declared
  if (declared <= max) {
    const body = new Uint8Array(await message.arrayBuffer());
    return body.byteLength > max ? null : body;
  }
  const stream = message.body;
  if (!stream) return new Uint8Array(0);
  if (declared > max) {
    await stream.cancel().catch(() => {});
    return null;
  }
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  const onAbort = () => reader.cancel().catch(() => {});
  signal?.addEventListener("abort", onAbort);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal?.aborted) throw signal.reason;
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

// One outbound request: the reply's status, headers and whole body, or the
// status code saying why there is none. Never rejects.
/**
 * @param {string} url @param {RequestInit} init @param {number} timeoutMs @param {number} maxBody
 * @returns {Promise<VcResult>}
 */
// `ms`: whole milliseconds from the start to the last byte (or the failure).
async function send(url, init, timeoutMs, maxBody) {
  const controller = new AbortController();
  init.signal = controller.signal;
  const began = Date.now();
  const timer = setTimeout(() => controller.abort(new Error("timeout")), timeoutMs);
  try {
    const response = await fetch(url, init);
    const body = await readAtMost(response, maxBody, controller.signal);
    if (body === null) return { status: abi.E_TOOBIG, ms: Date.now() - began };
    return { status: response.status, headers: response.headers, body, ms: Date.now() - began };
  } catch {
    return { status: controller.signal.aborted ? abi.E_TIMEOUT : abi.E_NETWORK, ms: Date.now() - began };
  } finally {
    clearTimeout(timer);
  }
}

// Bytes kept under a key between requests (store_get / store_put): a Map
// holding at most STORE_MAX keys, the oldest dropped first.
const STORE_MAX = 64;

// signature_verify_start's algorithms (include/host.h: VC_SIG_RS256, VC_SIG_ES256).
/** @typedef {{ name: string, hash?: string, namedCurve?: string }} SignatureParams */
/** @type {Record<number, { import: SignatureParams, verify: SignatureParams }>} */
const SIGNATURE_ALGS = {
  1: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  2: { import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
};

// Imported public keys, by algorithm and JWK text: the isolate's, at most
// KEYS_MAX of them, the oldest dropped first. A key Web Crypto refuses is null.
const KEYS_MAX = 16;
/** @type {Map<string, Promise<CryptoKey | null>>} */
const verifyKeys = new Map();
/** @param {number} alg @param {string} jwk @param {{ import: SignatureParams }} params */
function importVerifyKey(alg, jwk, params) {
  const id = `${alg} ${jwk}`;
  let key = verifyKeys.get(id);
  if (key === undefined) {
    key = Promise.resolve()
      .then(() => crypto.subtle.importKey("jwk", JSON.parse(jwk), params.import, false, ["verify"]))
      .catch(() => null);
    verifyKeys.set(id, key);
    if (verifyKeys.size > KEYS_MAX) verifyKeys.delete(/** @type {string} */ (verifyKeys.keys().next().value));
  }
  return key;
}

// config_epoch: a number per environment object (the same object, the same
// number), so that the C core parses settings once per environment.
/** @type {WeakMap<object, number>} */
const envEpochs = new WeakMap();
let nextEpoch = 0;
/** @param {object} env */
function epochOf(env) {
  let epoch = envEpochs.get(env);
  if (epoch === undefined) {
    epoch = nextEpoch;
    nextEpoch = (nextEpoch + 1) & 0x7fffffff;
    envEpochs.set(env, epoch);
  }
  return epoch;
}

/** @param {VcStore} store @param {string} key @param {Uint8Array} value */
export function keep(store, key, value) {
  store.delete(key);
  store.set(key, value);
  if (store.size > STORE_MAX) store.delete(/** @type {string} */ (store.keys().next().value));
}

// One host per wasm instance. `begin` binds a request to it, `settle` waits
// for the operations the C code started, `end` unbinds the request and
// returns the Response the C code produced (or null). `store` holds what the
// C code keeps between requests: one Map for the isolate, or for a budget
// object (budget.js).
/** @param {VcStore} [store] */
export function createHost(store = new Map()) {
  /** @type {ReturnType<typeof createMemoryAccess>} */
  let mem; // see memory.js; set by attach before any call
  // The request this instance is serving: set by begin, null after end. The
  // C code calls imports only in between.
  /** @type {VcCall} */
  let call = /** @type {never} */ (null);

  const text = (/** @type {number} */ ptr, /** @type {number} */ len) => mem.text(ptr, len);
  const put = (/** @type {Uint8Array} */ value, /** @type {number} */ ptr, /** @type {number} */ cap) => mem.put(value, ptr, cap);
  const putText = (/** @type {string} */ value, /** @type {number} */ ptr, /** @type {number} */ cap) => mem.putText(value, ptr, cap);

  // A started operation: a handle now, its result filed under the handle
  // once `work` settles, unless the C code has closed the handle by then. The
  // C code sees it only after the wait (settle) that covers it. `work` never
  // rejects (each starter maps failures to a status). A request's handles
  // are 1, 2, 3...: its results are an array indexed by handle (undefined:
  // closed, or never given), which costs less than a Map per request.
  /** @param {Promise<VcResult>} work @param {number} handleOut */
  function start(work, handleOut) {
    const c = call;
    const handle = c.results.length;
    c.results.push(WAITING);
    c.pending.push(
      work.then((result) => {
        if (c.results[handle] !== undefined) c.results[handle] = result;
      }),
    );
    mem.putU32(handleOut, handle);
    return abi.OK;
  }

  // The result behind a handle, or the status to answer instead.
  /** @param {number} handle @returns {VcResult | number} */
  function settled(handle) {
    const result = call.results[handle];
    if (result === undefined) return abi.E_BADHANDLE;
    return result === WAITING ? abi.E_PENDING : result;
  }

  // Taking a settled result whole releases its handle (include/host.h).
  /** @param {number} handle */
  const release = (handle) => {
    call.results[handle] = undefined;
  };

  // The bytes a settled { status, body } result holds, or its failure status;
  // the handle released unless the bytes did not fit.
  /** @param {number} handle @param {number} ptr @param {number} cap */
  function takeBytes(handle, ptr, cap) {
    const result = settled(handle);
    if (typeof result === "number") return result;
    const n = result.body ? put(result.body, ptr, cap) : result.status;
    if (n <= cap) release(handle);
    return n;
  }

  // The status a settled { status } result holds; the handle released.
  /** @param {number} handle */
  function takeStatus(handle) {
    const result = settled(handle);
    if (typeof result === "number") return result;
    release(handle);
    return result.status;
  }

  // Lines "+value\n" (or "-\n") at ptr + at for each "\n"-separated name in
  // [names, names + namesLen), looked up in `headers` (null: none has any).
  /** @param {Headers | null | undefined} headers @param {number} names @param {number} namesLen @param {number} ptr @param {number} cap @param {number} at */
  function putHeaderLines(headers, names, namesLen, ptr, cap, at) {
    if (namesLen === 0) return at;
    for (const name of mem.nameList(names, namesLen)) {
      const value = headers ? headers.get(name) : null;
      at = value === null ? mem.putLine("", ptr, cap, at, MINUS) : mem.putLine(value, ptr, cap, at, PLUS);
    }
    return at;
  }

  /** @type {Record<string, VcImport>} */
  const imports = {
    // Written line by line: building the head as one string first costs a
    // concatenation per piece (npm run bench, BENCH_ONLY=instr).
    request_head(names, namesLen, ptr, cap) {
      const { request, env } = call;
      const epoch = env !== null && typeof env === "object" ? epochOf(env) : -1;
      let at = mem.putLine(String(epoch), ptr, cap, 0);
      at = mem.putLine(request.method, ptr, cap, at);
      at = mem.putLine(request.url, ptr, cap, at);
      return putHeaderLines(request.headers, names, namesLen, ptr, cap, at);
    },
    request_header(name, nameLen, ptr, cap) {
      const value = call.request.headers.get(text(name, nameLen));
      return value === null ? abi.E_NOTFOUND : putText(value, ptr, cap);
    },
    request_body_start(maxBody, handleOut) {
      const work = readAtMost(call.request, maxBody).then(
        (body) => (body === null ? { status: abi.E_TOOBIG } : { status: abi.OK, body }),
        () => ({ status: abi.E_NETWORK }),
      );
      return start(work, handleOut);
    },
    request_body: (handle, ptr, cap) => takeBytes(handle, ptr, cap),
    respond(status, headersPtr, headersLen, bodyPtr, bodyLen) {
      if (call.response) return abi.E_INVALID;
      const headers = headersFrom(text(headersPtr, headersLen));
      const body = bodyLen > 0 ? mem.body(bodyPtr, bodyLen) : null;
      call.response = new Response(body, { status, headers });
      return abi.OK;
    },
    // head: "METHOD\nURL\n{headers}" (include/host.h), one string read.
    http_start(headPtr, headLen, bodyPtr, bodyLen, timeoutMs, maxBody, handleOut) {
      const head = text(headPtr, headLen);
      const urlAt = head.indexOf("\n") + 1;
      const headersAt = urlAt > 0 ? head.indexOf("\n", urlAt) + 1 : 0;
      if (headersAt === 0) return abi.E_INVALID;
      const url = head.slice(urlAt, headersAt - 1);
      if (!URL.canParse(url)) return abi.E_INVALID;
      let init;
      try {
        init = {
          method: head.slice(0, urlAt - 1),
          headers: headersFrom(head.slice(headersAt)),
          body: bodyLen > 0 ? mem.body(bodyPtr, bodyLen) : undefined,
          redirect: "manual",
        };
      } catch {
        return abi.E_INVALID;
      }
      return start(send(url, init, timeoutMs, maxBody), handleOut);
    },
    // "STATUS\nMS\n", the header lines, the body: released once it fits.
    http_reply(handle, names, namesLen, ptr, cap) {
      const result = settled(handle);
      if (typeof result === "number") return result;
      let at = mem.putLine(String(result.status), ptr, cap, 0);
      at = mem.putLine(String(result.ms ?? 0), ptr, cap, at);
      at = putHeaderLines(result.headers, names, namesLen, ptr, cap, at);
      const body = result.body;
      const n = at + (body ? body.byteLength : 0);
      if (n <= cap) {
        if (body && body.byteLength > 0) put(body, ptr + at, cap - at);
        release(handle);
      }
      return n;
    },
    rate_limit_start(name, nameLen, key, keyLen, handleOut) {
      const binding = /** @type {Partial<RateLimit> | undefined} */ (call.env[mem.name(name, nameLen)]);
      const limit = binding?.limit;
      if (typeof limit !== "function") return abi.E_NOTFOUND;
      const work = Promise.resolve()
        .then(() => limit.call(binding, { key: text(key, keyLen) }))
        .then(
          (outcome) => ({ status: outcome?.success ? 0 : 1 }),
          () => ({ status: abi.E_HOST }),
        );
      return start(work, handleOut);
    },
    rate_limit_result: (handle) => takeStatus(handle),
    store_get(key, keyLen, ptr, cap) {
      const value = store.get(text(key, keyLen));
      return value === undefined ? abi.E_NOTFOUND : put(value, ptr, cap);
    },
    store_put(key, keyLen, ptr, len) {
      keep(store, text(key, keyLen), mem.body(ptr, len));
      return abi.OK;
    },
    budget_start(binding, bindingLen, name, nameLen, msgPtr, msgLen, handleOut) {
      const namespace = /** @type {Partial<VcBudgetNamespace> | undefined} */ (call.env[mem.name(binding, bindingLen)]);
      if (typeof namespace?.idFromName !== "function" || typeof namespace.get !== "function") return abi.E_NOTFOUND;
      if (handleOut === 0) return abi.OK;
      const stub = namespace.get(namespace.idFromName(text(name, nameLen)));
      const message = mem.body(msgPtr, msgLen);
      const work = Promise.resolve()
        .then(() => stub.serve(message))
        .then(
          (answer) => (answer instanceof Uint8Array ? { status: abi.OK, body: answer } : { status: abi.E_HOST }),
          () => ({ status: abi.E_HOST }),
        );
      return start(work, handleOut);
    },
    budget_answer: (handle, ptr, cap) => takeBytes(handle, ptr, cap),
    // HMAC-SHA-256 with Web Crypto. The key's copy is zeroed once imported.
    hmac_sha256_start(keyPtr, keyLen, msgPtr, msgLen, handleOut) {
      if (keyLen === 0) return abi.E_INVALID;
      const key = mem.body(keyPtr, keyLen);
      const message = mem.body(msgPtr, msgLen);
      const work = crypto.subtle
        .importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
        .then((cryptoKey) => {
          key.fill(0);
          return crypto.subtle.sign("HMAC", cryptoKey, message);
        })
        .then(
          (mac) => ({ status: abi.OK, body: new Uint8Array(mac) }),
          () => {
            key.fill(0);
            return { status: abi.E_HOST };
          },
        );
      return start(work, handleOut);
    },
    hmac_sha256_result: (handle, ptr, cap) => takeBytes(handle, ptr, cap),
    // A JWS signature check with Web Crypto: 1 verifies, 0 does not,
    // E_INVALID when Web Crypto will not take the key.
    signature_verify_start(alg, jwkPtr, jwkLen, dataPtr, dataLen, sigPtr, sigLen, handleOut) {
      const params = SIGNATURE_ALGS[alg];
      if (!params) return abi.E_INVALID;
      const jwk = text(jwkPtr, jwkLen);
      const data = mem.body(dataPtr, dataLen);
      const signature = mem.body(sigPtr, sigLen);
      const work = importVerifyKey(alg, jwk, params).then(
        (key) =>
          key === null
            ? { status: abi.E_INVALID }
            : crypto.subtle.verify(params.verify, key, signature, data).then(
                (ok) => ({ status: ok ? 1 : 0 }),
                () => ({ status: 0 }),
              ),
        () => ({ status: abi.E_HOST }),
      );
      return start(work, handleOut);
    },
    signature_verify_result: (handle) => takeStatus(handle),
    handle_close(handle) {
      if (call.results[handle] === undefined) return abi.E_BADHANDLE;
      call.results[handle] = undefined;
      return abi.OK;
    },
    config_get(name, nameLen, ptr, cap) {
      const value = call.env[mem.name(name, nameLen)];
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return abi.E_NOTFOUND;
      if (value === "") return abi.E_NOTFOUND;
      return putText(String(value), ptr, cap);
    },
    log_write(level, ptr, len) {
      console[LOG_METHODS[level] ?? "log"](text(ptr, len));
      return abi.OK;
    },
    random_fill(ptr, len) {
      crypto.getRandomValues(mem.bytes(ptr, len));
      return abi.OK;
    },
    clock_ms: () => Date.now(),
  };

  /** @type {Record<string, VcImport>} */
  const vc = {};
  for (const [name, fn] of Object.entries(imports)) vc[name] = name === "clock_ms" ? fn : guard(fn);

  return {
    imports: { vc },
    /** @param {WebAssembly.Memory} instanceMemory */
    attach(instanceMemory) {
      mem = createMemoryAccess(instanceMemory);
    },
    /** @param {Request} request @param {VcEnv} env */
    begin(request, env) {
      call = { request, env, response: null, results: [undefined], pending: [] };
    },
    // Wait until every operation started since the last wait has settled
    // (and so been filed under its handle). The C code asked to wait: with
    // nothing started that is a broken protocol, and waiting would hang.
    settle() {
      const pending = call.pending;
      if (pending.length === 0) return Promise.reject(new Error("the C code waits on nothing"));
      call.pending = [];
      return pending.length === 1 ? pending[0] : Promise.all(pending);
    },
    end() {
      const response = call?.response ?? null;
      call = /** @type {never} */ (null);
      return response;
    },
  };
}
