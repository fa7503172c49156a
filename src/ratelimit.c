/* ratelimit.c - rate_limit_start / rate_limit_finish (see guards.h). */
#include <string.h>

#include "guards.h"
#include "host.h"
#include "log.h"
#include "text.h"

#define DEFAULT_PERIOD "60"

static void retry_after(char *out, size_t cap) {
    if (host_config_str(VC_CFG_RATE_LIMIT_PERIOD, out, cap) <= 0 || !text_is_digits(out, 6)) strcpy(out, DEFAULT_PERIOD);
}

/* The limiter failed: serve rather than fail everyone. */
static int unavailable(const vc_request *req) {
    vc_log_fields f = VC_LOG_FIELDS("rate_limit_unavailable");
    log_event(req, VC_LOG_WARN, &f);
    return VC_OK;
}

/* The environment (vc_request.epoch) last found without the binding: its
 * requests do not ask again, since an environment's bindings do not change. */
static int32_t unbound_epoch = -1;

int rate_limit_start(const vc_request *req, const char *route, uint32_t *handle) {
    char key[VC_PATH_MAX + VC_CLIENT_IP_MAX + 2];
    *handle = 0;
    if (req->epoch >= 0 && req->epoch == unbound_epoch) return VC_OK;
    (void)TEXT_CONCAT(key, route, " ", req->client_ip[0] ? req->client_ip : "unknown");
    int rc = host_rate_limit_start(VC_RATE_LIMIT_BINDING, key, handle);
    if (rc == VC_OK) return VC_PENDING;
    if (rc == VC_E_NOTFOUND) unbound_epoch = req->epoch;
    return rc == VC_E_NOTFOUND ? VC_OK : unavailable(req);
}

int rate_limit_finish(const vc_request *req, uint32_t handle, vc_problem *p) {
    int rc = host_rate_limit_result(handle); /* releases the handle */
    if (rc == 1) {
        problem_set(p, 429, "RATE_LIMITED", "Too many requests; try again later", (const char *)0);
        retry_after(p->retry_after, sizeof p->retry_after);
        vc_log_fields f = VC_LOG_FIELDS("rate_limited");
        f.status = 429;
        log_event(req, VC_LOG_INFO, &f);
        return VC_PROBLEM;
    }
    return rc == 0 ? VC_OK : unavailable(req);
}
