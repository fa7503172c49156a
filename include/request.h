/*
 * request.h - what the C core knows about the incoming request.
 *
 * Ownership: a vc_request is plain fixed-size storage, filled by
 * request_load() and owned by the caller (it lives on vc_handle's stack);
 * handlers read it. Headers other than these and the body are read from the
 * host when a handler needs them.
 */
#ifndef VC_REQUEST_H
#define VC_REQUEST_H

#include <stddef.h>

#define VC_METHOD_MAX 16
#define VC_PATH_MAX 256
#define VC_ORIGIN_MAX 256
#define VC_REQUEST_ID_MAX 64

/* Whether the request may be answered to its Origin (see cors.h). */
enum { VC_ORIGIN_NONE = 0, VC_ORIGIN_SAME, VC_ORIGIN_ALLOWED, VC_ORIGIN_DENIED };

typedef struct vc_request {
    char method[VC_METHOD_MAX]; /* "" when absent or longer than the buffer */
    char path[VC_PATH_MAX];     /* the URL's path, "" when longer than the buffer */
    char self[VC_ORIGIN_MAX];   /* this Worker's own origin, "scheme://host" */
    char origin[VC_ORIGIN_MAX]; /* the Origin header, "" when absent */
    int origin_state;           /* VC_ORIGIN_* */
    char id[VC_REQUEST_ID_MAX + 1]; /* CF-Ray, or a generated id */
} vc_request;

/* Fill req from the host. Over-long values become "" (they match no route). */
void request_load(vc_request *req);

/* Split an absolute URL into its origin ("scheme://authority") and path (no
 * query or fragment). Returns VC_OK, or VC_E_INVALID / VC_E_TOOBIG. */
int url_split(const char *url, char *origin, size_t origin_cap, char *path, size_t path_cap);

#endif
