/*
 * host_key.h - the host's capability for one meeting.
 *
 * A host key is "v1." followed by the unpadded base64url of
 * HMAC-SHA-256(HOST_KEY_SECRET, "host:v1:" + meeting_id), the meeting id in
 * lowercase: 46 characters. Whoever holds it may join the meeting as host
 * and end it; nobody can make one without the secret. The HMAC is the host's
 * (Web Crypto in the Worker: host_hmac_sha256_*), never computed here; this
 * module only builds the message, encodes the MAC and compares keys in
 * constant time. Without HOST_KEY_SECRET there are no host keys.
 *
 * Ownership: the secret is read into a buffer of host_key_start's own and
 * wiped before it returns; keys are written into the caller's buffers and
 * never logged.
 */
#ifndef VC_HOST_KEY_H
#define VC_HOST_KEY_H

#include <stddef.h>
#include <stdint.h>

#define VC_CFG_HOST_KEY_SECRET "HOST_KEY_SECRET"
#define VC_HOST_KEY_SECRET_MAX 256 /* bytes; a longer secret is a malformed setting */
#define VC_HOST_KEY_PREFIX "v1."
#define VC_HOST_KEY_LEN 46         /* "v1." + 43 base64url characters */
#define VC_HOST_KEY_FIELD_MAX 128  /* what a request's host_key may hold before it is refused as too long */

/* 1 when HOST_KEY_SECRET is set, 0 when it is not (or empty), -1 when it
 * is longer than VC_HOST_KEY_SECRET_MAX (a malformed setting: config.h). */
int host_key_enabled(void);

/* Start computing the key of meeting_id (a lowercase UUID): VC_OK and
 * *handle; VC_E_NOTFOUND when there is no usable HOST_KEY_SECRET (nothing
 * started); VC_E_* when the host failed. */
int host_key_start(const char *meeting_id, uint32_t *handle);

/* Once settled: the key, NUL-terminated, in out; the handle is released.
 * VC_OK or VC_E_*. */
int host_key_finish(uint32_t handle, char out[VC_HOST_KEY_LEN + 1]);

/* 1 when given is exactly expected (both NUL-terminated; expected is a
 * VC_HOST_KEY_LEN key). The time taken depends only on the lengths, which
 * are public, never on where the two differ. */
int host_key_equal(const char *given, const char *expected);

#endif
