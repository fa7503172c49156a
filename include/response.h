/*
 * response.h - build the one JSON response a request gets, then send it.
 *
 * Ownership: a vc_response owns its body (a cJSON tree) from the moment it is
 * handed over (response_json takes it even when it fails) until
 * response_send() or response_reset(), which free it. Headers are copied into
 * the response's fixed buffer; nothing else is allocated.
 *
 * Every response carries Cache-Control: no-store, and every response with a
 * body (all but 204) Content-Type: application/json; response_header adds
 * more.
 */
#ifndef VC_RESPONSE_H
#define VC_RESPONSE_H

#include <stddef.h>

#include "cJSON.h"

#define VC_RESPONSE_HEADERS_MAX 1024

typedef struct vc_response {
    int status;     /* 0 until a handler sets one */
    cJSON *body;    /* owned; NULL sends no body */
    char headers[VC_RESPONSE_HEADERS_MAX]; /* extra "Name: value\n" lines */
    size_t headers_len;
    double upstream_ms; /* time spent on outbound calls, for Server-Timing */
} vc_response;

void response_init(vc_response *res);
/* Free the body and forget everything set so far. */
void response_reset(vc_response *res);
/* Append a header. VC_E_INVALID for CR, LF or ':' in the name, CR or LF in
 * the value; VC_E_TOOBIG when the buffer is full. */
int response_header(vc_response *res, const char *name, const char *value);
/* Set status and body (ownership of body passes to res; NULL is VC_E_NOMEM). */
int response_json(vc_response *res, int status, cJSON *body);
/* Set a status with no body (204). */
void response_empty(vc_response *res, int status);
/* Set status and the error body {"error": message, "code": code}. */
int response_error(vc_response *res, int status, const char *code, const char *message);
/* Serialize and hand to the host, then reset. A response without a body
 * (other than a 204) - an allocation failed on the way - is sent as a fixed
 * 500 INTERNAL_ERROR body that needs no allocation. */
int response_send(vc_response *res);
/* Send the fixed 500 INTERNAL_ERROR answer (allocates nothing). */
int response_send_fallback(void);

#endif
