/* response.c - see response.h. */
#include "response.h"

#include <string.h>

#include "host.h"

static const char common_headers[] = "Content-Type: application/json\nCache-Control: no-store\n";
#define NO_BODY_HEADERS "Cache-Control: no-store\n"
static const char fallback_body[] = "{\"error\":\"Internal error\",\"code\":\"INTERNAL_ERROR\"}";

void response_init(vc_response *res) {
    res->status = 0;
    res->has_body = 0;
    res->body_len = 0;
    res->body[0] = '\0';
    res->headers[0] = '\0';
    res->headers_len = 0;
    res->upstream_ms = 0;
}

void response_reset(vc_response *res) { response_init(res); }

int response_header(vc_response *res, const char *name, const char *value) {
    size_t name_len = strlen(name), value_len = strlen(value);
    if (name_len == 0 || strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) return VC_E_INVALID;
    size_t need = name_len + 2 + value_len + 1;
    if (need >= sizeof res->headers - res->headers_len) return VC_E_TOOBIG;
    char *p = res->headers + res->headers_len;
    memcpy(p, name, name_len);
    memcpy(p + name_len, ": ", 2);
    memcpy(p + name_len + 2, value, value_len);
    p[need - 1] = '\n';
    p[need] = '\0';
    res->headers_len += need;
    return VC_OK;
}

json_out *response_json_begin(vc_response *res, int status) {
    res->status = status;
    res->has_body = 0;
    json_out_begin(&res->out, res->body, sizeof res->body);
    return &res->out;
}

int response_json_end(vc_response *res) {
    int n = json_out_end(&res->out);
    if (n < 0) return n;
    res->has_body = 1;
    res->body_len = (size_t)n;
    return VC_OK;
}

void response_empty(vc_response *res, int status) {
    res->has_body = 0;
    res->status = status;
}

int response_error(vc_response *res, int status, const char *code, const char *message) {
    json_out *o = response_json_begin(res, status);
    json_out_str(o, "error", message);
    json_out_str(o, "code", code);
    return response_json_end(res);
}

int response_send(vc_response *res) {
    char headers[sizeof common_headers + VC_RESPONSE_HEADERS_MAX];
    const char *common = res->has_body ? common_headers : NO_BODY_HEADERS;
    size_t headers_len = strlen(common);
    memcpy(headers, common, headers_len);
    memcpy(headers + headers_len, res->headers, res->headers_len);
    headers_len += res->headers_len;
    int rc;
    if (!res->has_body && res->status != 204) /* a body that did not fit: a fixed one */
        rc = response_send_fallback();
    else
        rc = host_respond(res->status, headers, headers_len, res->has_body ? res->body : NULL,
                          res->has_body ? res->body_len : 0);
    response_reset(res);
    return rc;
}

int response_send_fallback(void) {
    return host_respond(500, common_headers, sizeof common_headers - 1, fallback_body, sizeof fallback_body - 1);
}
