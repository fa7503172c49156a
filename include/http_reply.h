/*
 * http_reply.h - an outbound call's settled reply, taken from the host in
 * one crossing (host.h: http_reply) and split into its parts.
 *
 * Ownership: http_reply_take allocates the reply's block (vc_malloc); the
 * header values and the body point into it. Release every reply with
 * http_reply_free, also after a failure. The handle is the host's until the
 * take, which releases it whatever happens.
 */
#ifndef VC_HTTP_REPLY_H
#define VC_HTTP_REPLY_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_REPLY_HEADERS_MAX 2

typedef struct http_reply {
    int status;         /* the HTTP status, or VC_E_TIMEOUT / VC_E_TOOBIG / VC_E_NETWORK /
                           VC_E_HOST (no reply, or it could not be taken) */
    double elapsed_ms;  /* from the start to the reply's last byte, on the host's clock */
    const char *header[HTTP_REPLY_HEADERS_MAX]; /* the headers asked for, in order; NULL when absent */
    const char *body;   /* NUL-terminated ("" when none); body_len bytes */
    size_t body_len;
    char *block_;       /* owned */
} http_reply;

/* Take the settled reply of `handle`, with the values of the `count` headers
 * named in `names` ("\n"-separated). Returns out->status. */
int http_reply_take(uint32_t handle, const char *names, int count, http_reply *out);

void http_reply_free(http_reply *r);

#endif
