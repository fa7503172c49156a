/* turnstile.c - turnstile_start / turnstile_finish (see guards.h). */
#include <string.h>

#include "guards.h"
#include "host.h"
#include "json_out.h"
#include "log.h"
#include "text.h"
#include "vc_alloc.h"

#define SITEVERIFY_REPLY_MAX 16384

static int forbidden(const vc_request *req, const char *reason, int upstream_status, double ms, vc_problem *p) {
    vc_log_fields f = VC_LOG_FIELDS("turnstile_failed");
    f.status = 403;
    f.reason = reason;
    f.upstream_status = upstream_status;
    f.upstream_ms = ms;
    log_event(req, VC_LOG_WARN, &f);
    return problem_set(p, 403, "FORBIDDEN", "Bot check failed", (const char *)0);
}

/* The token from the header, else from the body; VC_E_NOTFOUND if neither. */
static int find_token(const cJSON *body, char *out, size_t cap) {
    if (host_request_header_str("CF-Turnstile-Response", out, cap) > 0) return VC_OK;
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, "turnstile_token");
    if (!cJSON_IsString(item) || !item->valuestring[0] || strlen(item->valuestring) >= cap) return VC_E_NOTFOUND;
    strcpy(out, item->valuestring);
    return VC_OK;
}

/* 1 when siteverify's reply says success:true. */
static int verified(uint32_t handle) {
    int n = host_http_body(handle, NULL, 0);
    if (n <= 0) return 0;
    char *text = vc_malloc((size_t)n + 1);
    if (!text) return 0;
    int ok = host_http_body(handle, text, (size_t)n) == n;
    text[n] = '\0';
    cJSON *root = ok ? cJSON_ParseWithOpts(text, NULL, 1) : NULL;
    ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success"));
    cJSON_Delete(root);
    vc_free(text);
    return ok;
}

int turnstile_start(const vc_request *req, const cJSON *body, const vc_config *cfg, uint32_t *handle, vc_problem *p) {
    char secret[256], url[512], token[VC_TURNSTILE_TOKEN_MAX + 1];
    if (!cfg->turnstile_on) return VC_OK; /* bot protection is off */
    int n = host_config_str(VC_CFG_TURNSTILE_SECRET, secret, sizeof secret);
    if (n == VC_E_NOTFOUND) return VC_OK; /* gone since the settings were read */
    if (n < 0) return forbidden(req, "secret is malformed", 0, -1, p);
    if (host_config_str(VC_CFG_TURNSTILE_URL, url, sizeof url) <= 0) strcpy(url, VC_DEFAULT_TURNSTILE_URL);
    if (find_token(body, token, sizeof token) != VC_OK) {
        vc_wipe(secret, sizeof secret);
        return forbidden(req, "token is missing", 0, -1, p);
    }
    const char *ip = req->client_ip;

    /* Every byte escapes to at most 6 ("\u00xx"): the payload always fits. */
    size_t cap = 6 * (strlen(secret) + strlen(token) + strlen(ip)) + 64;
    char *payload = vc_malloc(cap);
    json_out o;
    if (payload) {
        json_out_begin(&o, payload, cap);
        json_out_str(&o, "secret", secret);
        json_out_str(&o, "response", token);
        if (ip[0]) json_out_str(&o, "remoteip", ip);
    }
    int len = payload ? json_out_end(&o) : VC_E_NOMEM;
    vc_wipe(secret, sizeof secret);
    if (len < 0) {
        vc_free_secret(payload, cap);
        return len;
    }

    host_http_request http = {"POST", url, "{\"Content-Type\":\"application/json\",\"Accept\":\"application/json\"}", payload,
                              (size_t)len, cfg->timeout_ms, SITEVERIFY_REPLY_MAX};
    int rc = host_http_start(&http, handle); /* the host has copied the payload */
    vc_free_secret(payload, cap);
    if (rc != VC_OK) return forbidden(req, "siteverify unreachable", 0, -1, p);
    return VC_PENDING;
}

int turnstile_finish(const vc_request *req, uint32_t handle, double started, vc_response *res, vc_problem *p) {
    double ms = host_clock_ms() - started;
    res->upstream_ms += ms;
    int status = host_http_status(handle);
    int passed = status == 200 && verified(handle);
    (void)host_handle_close(handle);
    if (status < 0) return forbidden(req, status == VC_E_TIMEOUT ? "siteverify timed out" : "siteverify unreachable", 0, ms, p);
    if (!passed) return forbidden(req, "token rejected", status, ms, p);
    return VC_OK;
}
