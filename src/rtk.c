/* rtk.c - see rtk.h. */
#include "rtk.h"

#include <string.h>

#include "budget.h"
#include "host.h"
#include "http_reply.h"
#include "json_out.h"
#include "json_strict.h"
#include "problem.h" /* VC_PENDING */
#include "text.h"
#include "vc_alloc.h"

static const char *transport_reason(int rc) {
    switch (rc) {
    case VC_E_TIMEOUT: return "timeout";
    case VC_E_TOOBIG: return "reply too large";
    case VC_E_NETWORK: return "network error";
    default: return "host error";
    }
}

static const char *status_reason(int status) {
    if (status >= 300 && status < 400) return "redirect refused";
    if (status == 401 || status == 403) return "api token refused";
    if (status == 429) return "rate limited";
    return "error status";
}

/* Retry-After only when it is delta-seconds (1 to 8 digits). */
static void read_retry_after(const char *value, char *out, size_t cap) {
    out[0] = '\0';
    if (value && strlen(value) < cap && text_is_digits(value, 8)) strcpy(out, value);
}

static const char *parse_reason(int parsed) {
    switch (parsed) {
    case JSON_STRICT_NOT_UTF8: return "reply is not UTF-8";
    case JSON_STRICT_HAS_NUL: return "reply holds \\u0000";
    case JSON_STRICT_NOT_OBJECT: return "reply is not a JSON object";
    case JSON_STRICT_REPEATED_KEY: return "reply repeats a key";
    default: return "reply is not JSON";
    }
}

/* The reply is read as strictly as a request body (json_strict.h), and its
 * `data` object must not repeat a key either. */
static void classify(rtk_reply *r, const char *text, size_t len, int missing_is_not_found) {
    cJSON *root = NULL;
    int parsed = text ? json_parse_strict(text, len, &root) : JSON_STRICT_NOT_JSON;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "error"), "code");
    int says_404 = cJSON_IsNumber(code) && code->valuedouble == 404.0;
    int status = r->http_status;
    cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");

    r->outcome = RTK_FAILED;
    if (missing_is_not_found && (status == 404 || says_404)) {
        r->outcome = RTK_NOT_FOUND;
        r->reason = "meeting not found";
    } else if (status < 200 || status > 299) {
        r->reason = status_reason(status);
    } else if (!root) {
        r->reason = parse_reason(parsed);
    } else if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success"))) {
        r->reason = "success is not true";
    } else if (!cJSON_IsObject(data)) {
        r->reason = "reply has no data";
    } else if (json_repeats_key(data)) {
        r->reason = "reply repeats a key";
    } else {
        r->outcome = RTK_OK;
        r->root_ = root;
        r->data = data;
        return;
    }
    cJSON_Delete(root);
}

int rtk_start(const vc_config *cfg, const char *method, const char *path, const char *body, size_t body_len,
              uint32_t *handle, rtk_reply *reply) {
    char bearer[sizeof cfg->api_token + 8], head[768 + 6 * sizeof bearer + 128];
    memset(reply, 0, sizeof *reply);
    reply->outcome = RTK_FAILED;
    *handle = 0;
    int n = text_concat(head, 768, method, "\n", cfg->api_base, "/accounts/", cfg->account_id, "/realtime/kit/",
                        cfg->app_id, path, "\n", (const char *)0);
    if (n < 0) return VC_E_TOOBIG;
    json_out o;
    json_out_begin(&o, head + n, sizeof head - (size_t)n);
    int rc = TEXT_CONCAT(bearer, "Bearer ", cfg->api_token);
    json_out_str(&o, "Authorization", bearer);
    json_out_str(&o, "Accept", "application/json");
    if (body) json_out_str(&o, "Content-Type", "application/json");
    int headers_len = json_out_end(&o);
    if (headers_len < 0) rc = VC_E_TOOBIG;
    if (rc >= 0) {
        host_http_request req = {head, (size_t)n + (size_t)headers_len, body, body ? body_len : 0, cfg->timeout_ms,
                                 RTK_REPLY_MAX};
        rc = host_http_start(&req, handle); /* the host has copied what it sends */
        if (rc != VC_OK) reply->reason = transport_reason(rc);
        rc = rc == VC_OK ? VC_PENDING : VC_OK;
    }
    vc_wipe(bearer, strlen(bearer)); /* the token's copies: as far as written */
    vc_wipe(head, (size_t)n + (o.len < sizeof head - (size_t)n ? o.len + 1 : sizeof head - (size_t)n));
    return rc;
}

void rtk_finish(uint32_t handle, int missing_is_not_found, rtk_reply *reply) {
    http_reply r;
    int status = http_reply_take(handle, "Retry-After\nRatelimit", 2, &r);
    reply->upstream_ms = r.elapsed_ms;
    if (status >= 0) {
        reply->http_status = status;
        if (status == 429) read_retry_after(r.header[0], reply->retry_after, sizeof reply->retry_after);
        if (r.header[1] && strlen(r.header[1]) < 128)
            reply->has_ratelimit =
                budget_ratelimit_parse(r.header[1], &reply->ratelimit_left, &reply->ratelimit_reset_s) == VC_OK;
        classify(reply, r.body, r.body_len, missing_is_not_found);
    } else {
        reply->reason = transport_reason(status);
    }
    http_reply_free(&r);
}

void rtk_reply_free(rtk_reply *reply) {
    cJSON_Delete(reply->root_);
    reply->root_ = NULL;
    reply->data = NULL;
}
