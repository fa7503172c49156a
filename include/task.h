/*
 * task.h - one request in flight: what the C core keeps between the calls
 * that serve it.
 *
 * The C core never blocks and never suspends. Serving a request is a series
 * of steps. A step runs until the request is answered, or until it has to
 * wait for the host (the request body, a fetch, a rate-limit check): then it
 * starts those operations (host_*_start, see host.h), records in the task
 * where it is, and returns VC_PENDING. The host settles the operations and
 * calls vc_resume(task); the next step reads the results through the handles
 * the starts returned. Between steps no C stack is live, so nothing the C
 * code needs is on it.
 *
 * Ownership: vc_start allocates the task (vc_malloc) and the step that
 * answers frees it; in between the host holds it as an opaque handle and
 * gives it back. Each host handle a step opens is released by the step
 * that reads it (taking a result whole releases it; host.h). A task whose request is abandoned mid-way (the client went away)
 * is never resumed; the shim then drops the whole instance, heap and all.
 */
#ifndef VC_TASK_H
#define VC_TASK_H

#include <stdint.h>

#include "api.h"
#include "problem.h" /* VC_PENDING */
#include "request.h"
#include "response.h"

typedef struct vc_task {
    uint32_t magic;      /* VC_TASK_MAGIC while the task is live */
    vc_request req;
    vc_response res;
    int route;           /* index in the route table, -1 before routing */
    int stage;           /* the router's stage (router.c) */
    uint32_t wait;       /* the host operation being waited on */
    api_call call;       /* the RealtimeKit-backed routes' own state */
} vc_task;

#define VC_TASK_MAGIC 0x7663746bu /* "vctk" */

#endif
