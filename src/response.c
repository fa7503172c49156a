/* response.c - see response.h. */
#include "response.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "host.h"
#include "text.h"

static const char common_headers[] = "{\"Content-Type\":\"application/json\",\"Cache-Control\":\"no-store\"}";
static const char fallback_body[] = "{\"error\":\"Internal error\",\"code\":\"INTERNAL_ERROR\"}";

void response_init(vc_response *res) {
    res->status = 0;
    res->has_body = 0;
    res->body_len = 0;
    res->body[0] = '\0';
    res->headers_len = 0;
    res->header_count = 0;
    res->upstream_ms = 0;
}

void response_reset(vc_response *res) { response_init(res); }

/* An HTTP field name: one or more tchar (RFC 9110, 5.6.2): the digits, the
 * letters and !#$%&'*+-.^_`|~, as one bit per byte value below 128 (bytes
 * 0-63, then 64-127). */
static int is_field_name(const char *name, size_t n) {
    static const uint64_t tchar[2] = {0x03ff6cfa00000000u, 0x57ffffffc7fffffeu};
    if (n == 0) return 0;
    for (const unsigned char *p = (const unsigned char *)name; p < (const unsigned char *)name + n; p++)
        if (*p >= 128 || !(tchar[*p >> 6] >> (*p & 63) & 1)) return 0;
    return 1;
}

/* 1 when name (n bytes) is `known` in any letter case. */
static int same_name(const char *name, size_t n, const char *known, size_t known_len) {
    return n == known_len && strncasecmp(name, known, n) == 0;
}

int response_header_n(vc_response *res, const char *name, size_t name_len, const char *value, size_t value_len) {
    if (!is_field_name(name, name_len) || text_find(value, value_len, '\r') < value_len ||
        text_find(value, value_len, '\n') < value_len)
        return VC_E_INVALID;
    if (same_name(name, name_len, "Content-Type", 12) || same_name(name, name_len, "Cache-Control", 13))
        return VC_E_INVALID; /* response_send's */
    for (int i = 0; i < res->header_count; i++)
        if (same_name(name, name_len, res->headers + res->header[i].at, res->header[i].name_len)) return VC_E_INVALID;
    size_t need = name_len + value_len;
    if (need > sizeof res->headers - res->headers_len || res->header_count == VC_RESPONSE_HEADER_COUNT)
        return VC_E_TOOBIG;
    char *p = res->headers + res->headers_len;
    memcpy(p, name, name_len);
    memcpy(p + name_len, value, value_len);
    res->header[res->header_count].at = (uint16_t)res->headers_len;
    res->header[res->header_count].name_len = (uint16_t)name_len;
    res->header[res->header_count].value_len = (uint16_t)value_len;
    res->header_count++;
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
    /* every byte of a value escaped, and the common headers */
    char headers[6 * VC_RESPONSE_HEADERS_MAX + 6 * VC_RESPONSE_HEADER_COUNT + sizeof common_headers];
    json_out o;
    json_out_begin(&o, headers, sizeof headers);
    if (res->has_body) json_out_str(&o, "Content-Type", "application/json");
    json_out_str(&o, "Cache-Control", "no-store");
    for (int i = 0; i < res->header_count; i++) {
        const char *name = res->headers + res->header[i].at;
        json_out_str_n(&o, name, res->header[i].name_len, name + res->header[i].name_len, res->header[i].value_len);
    }
    int headers_len = json_out_end(&o);
    int rc;
    if ((!res->has_body && res->status != 204) || headers_len < 0) /* what did not fit: a fixed answer */
        rc = response_send_fallback();
    else
        rc = host_respond(res->status, headers, (size_t)headers_len, res->has_body ? res->body : NULL,
                          res->has_body ? res->body_len : 0);
    response_reset(res);
    return rc;
}

int response_send_fallback(void) {
    return host_respond(500, common_headers, sizeof common_headers - 1, fallback_body, sizeof fallback_body - 1);
}
