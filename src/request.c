/* request.c - see request.h. */
#include "request.h"

#include <string.h>

#include "cors.h"
#include "host.h"
#include "validate.h"

static void load(int (*get)(char *, size_t), char *buf, size_t cap) {
    int n = get(buf, cap - 1);
    buf[(n >= 0 && (size_t)n < cap) ? (size_t)n : 0] = '\0';
}

static int copy_span(char *dst, size_t cap, const char *from, size_t len) {
    if (len >= cap) return VC_E_TOOBIG;
    memcpy(dst, from, len);
    dst[len] = '\0';
    return VC_OK;
}

/* Split an absolute URL into its origin ("scheme://authority") and path (no
 * query or fragment). Returns VC_OK, or VC_E_INVALID / VC_E_TOOBIG. */
static int url_split(const char *url, char *origin, size_t origin_cap, char *path, size_t path_cap) {
    const char *scheme_end = strstr(url, "://");
    if (!scheme_end || scheme_end == url) return VC_E_INVALID;
    const char *authority = scheme_end + 3;
    size_t authority_len = strcspn(authority, "/?#");
    if (authority_len == 0) return VC_E_INVALID;
    const char *p = authority + authority_len;
    size_t path_len = strcspn(p, "?#");
    int rc = copy_span(origin, origin_cap, url, (size_t)(p - url));
    if (rc == VC_OK) rc = path_len ? copy_span(path, path_cap, p, path_len) : copy_span(path, path_cap, "/", 1);
    return rc;
}

/* CF-Ray when it looks like one (letters, digits, '-'), else a fresh UUID. */
static void load_id(char *id, size_t cap) {
    int n = host_request_header_str("CF-Ray", id, cap);
    int ok = n > 0;
    for (int i = 0; ok && i < n; i++)
        ok = (id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') || id[i] == '-';
    if (!ok && (cap <= VC_UUID_LEN || uuid_v4(id) != VC_OK)) strcpy(id, "unknown");
}

void request_load(vc_request *req) {
    char url[2048];
    load(host_request_method, req->method, sizeof req->method);
    load(host_request_url, url, sizeof url);
    if (url_split(url, req->self, sizeof req->self, req->path, sizeof req->path) != VC_OK) {
        req->self[0] = '\0';
        req->path[0] = '\0';
    }
    load_id(req->id, sizeof req->id);
    if (host_request_header_str("Origin", req->origin, sizeof req->origin) == VC_E_TOOBIG)
        strcpy(req->origin, "\x01"); /* too long to be anyone's origin: denied */
    (void)host_request_header_str("CF-Connecting-IP", req->client_ip, sizeof req->client_ip);
    req->origin_state = cors_origin_state(req);
}
