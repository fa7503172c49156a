/* response.c - see response.h. */
#include "response.h"

#include <string.h>

#include "host.h"

static const char common_headers[] = "Content-Type: application/json\nCache-Control: no-store\n";
#define NO_BODY_HEADERS "Cache-Control: no-store\n"
static const char fallback_body[] = "{\"error\":\"Internal error\",\"code\":\"INTERNAL_ERROR\"}";

void response_init(vc_response *res) {
    res->status = 0;
    res->body = NULL;
    res->headers[0] = '\0';
    res->headers_len = 0;
    res->upstream_ms = 0;
}

void response_reset(vc_response *res) {
    cJSON_Delete(res->body);
    response_init(res);
}

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

int response_json(vc_response *res, int status, cJSON *body) {
    cJSON_Delete(res->body);
    res->body = body;
    res->status = status;
    return body ? VC_OK : VC_E_NOMEM;
}

void response_empty(vc_response *res, int status) {
    cJSON_Delete(res->body);
    res->body = NULL;
    res->status = status;
}

int response_error(vc_response *res, int status, const char *code, const char *message) {
    cJSON *body = cJSON_CreateObject();
    if (body && (!cJSON_AddStringToObject(body, "error", message) || !cJSON_AddStringToObject(body, "code", code))) {
        cJSON_Delete(body);
        body = NULL;
    }
    return response_json(res, status, body);
}

int response_send(vc_response *res) {
    char headers[sizeof common_headers + VC_RESPONSE_HEADERS_MAX];
    const char *common = res->body ? common_headers : NO_BODY_HEADERS;
    size_t headers_len = strlen(common);
    memcpy(headers, common, headers_len);
    memcpy(headers + headers_len, res->headers, res->headers_len);
    headers_len += res->headers_len;

    char *body = res->body ? cJSON_PrintUnformatted(res->body) : NULL;
    int rc;
    if (!body && res->status != 204) /* out of memory: a fixed body needs no allocation */
        rc = response_send_fallback();
    else
        rc = host_respond(res->status, headers, headers_len, body, body ? strlen(body) : 0);
    cJSON_free(body);
    response_reset(res);
    return rc;
}

int response_send_fallback(void) {
    return host_respond(500, common_headers, sizeof common_headers - 1, fallback_body, sizeof fallback_body - 1);
}
