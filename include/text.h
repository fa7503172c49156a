/*
 * text.h - bounded string building without stdio.
 *
 * Ownership: writes only into the caller's buffer, always NUL-terminated.
 */
#ifndef VC_TEXT_H
#define VC_TEXT_H

#include <stdarg.h>
#include <stddef.h>

/* Concatenate a NULL-terminated list of strings into dst. Returns the
 * length, or VC_E_TOOBIG when it does not fit (dst then holds as much as
 * fits). */
int text_concat(char *dst, size_t cap, ...);
int text_vconcat(char *dst, size_t cap, va_list ap);

/* Code points in the UTF-8 text s[0..len) (NUL-terminated at len), or
 * TEXT_CONTROL when one of them is a control character (C0, DEL or C1). */
#define TEXT_CONTROL ((size_t)-1)
size_t text_chars(const char *s, size_t len);

/* How many of the first len bytes of s are "plain": printable ASCII (0x20 to
 * 0x7e) other than '"' and '\\', which need no escaping in JSON, hold no
 * control character and are one UTF-8 code point each. Checks eight bytes at
 * a time; the loops over long values (tokens, bodies) skip such runs. */
size_t text_plain_run(const char *s, size_t len);

/* Split the first `count` "\n"-ended lines of s[0..len) in place: each
 * line's '\n' becomes a NUL and line[i] points at it. Returns the offset
 * just past the last line, or VC_E_INVALID when s holds fewer lines. */
int text_lines(char *s, size_t len, char **line, int count);

/* The index of the first byte c in s[0..len), or len when there is none.
 * Eight bytes at a time, like text_plain_run. */
size_t text_find(const char *s, size_t len, char c);

/* s as a decimal integer: an optional '-', then 1 to max_digits ASCII
 * digits, and nothing else. 1 with *out set when it is one, else 0. */
int text_decimal(const char *s, size_t max_digits, double *out);

/* 1 when s is 1 to max_len ASCII digits. */
int text_is_digits(const char *s, size_t max_len);

/* Decimal digits of v into dst (cap >= 21). Returns dst. */
char *text_uint(char *dst, unsigned long long v);

/* Unpadded base64url of the n bytes at in into out (4n/3 rounded up
 * characters, plus a NUL). */
void text_base64url(const unsigned char *in, size_t n, char *out);

/* Decode unpadded base64url s[0..len) into out (cap bytes): the decoded
 * length, or VC_E_INVALID for a character outside the alphabet, a length
 * no encoding has (len % 4 == 1) or unused low bits that are not zero (so
 * each byte string has exactly one text); VC_E_TOOBIG when it does not fit. */
int text_base64url_decode(const char *s, size_t len, unsigned char *out, size_t cap);

#define TEXT_CONCAT(dst, ...) text_concat((dst), sizeof(dst), __VA_ARGS__, (const char *)0)

#endif
