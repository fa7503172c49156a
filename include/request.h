/*
 * request.h - what the C core knows about the incoming request.
 *
 * Ownership: a vc_request is plain fixed-size storage, filled by
 * request_load() and owned by the caller (it lives in the request's task, task.h);
 * handlers read it. Headers other than these and the body are read from the
 * host when a handler needs them.
 */
#ifndef VC_REQUEST_H
#define VC_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#define VC_METHOD_MAX 16
#define VC_PATH_MAX 256
#define VC_ORIGIN_MAX 256
#define VC_REQUEST_ID_MAX 64
#define VC_CLIENT_IP_MAX 64

/* Whether the request may be answered to its Origin (see cors.h). */
enum { VC_ORIGIN_NONE = 0, VC_ORIGIN_SAME, VC_ORIGIN_ALLOWED, VC_ORIGIN_DENIED };

typedef struct vc_request {
    char method[VC_METHOD_MAX]; /* "" when absent or longer than the buffer */
    char path[VC_PATH_MAX];     /* the URL's path, "" when longer than the buffer */
    char self[VC_ORIGIN_MAX];   /* this Worker's own origin, "scheme://host" */
    char origin[VC_ORIGIN_MAX]; /* the Origin header, "" when absent */
    int origin_state;           /* VC_ORIGIN_* */
    char id[VC_REQUEST_ID_MAX + 1]; /* CF-Ray, or a generated id */
    char client_ip[VC_CLIENT_IP_MAX + 1]; /* CF-Connecting-IP, "" when absent */
    char content_length[32]; /* the Content-Length header, "" when absent; "x" when over 31 bytes */
    int32_t epoch;           /* which environment the request runs with (host.h: request_head), -1 unknown */
} vc_request;

/* Fill req from the host. Over-long values become "" (they match no route). */
void request_load(vc_request *req);

#endif
