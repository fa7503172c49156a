/* health.c - GET /api/video-call/health. */
#include <string.h>

#include "config.h"
#include "handlers.h"
#include "host.h"
#include "permit.h"

/* {"enabled": bool} and, when it is on and its setting reads, the rule. */
static cJSON *budget_report(void) {
    cJSON *budget = cJSON_CreateObject();
    char text[24];
    budget_rule rule;
    int on = permit_enabled();
    int ok = budget && cJSON_AddBoolToObject(budget, "enabled", on);
    if (ok && on) {
        int n = host_config_str(VC_CFG_BUDGET, text, sizeof text);
        if (n == VC_E_NOTFOUND) strcpy(text, BUDGET_DEFAULT);
        if ((n >= 0 || n == VC_E_NOTFOUND) && budget_rule_parse(text, &rule) == VC_OK)
            ok = cJSON_AddNumberToObject(budget, "calls", rule.calls) && cJSON_AddNumberToObject(budget, "seconds", rule.seconds);
    }
    if (!ok) {
        cJSON_Delete(budget);
        budget = NULL;
    }
    return budget;
}

int handle_health(const vc_request *req, vc_response *res) {
    (void)req;
    cJSON *body = cJSON_CreateObject();
    int ok = body && cJSON_AddStringToObject(body, "status", "ok") &&
             cJSON_AddBoolToObject(body, "configured", config_is_complete());
    cJSON *budget = ok ? budget_report() : NULL;
    if (!budget || !cJSON_AddItemToObject(body, "budget", budget)) {
        cJSON_Delete(budget);
        ok = 0;
    }
    if (!ok) {
        cJSON_Delete(body);
        body = NULL;
    }
    return response_json(res, 200, body);
}
