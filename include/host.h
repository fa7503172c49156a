/*
 * host.h - the whole boundary between the C core and its host.
 *
 * Every function the wasm module imports is declared here and nowhere else
 * (the build links without --allow-undefined, and test/worker/abi.test.js
 * compares the module's imports with test/expected-abi.json).
 *
 * Two layers, as in wasi-libc:
 *   - vc_raw_*: the imports themselves. Integer (and one f64) arguments only;
 *     pointers are offsets into the module's linear memory. In the wasm build
 *     the shim (shim/host.js) implements them; in the native tests the fake
 *     host (test/native/fake_host.c) does.
 *   - host_*: typed wrappers (src/host.c) that the rest of the C code calls.
 *
 * Status convention (shared with shim/abi.js; a test keeps the two in step):
 * every call returns an int32 that is >= 0 on success (a length, a count, a
 * handle or VC_OK) and one of the negative VC_E_* codes on failure. The host
 * never throws into wasm: an exception inside the shim becomes VC_E_HOST.
 *
 * Lengths: functions that copy a value into a caller buffer return the
 * value's full length and copy it only when it fits (len <= cap), like
 * snprintf. A caller learns whether a value exists without copying it by
 * passing cap 0.
 *
 * Ownership: the host owns nothing in linear memory; every buffer passed in
 * belongs to the caller and is only read or written during the call (the
 * host copies what it keeps). Operations that take time - reading the request
 * body, an outbound fetch, a rate-limit check - are host objects named by
 * integer handles, as in Fastly's Compute ABI: a *_start call begins one and
 * returns its handle at once. Reading a settled result whole releases its
 * handle (one crossing per result, none to close it); a handle whose result
 * is not taken must be released with host_handle_close(). The fake host fails
 * a test that leaves one open or closes one twice.
 *
 * Nothing here blocks or suspends. A *_start call only begins the work; the
 * C code then returns from its step (task.h) and the host calls it again once
 * every started operation has settled. Reading a result before that is
 * VC_E_PENDING. An instance serves one request at a time, so "the request" is
 * implicit in every call.
 */
#ifndef VC_HOST_H
#define VC_HOST_H

#include <stddef.h>
#include <stdint.h>

/* Status codes. Keep in step with shim/abi.js. */
enum {
    VC_OK = 0,
    VC_E_NOTFOUND = -1,  /* no such value (header, setting) */
    VC_E_INVALID = -2,   /* bad argument (pointer out of bounds, bad name) */
    VC_E_TOOBIG = -3,    /* more data than the caller's limit allows */
    VC_E_TIMEOUT = -4,   /* the deadline passed */
    VC_E_NETWORK = -5,   /* the connection failed or the stream broke */
    VC_E_HOST = -6,      /* the host failed unexpectedly */
    VC_E_NOMEM = -7,     /* an allocation failed */
    VC_E_BADHANDLE = -8, /* no such handle */
    VC_E_PENDING = -9    /* the operation has not settled yet */
};

/* Log levels for host_log. */
enum { VC_LOG_DEBUG = 0, VC_LOG_INFO = 1, VC_LOG_WARN = 2, VC_LOG_ERROR = 3 };

#if defined(__wasm__)
#define VC_IMPORT(name) __attribute__((import_module("vc"), import_name(name)))
#else
#define VC_IMPORT(name)
#endif

/* ---- raw imports: integer arguments, int32 status ---------------------- */

/* The incoming request. */
/* The request's head in one call: "EPOCH\nMETHOD\nURL\n", where EPOCH says
 * which environment the request runs with (the same decimal number for the
 * same environment object, another for another; -1 when the host cannot
 * tell), so that settings are parsed once per environment (config.c), and
 * URL is the full URL as the runtime parsed it; then for each name in `names`
 * ("\n"-separated) a line "+value\n" when the request has that header, "-\n"
 * when not. Its length; copied only when it fits (len <= cap). */
VC_IMPORT("request_head")
int32_t vc_raw_request_head(const uint8_t *names, uint32_t names_len, uint8_t *buf, uint32_t cap);
VC_IMPORT("request_header")
int32_t vc_raw_request_header(const uint8_t *name, uint32_t name_len, uint8_t *buf, uint32_t cap);
/* Start reading the whole request body, at most max_body bytes. */
VC_IMPORT("request_body_start")
int32_t vc_raw_request_body_start(uint32_t max_body, uint32_t *handle_out);
/* The body read: its length (copied when <= cap), VC_E_TOOBIG when it is
 * longer than max_body (reading stopped there), VC_E_NETWORK. Releases the
 * handle unless the body did not fit. */
VC_IMPORT("request_body")
int32_t vc_raw_request_body(uint32_t handle, uint8_t *buf, uint32_t cap);

/* The response: called once per request. headers: a JSON object of strings. */
VC_IMPORT("respond")
int32_t vc_raw_respond(uint32_t status, const uint8_t *headers, uint32_t headers_len,
                       const uint8_t *body, uint32_t body_len);

/* Outbound HTTP, the whole request in two regions: `head` is
 * "METHOD\nURL\n" followed by its headers as a JSON object of strings, each
 * name once; `body` its body (body_len 0: none). Starts sending it; the host
 * then reads the whole reply body (at most max_body bytes) before timeout_ms
 * expires. Redirects are never followed. VC_E_INVALID for a malformed method,
 * URL or header. */
VC_IMPORT("http_start")
int32_t vc_raw_http_start(const uint8_t *head, uint32_t head_len, const uint8_t *body, uint32_t body_len,
                          uint32_t timeout_ms, uint32_t max_body, uint32_t *handle_out);
/* The settled reply in one call: "STATUS\nMS\n", then for each name in
 * `names` ("\n"-separated) "+value\n" or "-\n" as in request_head, then the
 * body's bytes. STATUS is the HTTP status, or why there is none: VC_E_TIMEOUT,
 * VC_E_TOOBIG (body over max_body) or VC_E_NETWORK (then no header and no
 * body). MS: whole milliseconds on the host's clock from the start to the
 * reply's last byte (or the failure). Its length; copied only when it fits
 * (len <= cap), and then the handle is released. */
VC_IMPORT("http_reply")
int32_t vc_raw_http_reply(uint32_t handle, const uint8_t *names, uint32_t names_len, uint8_t *buf, uint32_t cap);

/* Configuration: the Worker's environment (vars and secrets). A missing or
 * empty value is VC_E_NOTFOUND. */
VC_IMPORT("config_get")
int32_t vc_raw_config_get(const uint8_t *name, uint32_t name_len, uint8_t *buf, uint32_t cap);

/* Workers Rate Limiting: start asking binding `name` whether `key` may go
 * on. VC_E_NOTFOUND (nothing started) when there is no such binding. */
VC_IMPORT("rate_limit_start")
int32_t vc_raw_rate_limit_start(const uint8_t *name, uint32_t name_len, const uint8_t *key, uint32_t key_len,
                                uint32_t *handle_out);
/* The answer: 0 = go on, 1 = over the limit, or VC_E_* when the binding
 * failed. Releases the handle once settled. */
VC_IMPORT("rate_limit_result")
int32_t vc_raw_rate_limit_result(uint32_t handle);

/* Bytes the host keeps between requests, under `key`. In the Worker they are
 * the isolate's, shared by all its instances (the budget's lease, permit.c);
 * in the budget's Durable Object they are the object's: "state" (which the
 * host persists), "message" (the message being served) and "answer".
 * store_get: the value's length (copied when <= cap), VC_E_NOTFOUND. */
VC_IMPORT("store_get")
int32_t vc_raw_store_get(const uint8_t *key, uint32_t key_len, uint8_t *buf, uint32_t cap);
VC_IMPORT("store_put")
int32_t vc_raw_store_put(const uint8_t *key, uint32_t key_len, const uint8_t *value, uint32_t len);

/* The account's budget: start sending `msg` to the Durable Object named
 * `name` in the namespace bound as `binding` (it answers with
 * vc_budget_serve). VC_E_NOTFOUND, nothing started, when there is no such
 * binding; with handle_out NULL nothing is sent either: VC_OK says there is. */
VC_IMPORT("budget_start")
int32_t vc_raw_budget_start(const uint8_t *binding, uint32_t binding_len, const uint8_t *name, uint32_t name_len,
                            const uint8_t *msg, uint32_t msg_len, uint32_t *handle_out);
/* The object's answer: its length (copied when <= cap), or VC_E_HOST when
 * the object could not be reached or failed. Releases the handle unless the
 * answer did not fit. */
VC_IMPORT("budget_answer")
int32_t vc_raw_budget_answer(uint32_t handle, uint8_t *buf, uint32_t cap);

/* HMAC-SHA-256 with the host's vetted implementation (Web Crypto in the
 * Worker): start computing the MAC of msg under key (key_len >= 1). The host
 * copies both during the call; the caller wipes its key right after. */
VC_IMPORT("hmac_sha256_start")
int32_t vc_raw_hmac_sha256_start(const uint8_t *key, uint32_t key_len, const uint8_t *msg, uint32_t msg_len,
                                 uint32_t *handle_out);
/* The MAC: 32 (its length; copied when cap >= 32), or VC_E_HOST. Releases
 * the handle unless the MAC did not fit. */
VC_IMPORT("hmac_sha256_result")
int32_t vc_raw_hmac_sha256_result(uint32_t handle, uint8_t *buf, uint32_t cap);

/* A JWS signature check with the host's vetted implementation (Web Crypto in
 * the Worker): start verifying sig over data with the public key `jwk` (a
 * JSON Web Key's text) for algorithm alg (VC_SIG_RS256: RSASSA-PKCS1-v1_5
 * with SHA-256; VC_SIG_ES256: ECDSA P-256 with SHA-256, sig being r || s).
 * The host copies all three during the call. VC_E_INVALID for another alg. */
VC_IMPORT("signature_verify_start")
int32_t vc_raw_signature_verify_start(uint32_t alg, const uint8_t *jwk, uint32_t jwk_len, const uint8_t *data,
                                      uint32_t data_len, const uint8_t *sig, uint32_t sig_len, uint32_t *handle_out);
/* The answer: 1 = the signature verifies, 0 = it does not, VC_E_INVALID =
 * the host would not take the key, VC_E_HOST. Releases the handle once
 * settled. */
VC_IMPORT("signature_verify_result")
int32_t vc_raw_signature_verify_result(uint32_t handle);

/* Release a handle of any kind (and whatever the host holds for it) whose
 * result is not taken: reading a settled result whole releases its handle. */
VC_IMPORT("handle_close")
int32_t vc_raw_handle_close(uint32_t handle);

/* One log line (the shim writes it with console.log/warn/error). */
VC_IMPORT("log_write")
int32_t vc_raw_log_write(uint32_t level, const uint8_t *line, uint32_t len);

/* Cryptographically secure random bytes (len <= 65536). */
VC_IMPORT("random_fill")
int32_t vc_raw_random_fill(uint8_t *buf, uint32_t len);

/* Milliseconds on the host's clock (Workers' clock advances across I/O). */
VC_IMPORT("clock_ms")
double vc_raw_clock_ms(void);

/* ---- typed wrappers (src/host.c) --------------------------------------- */

/* The request's head (see request_head) for the "\n"-separated header names,
 * NUL-terminated in buf: its length, or VC_E_TOOBIG (buf "") when it does
 * not fit. */
int host_request_head(const char *names, char *buf, size_t cap);
/* Value of request header `name` (case-insensitive), VC_E_NOTFOUND if absent. */
int host_request_header(const char *name, char *buf, size_t cap);
/* Start reading the body (at most max_body bytes); VC_OK and *handle. */
int host_request_body_start(size_t max_body, uint32_t *handle);
/* The body read: its length (copied when <= cap) or VC_E_*. */
int host_request_body(uint32_t handle, void *buf, size_t cap);

/* Send the response. headers: a JSON object of strings, each name once. */
int host_respond(int status, const char *headers, size_t headers_len,
                 const char *body, size_t body_len);

typedef struct host_http_request {
    const char *head;        /* "METHOD\nURL\n{headers as a JSON object}" (http_start) */
    size_t head_len;
    const char *body;        /* may be NULL */
    size_t body_len;
    uint32_t timeout_ms;     /* covers connecting and reading the body */
    uint32_t max_body;       /* reply bodies larger than this fail */
} host_http_request;

/* Start an HTTP request. On VC_OK *handle names it; take its reply
 * (http_reply.h) or close it. */
int host_http_start(const host_http_request *req, uint32_t *handle);
/* The settled reply's block (see http_reply) for the "\n"-separated header
 * names: its length; copied, NUL-terminated, and the handle released only
 * when it fits with its NUL (len < cap). */
int host_http_reply(uint32_t handle, const char *names, char *buf, size_t cap);
int host_handle_close(uint32_t handle);

/* Setting `name`: its length (copied when <= cap) or VC_E_NOTFOUND. */
int host_config_get(const char *name, char *buf, size_t cap);

/* The same two lookups as C strings: the value NUL-terminated in buf (cap
 * counts the NUL), returning its length; VC_E_NOTFOUND when absent;
 * VC_E_TOOBIG (buf "") when it does not fit. */
int host_request_header_str(const char *name, char *buf, size_t cap);
int host_config_str(const char *name, char *buf, size_t cap);
/* VC_OK and *handle, or VC_E_NOTFOUND when there is no binding `name`. */
int host_rate_limit_start(const char *name, const char *key, uint32_t *handle);
/* Once settled: 0 = allowed, 1 = over the limit, VC_E_* = the binding failed. */
int host_rate_limit_result(uint32_t handle);
#define VC_HMAC_SHA256_LEN 32
/* Start HMAC-SHA-256 of msg under key: VC_OK and *handle, or VC_E_*. */
int host_hmac_sha256_start(const void *key, size_t key_len, const void *msg, size_t msg_len, uint32_t *handle);
/* Once settled: VC_OK with the MAC in out, or VC_E_*. */
int host_hmac_sha256_result(uint32_t handle, uint8_t out[VC_HMAC_SHA256_LEN]);
enum { VC_SIG_RS256 = 1, VC_SIG_ES256 = 2 };
/* Start checking a signature: VC_OK and *handle, or VC_E_*. */
int host_signature_verify_start(int alg, const char *jwk, size_t jwk_len, const void *data, size_t data_len,
                                const void *sig, size_t sig_len, uint32_t *handle);
/* Once settled: 1 verifies, 0 does not, VC_E_* (the key unusable, or the host failed). */
int host_signature_verify_result(uint32_t handle);
/* store_get / store_put under a C-string key. */
int host_store_get(const char *key, void *buf, size_t cap);
int host_store_put(const char *key, const void *value, size_t len);
/* VC_OK and *handle, VC_E_NOTFOUND without the binding; handle NULL: only ask. */
int host_budget_start(const char *binding, const char *name, const void *msg, size_t len, uint32_t *handle);
int host_budget_answer(uint32_t handle, void *buf, size_t cap);
void host_log(int level, const char *line, size_t len);
int host_random(void *buf, size_t len);
double host_clock_ms(void);

#endif
