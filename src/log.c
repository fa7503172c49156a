/* log.c - see log.h. */
#include "log.h"

#include <string.h>

#include "host.h"
#include "json_out.h"

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_event(const vc_request *req, int level, const vc_log_fields *f) {
    char line[2048];
    json_out o;
    json_out_begin(&o, line, sizeof line);
    json_out_str(&o, "level", level_names[level & 3]);
    json_out_str(&o, "event", f->event);
    json_out_str(&o, "request_id", req->id);
    json_out_str(&o, "route", req->path);
    if (f->status) json_out_int(&o, "status", f->status);
    if (f->upstream_status) json_out_int(&o, "upstream_status", f->upstream_status);
    if (f->upstream_ms >= 0) json_out_int(&o, "upstream_ms", (long long)(f->upstream_ms + 0.5));
    if (f->reason) json_out_str(&o, "reason", f->reason);
    if (f->setting) json_out_str(&o, "setting", f->setting);
    int n = json_out_end(&o);
    if (n > 0) {
        host_log(level, line, (size_t)n);
    } else { /* cannot happen with these fields' sizes; still say something */
        static const char fallback[] = "{\"level\":\"error\",\"event\":\"log_failed\"}";
        host_log(3, fallback, sizeof fallback - 1);
    }
}
