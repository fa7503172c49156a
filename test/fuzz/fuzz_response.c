/* fuzz_response.c - the response builder.
 *
 * Input: "STATUS\0HEADER-NAME\0HEADER-VALUE\0CODE\0MESSAGE". Checked: a
 * header whose name is not an HTTP field name or whose value has CR or LF,
 * or one of the headers every answer has (each name is sent once), is
 * refused; every
 * header line the host receives is "Name: value" with no CR or LF; the body
 * is JSON whose error/code are exactly the message and code given. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cJSON.h"
#include "check.h"
#include "fake_host.h"
#include "host.h"
#include "response.h"
#include "vc_alloc.h"

/* The bytes an HTTP field name is made of (RFC 9110, 5.6.2). */
#define TCHAR "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char buf[4096];
    const char *part[5] = {"", "", "", "", ""};
    if (size >= sizeof buf) return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    size_t n = 0, at = 0;
    part[n++] = buf;
    for (; at < size && n < 5; at++)
        if (buf[at] == '\0') part[n++] = buf + at + 1;

    fake_reset();
    vc_alloc_init();
    long before = vc_alloc_live();
    int status = atoi(part[0]);
    vc_response res;
    response_init(&res);
    int rc = response_header(&res, part[1], part[2]);
    int bad = part[1][0] == '\0' || strspn(part[1], TCHAR) != strlen(part[1]) || strpbrk(part[2], "\r\n") ||
              strcasecmp(part[1], "Content-Type") == 0 || strcasecmp(part[1], "Cache-Control") == 0;
    if ((rc == VC_E_INVALID) != !!bad && rc != VC_E_TOOBIG) abort();
    if (response_error(&res, status, part[3], part[4]) != VC_OK) abort();
    (void)response_send(&res);
    if (vc_alloc_live() != before) abort();

    const char *name = fake_response_header("Content-Type");
    if (!name || strcmp(name, "application/json") != 0) abort();
    const fake_response *r = fake_last_response();
    if (strchr(r->headers, '\r')) abort();
    for (const char *line = r->headers; *line;) {
        const char *nl = strchr(line, '\n');
        if (!nl) abort(); /* every line ends with \n */
        const char *sep = strstr(line, ": ");
        if (!sep || sep > nl || sep == line) abort();
        line = nl + 1;
    }
    cJSON *json = cJSON_ParseWithLength(r->body, r->body_len);
    if (!json) abort();
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(json, "error");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(json, "code");
    if (r->status == 500 && status != 500) { /* only the no-memory fallback may change the status */
        cJSON_Delete(json);
        abort();
    }
    int same = cJSON_IsString(error) && cJSON_IsString(code) && strcmp(error->valuestring, part[4]) == 0 &&
               strcmp(code->valuestring, part[3]) == 0;
    cJSON_Delete(json);
    if (!same) abort();
    return 0;
}
