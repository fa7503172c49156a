/* request.c - see request.h. */
#include "request.h"

#include <string.h>

#include "cors.h"
#include "host.h"
#include "text.h"
#include "validate.h"

static int copy_span(char *dst, size_t cap, const char *from, size_t len) {
    if (len >= cap) return VC_E_TOOBIG;
    memcpy(dst, from, len);
    dst[len] = '\0';
    return VC_OK;
}

/* How many bytes of s come before a '?', a '#' (and with slash, a '/') or
 * its end. (A loop: libc's strcspn builds a table on every call.) */
static size_t span_to(const char *s, int slash) {
    size_t n = 0;
    while (s[n] && s[n] != '?' && s[n] != '#' && !(slash && s[n] == '/')) n++;
    return n;
}

/* Split an absolute URL into its origin ("scheme://authority") and path (no
 * query or fragment). Returns VC_OK, or VC_E_INVALID / VC_E_TOOBIG. */
static int url_split(const char *url, char *origin, size_t origin_cap, char *path, size_t path_cap) {
    const char *scheme_end = strstr(url, "://");
    if (!scheme_end || scheme_end == url) return VC_E_INVALID;
    const char *authority = scheme_end + 3;
    size_t authority_len = span_to(authority, 1);
    if (authority_len == 0) return VC_E_INVALID;
    const char *p = authority + authority_len;
    size_t path_len = span_to(p, 0);
    int rc = copy_span(origin, origin_cap, url, (size_t)(p - url));
    if (rc == VC_OK) rc = path_len ? copy_span(path, path_cap, p, path_len) : copy_span(path, path_cap, "/", 1);
    return rc;
}

/* The headers request_load reads, in the order the head lists them. */
#define HEAD_NAMES "CF-Ray\nOrigin\nCF-Connecting-IP\nContent-Length"
enum { HEAD_EPOCH, HEAD_METHOD, HEAD_URL, HEAD_RAY, HEAD_ORIGIN, HEAD_IP, HEAD_LENGTH, HEAD_LINES };

/* A header's value into buf: its length; VC_E_NOTFOUND; VC_E_TOOBIG (buf ""). */
static int header_value(const char *line, char *buf, size_t cap) {
    buf[0] = '\0';
    if (line[0] != '+') return VC_E_NOTFOUND;
    return copy_span(buf, cap, line + 1, strlen(line + 1)) == VC_OK ? (int)strlen(buf) : VC_E_TOOBIG;
}

/* CF-Ray when it looks like one (letters, digits, '-'), else a fresh UUID. */
static void load_id(const char *line, char *id, size_t cap) {
    int n = header_value(line, id, cap);
    int ok = n > 0;
    for (int i = 0; ok && i < n; i++)
        ok = (id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') || id[i] == '-';
    if (!ok && (cap <= VC_UUID_LEN || uuid_v4(id) != VC_OK)) strcpy(id, "unknown");
}

/* The head's environment number: 0 to INT32_MAX, else -1 (the host cannot tell). */
static int32_t read_epoch(const char *line) {
    double v = -1;
    return text_decimal(line, 10, &v) && v >= 0 && v <= INT32_MAX ? (int32_t)v : -1;
}

void request_load(vc_request *req) {
    char head[4096], *line[HEAD_LINES];
    int n = host_request_head(HEAD_NAMES, head, sizeof head);
    if (n < 0 || text_lines(head, (size_t)n, line, HEAD_LINES) < 0) {
        head[0] = '\0'; /* too long to be served: no method, no path, so 404 */
        for (int i = 0; i < HEAD_LINES; i++) line[i] = head;
    }
    if (copy_span(req->method, sizeof req->method, line[HEAD_METHOD], strlen(line[HEAD_METHOD])) != VC_OK)
        req->method[0] = '\0';
    if (url_split(line[HEAD_URL], req->self, sizeof req->self, req->path, sizeof req->path) != VC_OK) {
        req->self[0] = '\0';
        req->path[0] = '\0';
    }
    load_id(line[HEAD_RAY], req->id, sizeof req->id);
    if (header_value(line[HEAD_ORIGIN], req->origin, sizeof req->origin) == VC_E_TOOBIG)
        strcpy(req->origin, "\x01"); /* too long to be anyone's origin: denied */
    (void)header_value(line[HEAD_IP], req->client_ip, sizeof req->client_ip);
    if (header_value(line[HEAD_LENGTH], req->content_length, sizeof req->content_length) == VC_E_TOOBIG)
        strcpy(req->content_length, "x"); /* no number: more bytes than any body we take */
    req->origin_state = cors_origin_state(req);
    req->epoch = read_epoch(line[HEAD_EPOCH]);
}
