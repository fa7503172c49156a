/* api.c - see api.h. */
#include "api.h"

#include <string.h>

#include "host.h"
#include "json_body.h"
#include "log.h"

/* Longest id or token accepted from RealtimeKit. */
#define API_VALUE_MAX 8192

int api_read_object(char *buf, size_t cap, int allow_empty, cJSON **in, vc_problem *p) {
    size_t len = 0;
    int rc = body_read(buf, cap, &len, p);
    return rc == VC_OK ? json_parse_object(buf, len, allow_empty, in, p) : rc;
}

int api_load_config(const char *route, vc_config *cfg, vc_problem *p) {
    const char *bad = NULL;
    int rc = config_load(cfg, &bad);
    if (rc == VC_OK) return VC_OK;
    vc_log_fields f = VC_LOG_FIELDS("config_error");
    f.route = route;
    f.status = 500;
    f.setting = bad;
    f.reason = rc == VC_E_NOTFOUND ? "setting is missing" : "setting is malformed";
    log_event(VC_LOG_ERROR, &f);
    return problem_set(p, 500, "INTERNAL_ERROR", "Internal error", (const char *)0);
}

int api_respond_problem(vc_response *res, const vc_problem *p) {
    return response_error(res, p->status, p->code, p->message);
}

static const char *reply_value(const rtk_reply *reply, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(reply->data, key);
    if (!cJSON_IsString(item) || !item->valuestring[0] || strlen(item->valuestring) > API_VALUE_MAX) return NULL;
    return item->valuestring;
}

int api_respond_reply(vc_response *res, const char *route, const rtk_reply *reply, const char *data_key,
                      const char *out_key, const char *event) {
    const char *value = reply->outcome == RTK_OK ? reply_value(reply, data_key) : NULL;
    vc_log_fields f = VC_LOG_FIELDS(event);
    f.route = route;
    f.upstream_status = reply->http_status;
    f.upstream_ms = reply->upstream_ms;
    int rc;
    if (value) {
        cJSON *body = cJSON_CreateObject();
        if (body && !cJSON_AddStringToObject(body, out_key, value)) {
            cJSON_Delete(body);
            body = NULL;
        }
        rc = response_json(res, 200, body);
    } else if (reply->outcome == RTK_NOT_FOUND) {
        f.event = "meeting_not_found";
        rc = response_error(res, 404, "NOT_FOUND", "Meeting not found");
    } else {
        f.event = "realtimekit_error";
        f.reason = reply->outcome == RTK_OK ? "reply has no usable data" : reply->reason;
        rc = response_error(res, 500, "REALTIMEKIT_ERROR", "RealtimeKit request failed");
        if (rc == VC_OK && reply->retry_after[0]) rc = response_header(res, "Retry-After", reply->retry_after);
    }
    f.status = res->status;
    log_event(f.event == event ? VC_LOG_INFO : VC_LOG_WARN, &f);
    return rc;
}
