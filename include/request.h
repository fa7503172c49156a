/*
 * request.h - the parts of the incoming request that routing needs.
 *
 * Ownership: a vc_request is plain fixed-size storage, filled by
 * request_load() and owned by the caller (it lives on the handler's stack).
 * Headers and the body are read from the host when a handler needs them.
 */
#ifndef VC_REQUEST_H
#define VC_REQUEST_H

#define VC_METHOD_MAX 16
#define VC_PATH_MAX 256

typedef struct vc_request {
    char method[VC_METHOD_MAX]; /* "" when absent or longer than the buffer */
    char path[VC_PATH_MAX];     /* "" when absent or longer than the buffer */
} vc_request;

/* Fill req from the host. Over-long values become "" (they match no route). */
void request_load(vc_request *req);

#endif
