/* json_body.c - see json_body.h. */
#include "json_body.h"

#include <stdint.h>
#include <string.h>

#include "host.h"
#include "json_strict.h"
#include "text.h"

#define TOO_LARGE_MESSAGE "Request body must be at most 16384 bytes"
_Static_assert(VC_BODY_MAX == 16384, "keep TOO_LARGE_MESSAGE in step with VC_BODY_MAX");

static int too_large(vc_problem *p) { return problem_set(p, 413, "INVALID_INPUT", TOO_LARGE_MESSAGE, (const char *)0); }

/* Content-Length, when present and a plain decimal number; -1 otherwise. */
static long declared_length(const vc_request *req) {
    const char *value = req->content_length;
    if (strcmp(value, "x") == 0) return (long)VC_BODY_MAX + 1; /* 32+ bytes */
    if (!text_is_digits(value, sizeof req->content_length)) return -1;
    long total = 0;
    for (size_t i = 0; value[i] && total <= VC_BODY_MAX; i++) total = total * 10 + (value[i] - '0');
    return total;
}

int body_start(const vc_request *req, uint32_t *handle, vc_problem *p) {
    *handle = 0;
    if (declared_length(req) > VC_BODY_MAX) return too_large(p);
    int rc = host_request_body_start(VC_BODY_MAX, handle);
    return rc == VC_OK ? VC_PENDING : problem_invalid(p, "Request body could not be read");
}

int body_take(uint32_t handle, char *buf, size_t cap, size_t *len, vc_problem *p) {
    *len = 0;
    /* With room for VC_BODY_MAX bytes the read releases the handle. */
    int n = cap < VC_BODY_MAX + 1 ? VC_E_INVALID : host_request_body(handle, buf, VC_BODY_MAX);
    if (n == VC_E_INVALID || n > VC_BODY_MAX) (void)host_handle_close(handle);
    if (n == VC_E_INVALID) return problem_set(p, 500, "INTERNAL_ERROR", "Internal error", (const char *)0);
    if (n == VC_E_TOOBIG || n > VC_BODY_MAX) return too_large(p);
    if (n < 0) return problem_invalid(p, "Request body could not be read");
    *len = (size_t)n;
    return VC_OK;
}

int json_parse_object(const char *buf, size_t len, int allow_empty, cJSON **out, vc_problem *p) {
    switch (json_parse_strict(buf, len, out)) {
    case JSON_STRICT_OK: return VC_OK;
    case JSON_STRICT_EMPTY:
        if (!allow_empty) return problem_invalid(p, "Request body must be a JSON object");
        *out = cJSON_CreateObject();
        return *out ? VC_OK : VC_E_NOMEM;
    case JSON_STRICT_NOT_UTF8: return problem_invalid(p, "Request body must be valid UTF-8");
    case JSON_STRICT_HAS_NUL: return problem_invalid(p, "Request body must not contain \\u0000");
    case JSON_STRICT_NOT_OBJECT: return problem_invalid(p, "Request body must be a JSON object");
    case JSON_STRICT_REPEATED_KEY: return problem_invalid(p, "Request body must not repeat a key");
    default: return problem_invalid(p, "Request body must be valid JSON");
    }
}
