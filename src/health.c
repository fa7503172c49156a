/* health.c - GET /api/video-call/health. */
#include <string.h>

#include "config.h"
#include "handlers.h"
#include "host.h"
#include "permit.h"

/* {"enabled": bool} and, when it is on and its setting reads, the rule. */
static int budget_report(char *buf, size_t cap) {
    char text[24];
    budget_rule rule;
    json_out o;
    int on = permit_enabled();
    json_out_begin(&o, buf, cap);
    json_out_bool(&o, "enabled", on);
    if (on) {
        int n = host_config_str(VC_CFG_BUDGET, text, sizeof text);
        if (n == VC_E_NOTFOUND) strcpy(text, BUDGET_DEFAULT);
        if ((n >= 0 || n == VC_E_NOTFOUND) && budget_rule_parse(text, &rule) == VC_OK) {
            json_out_int(&o, "calls", rule.calls);
            json_out_int(&o, "seconds", rule.seconds);
        }
    }
    return json_out_end(&o);
}

int handle_health(const vc_request *req, vc_response *res) {
    (void)req;
    char budget[96];
    int n = budget_report(budget, sizeof budget);
    if (n < 0) return n;
    json_out *o = response_json_begin(res, 200);
    json_out_str(o, "status", "ok");
    json_out_bool(o, "configured", config_is_complete());
    json_out_raw(o, "budget", budget, (size_t)n);
    return response_json_end(res);
}
