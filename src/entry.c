/* entry.c - the module's exports (see exports.h). */
#include "exports.h"
#include "handlers.h"
#include "host.h"
#include "vc_alloc.h"

int32_t vc_handle(void) {
    vc_request req;
    vc_response res;
    vc_alloc_init();
    request_load(&req);
    response_init(&res);
    int rc = route(&req, &res);
    if (rc != VC_OK) {
        response_reset(&res);
        (void)response_error(&res, 500, "INTERNAL_ERROR", "Internal error");
    }
    return response_send(&res);
}

int32_t vc_alloc_live_export(void) { return (int32_t)vc_alloc_live(); }
