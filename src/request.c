/* request.c - see request.h. */
#include "request.h"

#include "host.h"

static void load(int (*get)(char *, size_t), char *buf, size_t cap) {
    int n = get(buf, cap - 1);
    buf[(n >= 0 && (size_t)n < cap) ? (size_t)n : 0] = '\0';
}

void request_load(vc_request *req) {
    load(host_request_method, req->method, sizeof req->method);
    load(host_request_path, req->path, sizeof req->path);
}
