/* entry.c - the module's exports (see exports.h). */
#include <stdint.h>

#include "cors.h"
#include "exports.h"
#include "handlers.h"
#include "host.h"
#include "task.h"
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

/* Run the task's next step; answer and free it unless it waits again. */
static vc_task_handle step(vc_task *t) {
    int rc = route_step(t);
    if (rc == VC_PENDING) return (vc_task_handle)t;
    if (rc != VC_OK) {
        double upstream = t->res.upstream_ms;
        response_reset(&t->res);
        t->res.upstream_ms = upstream;
        (void)response_error(&t->res, 500, "INTERNAL_ERROR", "Internal error");
    }
    (void)decorate(&t->req, &t->res);
    (void)response_send(&t->res);
    t->magic = 0;
    vc_free(t);
    return 0;
}

vc_task_handle vc_start(void) {
    vc_alloc_init();
    vc_task *t = vc_malloc(sizeof *t);
    if (!t) { /* no memory for the task: a fixed answer needs none */
        (void)response_send_fallback();
        return 0;
    }
    t->magic = VC_TASK_MAGIC;
    t->route = -1;
    t->stage = 0;
    t->wait = 0;
    t->call.stage = 0; /* api_step's first stage */
    request_load(&t->req);
    response_init(&t->res);
    return step(t);
}

vc_task_handle vc_resume(vc_task_handle task) {
    vc_task *t = (vc_task *)task;
    if (!t || t->magic != VC_TASK_MAGIC) { /* not a live task: the host broke the protocol */
        (void)response_send_fallback();
        return 0;
    }
    return step(t);
}

int32_t vc_alloc_live_export(void) { return (int32_t)vc_alloc_live(); }
