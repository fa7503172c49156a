/* host.c - typed wrappers over the raw imports declared in host.h. */
#include "host.h"

#include <string.h>

#define U8(p) ((uint8_t *)(p))
#define CU8(p) ((const uint8_t *)(p))

/* Buffers and names are far below 2 GiB; clamp rather than truncate. */
static uint32_t u32(size_t n) { return n > INT32_MAX ? (uint32_t)INT32_MAX : (uint32_t)n; }


int host_request_header(const char *name, char *buf, size_t cap) {
    return vc_raw_request_header(CU8(name), u32(strlen(name)), U8(buf), u32(cap));
}

int host_request_body_start(size_t max_body, uint32_t *handle) {
    *handle = 0;
    return vc_raw_request_body_start(u32(max_body), handle);
}

int host_request_body(uint32_t handle, void *buf, size_t cap) { return vc_raw_request_body(handle, U8(buf), u32(cap)); }

int host_respond(int status, const char *headers, size_t headers_len, const char *body, size_t body_len) {
    return vc_raw_respond((uint32_t)status, CU8(headers), u32(headers_len), CU8(body), u32(body_len));
}

int host_http_start(const host_http_request *req, uint32_t *handle) {
    *handle = 0;
    return vc_raw_http_start(CU8(req->head), u32(req->head_len), CU8(req->body), u32(req->body ? req->body_len : 0),
                             req->timeout_ms, req->max_body, handle);
}

int host_http_reply(uint32_t handle, const char *names, char *buf, size_t cap) {
    int n = vc_raw_http_reply(handle, CU8(names), u32(strlen(names)), U8(buf), u32(cap ? cap - 1 : 0));
    if (n >= 0 && (size_t)n < cap) buf[n] = '\0';
    return n;
}

int host_handle_close(uint32_t handle) { return vc_raw_handle_close(handle); }

int host_config_get(const char *name, char *buf, size_t cap) {
    return vc_raw_config_get(CU8(name), u32(strlen(name)), U8(buf), u32(cap));
}

int host_rate_limit_start(const char *name, const char *key, uint32_t *handle) {
    *handle = 0;
    return vc_raw_rate_limit_start(CU8(name), u32(strlen(name)), CU8(key), u32(strlen(key)), handle);
}

int host_rate_limit_result(uint32_t handle) { return vc_raw_rate_limit_result(handle); }

int host_hmac_sha256_start(const void *key, size_t key_len, const void *msg, size_t msg_len, uint32_t *handle) {
    *handle = 0;
    if (key_len == 0) return VC_E_INVALID;
    return vc_raw_hmac_sha256_start(CU8(key), u32(key_len), CU8(msg), u32(msg_len), handle);
}

int host_hmac_sha256_result(uint32_t handle, uint8_t out[VC_HMAC_SHA256_LEN]) {
    int rc = vc_raw_hmac_sha256_result(handle, out, VC_HMAC_SHA256_LEN);
    if (rc < 0) return rc;
    return rc == VC_HMAC_SHA256_LEN ? VC_OK : VC_E_HOST;
}

int host_signature_verify_start(int alg, const char *jwk, size_t jwk_len, const void *data, size_t data_len,
                                const void *sig, size_t sig_len, uint32_t *handle) {
    *handle = 0;
    return vc_raw_signature_verify_start((uint32_t)alg, CU8(jwk), u32(jwk_len), CU8(data), u32(data_len), CU8(sig),
                                         u32(sig_len), handle);
}

int host_signature_verify_result(uint32_t handle) { return vc_raw_signature_verify_result(handle); }

int host_store_get(const char *key, void *buf, size_t cap) {
    return vc_raw_store_get(CU8(key), u32(strlen(key)), U8(buf), u32(cap));
}

int host_store_put(const char *key, const void *value, size_t len) {
    return vc_raw_store_put(CU8(key), u32(strlen(key)), CU8(value), u32(len));
}

int host_budget_start(const char *binding, const char *name, const void *msg, size_t len, uint32_t *handle) {
    if (handle) *handle = 0;
    return vc_raw_budget_start(CU8(binding), u32(strlen(binding)), CU8(name), u32(strlen(name)), CU8(msg), u32(len),
                               handle);
}

int host_budget_answer(uint32_t handle, void *buf, size_t cap) { return vc_raw_budget_answer(handle, U8(buf), u32(cap)); }

void host_log(int level, const char *line, size_t len) { (void)vc_raw_log_write((uint32_t)level, CU8(line), u32(len)); }

int host_random(void *buf, size_t len) { return vc_raw_random_fill(U8(buf), u32(len)); }

double host_clock_ms(void) { return vc_raw_clock_ms(); }

/* n from a copy into buf[0..cap-1): terminate the value, or say why not. */
static int terminated(int n, char *buf, size_t cap) {
    if (n >= 0 && (size_t)n < cap) {
        buf[n] = '\0';
        return n;
    }
    if (cap) buf[0] = '\0';
    return n < 0 ? n : VC_E_TOOBIG;
}

int host_request_head(const char *names, char *buf, size_t cap) {
    int n = vc_raw_request_head(CU8(names), u32(strlen(names)), U8(buf), u32(cap ? cap - 1 : 0));
    return terminated(n, buf, cap);
}

int host_request_header_str(const char *name, char *buf, size_t cap) {
    return terminated(host_request_header(name, buf, cap ? cap - 1 : 0), buf, cap);
}

int host_config_str(const char *name, char *buf, size_t cap) {
    return terminated(host_config_get(name, buf, cap ? cap - 1 : 0), buf, cap);
}
