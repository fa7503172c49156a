/* turnstile.c - turnstile_start / turnstile_finish (see guards.h). */
#include <string.h>

#include "guards.h"
#include "host.h"
#include "http_reply.h"
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
static int verified(const http_reply *r) {
    cJSON *root = cJSON_ParseWithOpts(r->body, NULL, 1);
    int ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success"));
    cJSON_Delete(root);
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

    char head[sizeof url + 96];
    int head_len = TEXT_CONCAT(head, "POST\n", url, "\n{\"Content-Type\":\"application/json\",\"Accept\":\"application/json\"}");
    host_http_request http = {head, head_len < 0 ? 0 : (size_t)head_len, payload, (size_t)len, cfg->timeout_ms,
                              SITEVERIFY_REPLY_MAX};
    int rc = head_len < 0 ? VC_E_TOOBIG : host_http_start(&http, handle); /* the host has copied the payload */
    vc_free_secret(payload, cap);
    if (rc != VC_OK) return forbidden(req, "siteverify unreachable", 0, -1, p);
    return VC_PENDING;
}

int turnstile_finish(const vc_request *req, uint32_t handle, vc_response *res, vc_problem *p) {
    http_reply r;
    int status = http_reply_take(handle, "", 0, &r);
    double ms = r.elapsed_ms;
    res->upstream_ms += ms;
    int passed = status == 200 && r.body_len > 0 && verified(&r);
    http_reply_free(&r);
    if (status < 0) return forbidden(req, status == VC_E_TIMEOUT ? "siteverify timed out" : "siteverify unreachable", 0, ms, p);
    if (!passed) return forbidden(req, "token rejected", status, ms, p);
    return VC_OK;
}
