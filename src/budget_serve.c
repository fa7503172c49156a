/* budget_serve.c - vc_budget_serve, the budget object's one export (see
 * exports.h and budget.h). */
#include <string.h>

#include "budget.h"
#include "exports.h"
#include "host.h"

int32_t vc_budget_serve(void) {
    budget_state state;
    budget_msg msg;
    budget_grant grant;
    if (host_store_get("message", &msg, sizeof msg) != (int)sizeof msg) return VC_E_INVALID;
    if (host_store_get("state", &state, sizeof state) != (int)sizeof state) memset(&state, 0, sizeof state);
    budget_apply(&state, &msg, host_clock_ms(), &grant);
    int rc = host_store_put("state", &state, sizeof state);
    if (rc == VC_OK) rc = host_store_put("answer", &grant, sizeof grant);
    return rc;
}
