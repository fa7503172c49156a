/* http_reply.c - see http_reply.h. */
#include "http_reply.h"

#include <string.h>

#include "host.h"
#include "text.h"
#include "vc_alloc.h"

/* One crossing when the block fits a first guess (RealtimeKit's replies are
 * small), a second into a buffer of its size when it does not. */
#define FIRST_GUESS 4096

/* Split the block into status, time, headers and body. */
static int split(http_reply *out, size_t len, int count) {
    char *line[2 + HTTP_REPLY_HEADERS_MAX];
    double status = 0;
    int at = text_lines(out->block_, len, line, 2 + count);
    if (at < 0 || !text_decimal(line[0], 15, &status) || !text_decimal(line[1], 15, &out->elapsed_ms)) return VC_E_HOST;
    if (status < (double)VC_E_PENDING || status > (double)INT32_MAX) return VC_E_HOST; /* any status the host had */
    for (int i = 0; i < count; i++) {
        if (line[2 + i][0] == '+') out->header[i] = line[2 + i] + 1;
        else if (line[2 + i][0] != '-') return VC_E_HOST;
    }
    out->body = out->block_ + at;
    out->body_len = len - (size_t)at;
    return (int)status;
}

/* Copy the block out of the host: its length once copied (the handle is
 * then released), or VC_E_*. */
static int copy_block(uint32_t handle, const char *names, http_reply *out) {
    size_t cap = FIRST_GUESS + 1;
    out->block_ = vc_malloc(cap);
    int n = out->block_ ? host_http_reply(handle, names, out->block_, cap) : VC_E_NOMEM;
    if (n >= 0 && (size_t)n >= cap) {
        vc_free(out->block_);
        cap = (size_t)n + 1;
        out->block_ = vc_malloc(cap);
        n = out->block_ ? host_http_reply(handle, names, out->block_, cap) : VC_E_NOMEM;
        if (n >= 0 && (size_t)n >= cap) n = VC_E_HOST; /* it grew: the host broke its word */
    }
    if (n < 0) (void)host_handle_close(handle); /* not taken: released here */
    return n;
}

int http_reply_take(uint32_t handle, const char *names, int count, http_reply *out) {
    memset(out, 0, sizeof *out);
    if (count < 0 || count > HTTP_REPLY_HEADERS_MAX) count = HTTP_REPLY_HEADERS_MAX;
    int n = copy_block(handle, count ? names : "", out);
    if (n >= 0) n = split(out, (size_t)n, count);
    if (n < 0 && n != VC_E_TIMEOUT && n != VC_E_TOOBIG && n != VC_E_NETWORK) n = VC_E_HOST;
    if (n < 0) {
        memset(out->header, 0, sizeof out->header);
        out->body_len = 0;
    }
    if (n < 0 || !out->body) out->body = "";
    out->status = n;
    return n;
}

void http_reply_free(http_reply *r) {
    vc_free(r->block_);
    r->block_ = NULL;
    r->body = "";
}
