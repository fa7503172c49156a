/* entry.c - the module's exports (see exports.h). */
#include "cors.h"
#include "exports.h"
#include "handlers.h"
#include "host.h"
#include "text.h"
#include "vc_alloc.h"

/* X-Request-Id, Server-Timing (upstream time) and the CORS headers, on
 * every response. */
static int decorate(const vc_request *req, vc_response *res) {
    char timing[48], ms[24];
    double upstream = res->upstream_ms > 0 ? res->upstream_ms : 0;
    (void)TEXT_CONCAT(timing, "upstream;dur=", text_uint(ms, (unsigned long long)(upstream + 0.5)));
    int rc = response_header(res, "X-Request-Id", req->id);
    if (rc == VC_OK) rc = response_header(res, "Server-Timing", timing);
    if (rc == VC_OK) rc = cors_decorate(req, res);
    return rc;
}

int32_t vc_handle(void) {
    vc_request req;
    vc_response res;
    vc_alloc_init();
    request_load(&req);
    response_init(&res);
    int rc = route(&req, &res);
    if (rc != VC_OK) {
        double upstream = res.upstream_ms;
        response_reset(&res);
        res.upstream_ms = upstream;
        (void)response_error(&res, 500, "INTERNAL_ERROR", "Internal error");
    }
    (void)decorate(&req, &res);
    return response_send(&res);
}

int32_t vc_alloc_live_export(void) { return (int32_t)vc_alloc_live(); }
