/* host_key.c - see host_key.h. */
#include "host_key.h"

#include <string.h>

#include "host.h"
#include "text.h"

#define MESSAGE_PREFIX "host:v1:"

static void wipe(void *p, size_t n) {
    volatile unsigned char *v = (volatile unsigned char *)p;
    while (n--) *v++ = 0;
}

int host_key_enabled(void) {
    int len = host_config_get(VC_CFG_HOST_KEY_SECRET, NULL, 0);
    return len > VC_HOST_KEY_SECRET_MAX ? -1 : len > 0;
}

int host_key_start(const char *meeting_id, uint32_t *handle) {
    char secret[VC_HOST_KEY_SECRET_MAX + 1];
    char message[sizeof MESSAGE_PREFIX + 64];
    *handle = 0;
    int len = host_config_str(VC_CFG_HOST_KEY_SECRET, secret, sizeof secret);
    int rc = len > 0 ? VC_OK : VC_E_NOTFOUND;
    int msg_len = rc == VC_OK ? TEXT_CONCAT(message, MESSAGE_PREFIX, meeting_id) : 0;
    if (rc == VC_OK && msg_len < 0) rc = VC_E_TOOBIG;
    if (rc == VC_OK) rc = host_hmac_sha256_start(secret, (size_t)len, message, (size_t)msg_len, handle);
    wipe(secret, sizeof secret);
    return rc;
}

int host_key_finish(uint32_t handle, char out[VC_HOST_KEY_LEN + 1]) {
    uint8_t mac[VC_HMAC_SHA256_LEN];
    int rc = host_hmac_sha256_result(handle, mac); /* releases the handle */
    out[0] = '\0';
    if (rc == VC_OK) {
        memcpy(out, VC_HOST_KEY_PREFIX, sizeof VC_HOST_KEY_PREFIX - 1);
        text_base64url(mac, sizeof mac, out + sizeof VC_HOST_KEY_PREFIX - 1);
    }
    wipe(mac, sizeof mac);
    return rc;
}

int host_key_equal(const char *given, const char *expected) {
    size_t n = strlen(expected);
    if (strlen(given) != n) return 0;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++) diff |= (unsigned char)(given[i] ^ expected[i]);
    return diff == 0;
}
