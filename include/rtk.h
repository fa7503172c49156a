/*
 * rtk.h - calls to the RealtimeKit REST API, and what their replies mean.
 *
 * rtk_start sends one request (never retried: creating meetings and
 * participants is not idempotent) that the host answers within
 * cfg->timeout_ms with at most RTK_REPLY_MAX bytes; once the host has
 * settled it (see task.h), rtk_finish classifies the reply:
 *   RTK_OK         2xx, a strict JSON object (json_strict.h: UTF-8, no
 *                  \u0000, no repeated key), success:true and a `data`
 *                  object without a repeated key
 *   RTK_NOT_FOUND  404, or an error body whose error.code is 404 (only when
 *                  the call names a meeting: missing_is_not_found)
 *   RTK_FAILED     anything else: transport failure, other status, 3xx,
 *                  a body that is not the documented JSON, success:false
 * The values an answer takes from `data` are checked by reply_value.h.
 *
 * Ownership: on RTK_OK, reply->data is a cJSON object owned by the reply;
 * release every reply with rtk_reply_free (also after failures). The request
 * body is borrowed. The API token is copied into a stack buffer for the
 * Authorization header and wiped as soon as the host has taken the request.
 */
#ifndef VC_RTK_H
#define VC_RTK_H

#include <stdint.h>

#include "cJSON.h"
#include "config.h"

#define RTK_REPLY_MAX (64 * 1024)

enum { RTK_OK = 0, RTK_NOT_FOUND = 1, RTK_FAILED = 2 };

typedef struct rtk_reply {
    int outcome;            /* RTK_OK, RTK_NOT_FOUND, RTK_FAILED */
    int http_status;        /* RealtimeKit's status, 0 when none arrived */
    double upstream_ms;     /* time spent on the call, as the host measured it */
    const char *reason;     /* static text saying why it failed (for logs) */
    char retry_after[16];   /* RealtimeKit's Retry-After on 429, else "" */
    int has_ratelimit;      /* 1: the reply's Ratelimit header read as ... */
    uint32_t ratelimit_left;    /* ... calls left (its r) */
    uint32_t ratelimit_reset_s; /* ... and seconds to the window's reset (its t) */
    cJSON *data;            /* owned: the `data` object on RTK_OK */
    cJSON *root_;           /* owned: the parsed reply `data` lives in */
} rtk_reply;

/* path: what follows .../realtime/kit/{app_id}, e.g. "/meetings". body: the
 * JSON to send (body_len bytes), or NULL for none. Returns VC_PENDING with
 * *handle naming the call, VC_OK when the host refused to start it (`reply`
 * then says so), or VC_E_TOOBIG when no call could be made. */
int rtk_start(const vc_config *cfg, const char *method, const char *path, const char *body, size_t body_len,
              uint32_t *handle, rtk_reply *reply);

/* Take (http_reply.h) and classify the settled call, which releases its
 * handle. missing_is_not_found: the call names a meeting. */
void rtk_finish(uint32_t handle, int missing_is_not_found, rtk_reply *reply);

void rtk_reply_free(rtk_reply *reply);

#endif
