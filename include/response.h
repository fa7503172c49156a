/*
 * response.h - build the one JSON response a request gets, then send it.
 *
 * Ownership: a vc_response is fixed-size storage (in the task); its body is
 * written into it by json_out (json_out.h) and its headers copied into it.
 * Nothing is allocated.
 *
 * Every response carries Cache-Control: no-store, and every response with a
 * body (all but 204) Content-Type: application/json; response_header adds
 * more, each name once. They reach the host as one JSON object of strings
 * (host.h), which the shim hands to the runtime as it is.
 */
#ifndef VC_RESPONSE_H
#define VC_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "json_out.h"

#define VC_RESPONSE_HEADERS_MAX 1024 /* bytes of extra headers' names and values */
#define VC_RESPONSE_HEADER_COUNT 16 /* extra headers */
/* The largest body: an answer with a token of 8192 bytes, every byte escaped. */
#define VC_RESPONSE_BODY_MAX (2 * 8192 + 512)

typedef struct vc_response {
    int status;     /* 0 until a handler sets one */
    int has_body;   /* 0 sends no body */
    size_t body_len;
    char body[VC_RESPONSE_BODY_MAX];
    char headers[VC_RESPONSE_HEADERS_MAX]; /* extra headers: name, then value, each */
    size_t headers_len;
    struct {
        uint16_t at, name_len, value_len; /* the name at headers + at, its value right after it */
    } header[VC_RESPONSE_HEADER_COUNT];
    int header_count;
    double upstream_ms; /* time spent on outbound calls, for Server-Timing */
    json_out out;       /* the body's writer, between begin and end */
} vc_response;

void response_init(vc_response *res);
/* Forget everything set so far. */
void response_reset(vc_response *res);
/* Append a header. VC_E_INVALID for a name that is not an HTTP field name
 * (tchar only, RFC 9110, so it never needs escaping in JSON), CR or LF in
 * the value, or a name the response already has (in any case; Content-Type
 * and Cache-Control are always had); VC_E_TOOBIG when the buffer is full.
 * response_header_n takes the lengths; response_header counts them (inline:
 * a literal's when the code is compiled). */
int response_header_n(vc_response *res, const char *name, size_t name_len, const char *value, size_t value_len);
static inline int response_header(vc_response *res, const char *name, const char *value) {
    return response_header_n(res, name, __builtin_strlen(name), value, __builtin_strlen(value));
}
/* Set the status and start the body: the caller adds members to the writer
 * returned, then calls response_json_end (VC_OK, or VC_E_TOOBIG and no body). */
json_out *response_json_begin(vc_response *res, int status);
int response_json_end(vc_response *res);
/* Set a status with no body (204). */
void response_empty(vc_response *res, int status);
/* Set status and the error body {"error": message, "code": code}. */
int response_error(vc_response *res, int status, const char *code, const char *message);
/* Hand to the host, then reset. A response without a body (other than a
 * 204) - one did not fit on the way - is sent as a fixed 500 INTERNAL_ERROR. */
int response_send(vc_response *res);
/* Send the fixed 500 INTERNAL_ERROR answer. */
int response_send_fallback(void);

#endif
