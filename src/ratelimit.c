/* ratelimit.c - guard_rate_limit (see guards.h). */
#include <string.h>

#include "guards.h"
#include "host.h"
#include "log.h"
#include "text.h"

#define DEFAULT_PERIOD "60"

static void retry_after(char *out, size_t cap) {
    if (host_config_str(VC_CFG_RATE_LIMIT_PERIOD, out, cap) <= 0 || !text_is_digits(out, 6)) strcpy(out, DEFAULT_PERIOD);
}

int guard_rate_limit(const vc_request *req, vc_problem *p) {
    char key[VC_PATH_MAX + VC_CLIENT_IP_MAX + 2];
    (void)TEXT_CONCAT(key, req->path, " ", req->client_ip[0] ? req->client_ip : "unknown");
    int rc = host_rate_limit(VC_RATE_LIMIT_BINDING, key);
    if (rc == 1) {
        problem_set(p, 429, "RATE_LIMITED", "Too many requests; try again later", (const char *)0);
        retry_after(p->retry_after, sizeof p->retry_after);
        vc_log_fields f = VC_LOG_FIELDS("rate_limited");
        f.status = 429;
        log_event(req, VC_LOG_INFO, &f);
        return VC_PROBLEM;
    }
    if (rc != 0 && rc != VC_E_NOTFOUND) { /* the limiter failed: serve rather than fail everyone */
        vc_log_fields f = VC_LOG_FIELDS("rate_limit_unavailable");
        log_event(req, VC_LOG_WARN, &f);
    }
    return VC_OK;
}
