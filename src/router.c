/* router.c - the route table (see handlers.h). */
#include <string.h>

#include "handlers.h"
#include "host.h"

typedef struct route_entry {
    const char *path;
    const char *method;
    vc_handler handler;
} route_entry;

static const route_entry routes[] = {
    {"/api/video-call/health", "GET", handle_health},
    {"/api/video-call/session", "POST", handle_session},
    {"/api/video-call/token", "POST", handle_token},
#ifdef VC_TEST_HOOKS
    {"/__test/trap", "POST", handle_test_trap},
    {"/__test/trap-after-read", "POST", handle_test_trap_after_read},
#endif
};

#define ROUTE_COUNT (sizeof routes / sizeof routes[0])

int route(const vc_request *req, vc_response *res) {
    char allow[64] = "";
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (strcmp(routes[i].path, req->path) != 0) continue;
        if (strcmp(routes[i].method, req->method) == 0) return routes[i].handler(req, res);
        if (strlen(allow) + strlen(routes[i].method) + 3 < sizeof allow) {
            if (allow[0]) strcat(allow, ", ");
            strcat(allow, routes[i].method);
        }
    }
    if (!allow[0]) return response_error(res, 404, "NOT_FOUND", "Not found");
    int rc = response_header(res, "Allow", allow);
    if (rc != VC_OK) return rc;
    return response_error(res, 405, "METHOD_NOT_ALLOWED", "Method not allowed");
}
