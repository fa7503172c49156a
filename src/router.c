/* router.c - the route table and route_step (see handlers.h). */
#include <string.h>

#include "api.h"
#include "cors.h"
#include "guards.h"
#include "handlers.h"
#include "host.h"

typedef struct route_entry {
    const char *path;
    const char *method;
    vc_handler handler;    /* answers in one step, or */
    const api_spec *api;   /* a RealtimeKit-backed route, stepped by api_step */
    int guarded;           /* a public API call: origin check and rate limiting first */
} route_entry;

#define API_ROUTE(path, spec) {path, "POST", NULL, spec, 1}, {path, "OPTIONS", handle_preflight, NULL, 0}

static const route_entry routes[] = {
    {"/api/video-call/health", "GET", handle_health, NULL, 0},
    API_ROUTE("/api/video-call/session", &session_spec),
    API_ROUTE("/api/video-call/token", &token_spec),
    API_ROUTE("/api/video-call/token/refresh", &refresh_spec),
#ifdef VC_TEST_HOOKS
    {"/__test/trap", "POST", handle_test_trap, NULL, 0},
    {"/__test/trap-after-read", "POST", NULL, &test_trap_after_read_spec, 0},
#endif
};

#define ROUTE_COUNT ((int)(sizeof routes / sizeof routes[0]))

/* The router's stages. */
enum { ROUTE_FIND = 0, ROUTE_RATE_LIMITED, ROUTE_HANDLER };

/* The route for the request, or -1 after answering 404 / 405 (rc). */
static int find(vc_task *t, int *rc) {
    char allow[64] = "";
    for (int i = 0; i < ROUTE_COUNT; i++) {
        if (strcmp(routes[i].path, t->req.path) != 0) continue;
        if (strcmp(routes[i].method, t->req.method) == 0) return i;
        if (strlen(allow) + strlen(routes[i].method) + 3 < sizeof allow) {
            if (allow[0]) strcat(allow, ", ");
            strcat(allow, routes[i].method);
        }
    }
    if (!allow[0]) {
        *rc = response_error(&t->res, 404, "NOT_FOUND", "Not found");
    } else {
        *rc = response_header(&t->res, "Allow", allow);
        if (*rc == VC_OK) *rc = response_error(&t->res, 405, "METHOD_NOT_ALLOWED", "Method not allowed");
    }
    return -1;
}

int route_step(vc_task *t) {
    vc_problem p;
    int rc = VC_OK;
    switch (t->stage) {
    case ROUTE_FIND:
        t->route = find(t, &rc);
        if (t->route < 0) return rc;
        t->stage = ROUTE_HANDLER;
        if (routes[t->route].guarded) {
            if (t->req.origin_state == VC_ORIGIN_DENIED) return cors_forbid(&t->res);
            rc = rate_limit_start(&t->req, &t->wait);
            if (rc == VC_PENDING) t->stage = ROUTE_RATE_LIMITED;
            if (rc != VC_OK) return rc;
        }
        break;
    case ROUTE_RATE_LIMITED:
        t->stage = ROUTE_HANDLER;
        if (rate_limit_finish(&t->req, t->wait, &p) == VC_PROBLEM) return api_respond_problem(&t->res, &p);
        break;
    default:
        break;
    }
    const route_entry *r = &routes[t->route];
    return r->api ? api_step(t, r->api) : r->handler(&t->req, &t->res);
}
