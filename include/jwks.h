/*
 * jwks.h - the keys of a JSON Web Key Set, as the sign-in check keeps them.
 *
 * jwks_keys reads a JWKS document (strict JSON, json_strict.h) and keeps
 * each key a token may be verified with: `use` absent or "sig"; an RSA key
 * (alg absent or RS256, a modulus of 2048 to 4096 bits) or a P-256 EC key
 * (alg absent or ES256); and a kid. Other keys are skipped, not errors.
 * Each kept key is one line of the key list, "kid\talg\tjwk\n", where alg is
 * a digit (VC_SIG_*, host.h) and jwk the minimal JWK text to import
 * ({"kty","n","e"} or {"kty","crv","x","y"}).
 *
 * Ownership: the caller's buffers; nothing is kept. jwks_find points into
 * the list it is given.
 */
#ifndef VC_JWKS_H
#define VC_JWKS_H

#include <stddef.h>

#define VC_JWKS_MAX (64 * 1024)  /* bytes of a fetched JWKS (or discovery) document */
#define VC_JWKS_LIST_MAX 8192    /* bytes of the key list; keys beyond it are dropped */

/* The key list of json[0..len) into out (cap bytes, NUL-terminated): the
 * number of keys kept (>= 0), or -1 when the document is not a key set. */
int jwks_keys(const char *json, size_t len, char *out, size_t cap);

/* The JWK text (*jwk_len bytes) of the key with this kid and alg in the
 * list, or NULL. */
const char *jwks_find(const char *list, const char *kid, int alg, size_t *jwk_len);

#endif
