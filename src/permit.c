/* permit.c - see permit.h. */
#include "permit.h"

#include <string.h>

#include "budget.h"
#include "host.h"
#include "log.h"
#include "text.h"

#define KEY_PREFIX "lease:"

static const char *object_name(const vc_permit *pm) { return pm->key + sizeof KEY_PREFIX - 1; }

/* The isolate's lease (zeroes when there is none: budget.c starts afresh). */
static void lease_load(const vc_permit *pm, budget_lease *l) {
    if (host_store_get(pm->key, l, sizeof *l) != (int)sizeof *l) memset(l, 0, sizeof *l);
}

static void lease_save(const vc_permit *pm, const budget_lease *l) { (void)host_store_put(pm->key, l, sizeof *l); }

static int exhausted(const vc_request *req, uint32_t retry_s, vc_problem *p) {
    char digits[24];
    problem_set(p, 429, "RATE_LIMITED", "The service has used its RealtimeKit call budget; try again later",
                (const char *)0);
    (void)TEXT_CONCAT(p->retry_after, text_uint(digits, retry_s));
    vc_log_fields f = VC_LOG_FIELDS("budget_exhausted");
    f.status = 429;
    log_event(req, VC_LOG_WARN, &f);
    return VC_PROBLEM;
}

/* The object failed: serve rather than fail everyone (as the rate limiter). */
static int unavailable(const vc_request *req) {
    vc_log_fields f = VC_LOG_FIELDS("budget_unavailable");
    log_event(req, VC_LOG_WARN, &f);
    return VC_OK;
}

int permit_start(const vc_request *req, const vc_config *cfg, vc_permit *pm, uint32_t *handle, vc_problem *p) {
    budget_lease l;
    budget_msg m;
    uint32_t retry = 0;
    pm->on = 0;
    if (!cfg->budget_on) return VC_OK; /* no binding: no budget */
    if (TEXT_CONCAT(pm->key, KEY_PREFIX, cfg->api_base, "/accounts/", cfg->account_id, "/realtime/kit/",
                    cfg->app_id) < 0)
        return VC_E_TOOBIG;
    lease_load(pm, &l);
    double now = host_clock_ms();
    switch (budget_lease_take(&l, &cfg->budget, now, &retry)) {
    case BUDGET_TAKEN:
        lease_save(pm, &l);
        pm->on = 1;
        return VC_OK;
    case BUDGET_WAIT:
        return exhausted(req, retry, p);
    default:
        break;
    }
    budget_lease_request(&l, &cfg->budget, now, &m);
    int rc = host_budget_start(VC_BUDGET_BINDING, object_name(pm), &m, sizeof m, handle);
    if (rc == VC_E_NOTFOUND) return VC_OK; /* the binding went away */
    lease_save(pm, &l);                    /* what the message carries is no longer the lease's */
    if (rc != VC_OK) return unavailable(req);
    pm->on = 1;
    pm->asked_at = now;
    return VC_PENDING;
}

int permit_finish(const vc_request *req, const vc_config *cfg, vc_permit *pm, uint32_t handle, vc_problem *p) {
    budget_grant g;
    budget_lease l;
    uint32_t retry = 0;
    int n = host_budget_answer(handle, &g, sizeof g); /* releases the handle unless it did not fit */
    if (n > (int)sizeof g) (void)host_handle_close(handle);
    if (n != (int)sizeof g) return unavailable(req);
    lease_load(pm, &l);
    int got = budget_lease_grant(&l, &cfg->budget, pm->asked_at, host_clock_ms(), &g, &retry);
    lease_save(pm, &l);
    if (got == BUDGET_WAIT) return exhausted(req, retry, p);
    return got == BUDGET_TAKEN ? VC_OK : unavailable(req);
}

int permit_learn(const vc_config *cfg, vc_permit *pm, const rtk_reply *reply, uint32_t *handle) {
    budget_lease l;
    budget_msg m;
    if (!pm->on || (!reply->has_ratelimit && reply->http_status != 429)) return VC_OK;
    lease_load(pm, &l);
    double now = host_clock_ms();
    if (reply->has_ratelimit) budget_lease_observe(&l, reply->ratelimit_left, reply->ratelimit_reset_s, now);
    if (reply->http_status != 429) {
        lease_save(pm, &l);
        return VC_OK;
    }
    uint32_t retry = 0;
    for (const char *d = reply->retry_after; *d; d++) retry = retry * 10 + (uint32_t)(*d - '0');
    budget_lease_close(&l, &cfg->budget, now, retry, &m);
    lease_save(pm, &l);
    return host_budget_start(VC_BUDGET_BINDING, object_name(pm), &m, sizeof m, handle) == VC_OK ? VC_PENDING : VC_OK;
}

void permit_learned(uint32_t handle) { (void)host_handle_close(handle); }

int permit_enabled(void) { return host_budget_start(VC_BUDGET_BINDING, "", NULL, 0, NULL) == VC_OK; }
