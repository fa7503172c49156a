/* cors.c - see cors.h. */
#include "cors.h"

#include <string.h>
#include <strings.h>

#include "host.h"

#define ALLOW_HEADERS "content-type, cf-turnstile-response, authorization"
#define MAX_AGE "86400"
/* Response headers a page on an allowed origin may read besides the safelisted
 * ones: the wait of a 429 or 503, the id that names the request in the logs,
 * and a 401's challenge. */
#define EXPOSE_HEADERS "Retry-After, X-Request-Id, WWW-Authenticate"

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* 1 when `origin` is in the comma-separated list (or the list has "*"). */
static int listed(const char *list, const char *origin) {
    size_t origin_len = strlen(origin);
    for (const char *p = list; *p;) {
        while (is_space(*p) || *p == ',') p++;
        size_t len = strcspn(p, ",");
        size_t trimmed = len;
        while (trimmed && is_space(p[trimmed - 1])) trimmed--;
        while (trimmed && p[trimmed - 1] == '/') trimmed--;
        if (trimmed == 1 && p[0] == '*') return 1;
        if (trimmed && trimmed == origin_len && strncasecmp(p, origin, trimmed) == 0) return 1;
        p += len;
    }
    return 0;
}

int cors_origin_state(const vc_request *req) {
    char list[1024];
    if (!req->origin[0]) return VC_ORIGIN_NONE;
    if (req->self[0] && strcasecmp(req->origin, req->self) == 0) return VC_ORIGIN_SAME;
    if (host_config_str(VC_CFG_ALLOWED_ORIGINS, list, sizeof list) <= 0) return VC_ORIGIN_DENIED;
    return listed(list, req->origin) ? VC_ORIGIN_ALLOWED : VC_ORIGIN_DENIED;
}

int cors_decorate(const vc_request *req, vc_response *res) {
    int rc = response_header(res, "Vary", "Origin");
    if (rc == VC_OK && req->origin_state == VC_ORIGIN_ALLOWED) {
        rc = response_header(res, "Access-Control-Allow-Origin", req->origin);
        if (rc == VC_OK) rc = response_header(res, "Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }
    return rc;
}

int cors_forbid(vc_response *res) { return response_error(res, 403, "FORBIDDEN", "Origin not allowed"); }

int cors_preflight(const vc_request *req, vc_response *res, const char *methods) {
    if (req->origin_state == VC_ORIGIN_DENIED) return cors_forbid(res);
    response_empty(res, 204);
    int rc = response_header(res, "Allow", methods);
    if (rc == VC_OK && req->origin_state == VC_ORIGIN_ALLOWED) {
        rc = response_header(res, "Access-Control-Allow-Methods", methods);
        if (rc == VC_OK) rc = response_header(res, "Access-Control-Allow-Headers", ALLOW_HEADERS);
        if (rc == VC_OK) rc = response_header(res, "Access-Control-Max-Age", MAX_AGE);
    }
    return rc;
}
