/* log.c - see log.h. */
#include "log.h"

#include <string.h>

#include "cJSON.h"
#include "host.h"

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_event(const vc_request *req, int level, const vc_log_fields *f) {
    cJSON *line = cJSON_CreateObject();
    int ok = line && cJSON_AddStringToObject(line, "level", level_names[level & 3]) &&
             cJSON_AddStringToObject(line, "event", f->event) &&
             cJSON_AddStringToObject(line, "request_id", req->id) &&
             cJSON_AddStringToObject(line, "route", req->path);
    if (ok && f->status) ok = cJSON_AddNumberToObject(line, "status", f->status) != NULL;
    if (ok && f->upstream_status) ok = cJSON_AddNumberToObject(line, "upstream_status", f->upstream_status) != NULL;
    if (ok && f->upstream_ms >= 0) ok = cJSON_AddNumberToObject(line, "upstream_ms", (double)(long long)(f->upstream_ms + 0.5)) != NULL;
    if (ok && f->reason) ok = cJSON_AddStringToObject(line, "reason", f->reason) != NULL;
    if (ok && f->setting) ok = cJSON_AddStringToObject(line, "setting", f->setting) != NULL;
    char *text = ok ? cJSON_PrintUnformatted(line) : NULL;
    if (text) {
        host_log(level, text, strlen(text));
    } else { /* out of memory: still say something */
        static const char fallback[] = "{\"level\":\"error\",\"event\":\"log_failed\"}";
        host_log(3, fallback, sizeof fallback - 1);
    }
    cJSON_free(text);
    cJSON_Delete(line);
}
