/* ratelimit.c - guard_rate_limit (see guards.h). */
#include <string.h>

#include "guards.h"
#include "host.h"
#include "log.h"
#include "text.h"

#define DEFAULT_PERIOD "60"

static void retry_after(char *out, size_t cap) {
    int n = host_config_get(VC_CFG_RATE_LIMIT_PERIOD, out, cap - 1);
    int ok = n > 0 && n <= 6 && (size_t)n < cap;
    for (int i = 0; ok && i < n; i++) ok = out[i] >= '0' && out[i] <= '9';
    if (ok)
        out[n] = '\0';
    else
        strcpy(out, DEFAULT_PERIOD);
}

int guard_rate_limit(const vc_request *req, vc_problem *p) {
    char ip[64], key[VC_PATH_MAX + sizeof ip + 1];
    int n = host_request_header("CF-Connecting-IP", ip, sizeof ip - 1);
    if (n <= 0 || (size_t)n >= sizeof ip) strcpy(ip, "unknown");
    else ip[n] = '\0';
    (void)TEXT_CONCAT(key, req->path, " ", ip);
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
