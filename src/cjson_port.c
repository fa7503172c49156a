/* cjson_port.c - the number code cJSON is compiled against (see cjson_port.h).
 * No libm and no stdio: plain loops over doubles. */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "cjson_port.h"


static int is_finite(double d) { return d == d && d - d == 0; }

/* d * 10^e by repeated scaling (exact for integers and small exponents). */
static double scale10(double d, int e) {
    for (; e >= 16; e -= 16) d *= 1e16;
    for (; e <= -16; e += 16) d /= 1e16;
    static const double p[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    return e >= 0 ? d * p[e] : d / p[-e];
}

double vc_json_strtod(const char *in, char **end) {
    const char *s = in;
    int negative = *s == '-';
    if (*s == '-' || *s == '+') s++;
    uint64_t mantissa = 0;
    int digits = 0, exp10 = 0, seen = 0;
    for (; *s >= '0' && *s <= '9'; s++, seen = 1) {
        if (digits < 19) mantissa = mantissa * 10 + (uint64_t)(*s - '0'), digits += mantissa > 0;
        else exp10++;
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, seen = 1) {
            if (digits < 19) mantissa = mantissa * 10 + (uint64_t)(*s - '0'), digits += mantissa > 0, exp10--;
        }
    }
    if (!seen) {
        if (end) *end = (char *)(uintptr_t)in;
        return 0;
    }
    if ((*s == 'e' || *s == 'E') && ((s[1] >= '0' && s[1] <= '9') ||
                                     ((s[1] == '-' || s[1] == '+') && s[2] >= '0' && s[2] <= '9'))) {
        int exp_negative = s[1] == '-';
        s += (s[1] == '-' || s[1] == '+') ? 2 : 1;
        int e = 0;
        for (; *s >= '0' && *s <= '9'; s++)
            if (e < 100000) e = e * 10 + (*s - '0');
        exp10 += exp_negative ? -e : e;
    }
    if (end) *end = (char *)(uintptr_t)s;
    double d = (double)mantissa;
    if (mantissa != 0) {
        if (exp10 > 400) d = 1e308 * 10;     /* infinity */
        else if (exp10 < -400) d = 0;
        else if (exp10 < -300) d = scale10(scale10(d, exp10 + 300), -300); /* stay out of denormals early */
        else d = scale10(d, exp10);
    }
    return negative ? -d : d;
}

static char *put_u64(char *p, uint64_t v, int min_digits) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < min_digits) tmp[n++] = '0';
    while (n) *p++ = tmp[--n];
    return p;
}

/* %1.<prec>g for finite d (cJSON prints non-finite numbers as null itself). */
static char *put_g(char *p, double d, int prec) {
    if (d < 0 || (d == 0 && 1 / d < 0)) {
        *p++ = '-';
        d = -d;
    }
    if (d == 0) {
        *p++ = '0';
        return p;
    }
    uint64_t limit = 1;
    for (int i = 0; i < prec; i++) limit *= 10;
    /* the decimal exponent, then d scaled to exactly prec digits, rounded */
    int exp10 = 0;
    for (double x = d; x >= 10; x /= 10) exp10++;
    for (double x = d; x < 1; x *= 10) exp10--;
    uint64_t digits = (uint64_t)(scale10(d, prec - 1 - exp10) + 0.5);
    if (digits >= limit) { /* rounding carried into a new digit */
        digits /= 10;
        exp10++;
    }
    if (digits < limit / 10) digits = limit / 10;
    char dig[24];
    char *end = put_u64(dig, digits, prec);
    int ndig = (int)(end - dig);
    while (ndig > 1 && dig[ndig - 1] == '0') ndig--; /* %g drops trailing zeros */

    if (exp10 < -4 || exp10 >= prec) { /* scientific: d.ddde[+-]XX */
        *p++ = dig[0];
        if (ndig > 1) {
            *p++ = '.';
            memcpy(p, dig + 1, (size_t)(ndig - 1));
            p += ndig - 1;
        }
        *p++ = 'e';
        *p++ = exp10 < 0 ? '-' : '+';
        return put_u64(p, (uint64_t)(exp10 < 0 ? -exp10 : exp10), 2);
    }
    if (exp10 < 0) { /* 0.000ddd */
        *p++ = '0';
        *p++ = '.';
        for (int i = -1; i > exp10; i--) *p++ = '0';
        memcpy(p, dig, (size_t)ndig);
        return p + ndig;
    }
    for (int i = 0; i <= exp10; i++) *p++ = i < ndig ? dig[i] : '0';
    if (ndig > exp10 + 1) {
        *p++ = '.';
        memcpy(p, dig + exp10 + 1, (size_t)(ndig - exp10 - 1));
        p += ndig - exp10 - 1;
    }
    return p;
}

int vc_json_sprintf(char *out, const char *fmt, ...) {
    static const char hex[] = "0123456789abcdef";
    va_list ap;
    char *p = out;
    int ok = 1;
    va_start(ap, fmt);
    while (ok && *fmt) {
        if (*fmt != '%') {
            *p++ = *fmt++;
            continue;
        }
        fmt++;
        if (*fmt == 'd' || *fmt == 'i') {
            int v = va_arg(ap, int);
            if (v < 0) *p++ = '-';
            p = put_u64(p, v < 0 ? (uint64_t)(-(int64_t)v) : (uint64_t)v, 1);
            fmt++;
        } else if (strncmp(fmt, "04x", 3) == 0) {
            unsigned v = (unsigned)va_arg(ap, int);
            for (int shift = 12; shift >= 0; shift -= 4) *p++ = hex[(v >> shift) & 0xf];
            fmt += 3;
        } else if (strncmp(fmt, "1.15g", 5) == 0 || strncmp(fmt, "1.17g", 5) == 0) {
            double d = va_arg(ap, double);
            if (!is_finite(d)) {
                ok = 0;
                break;
            }
            p = put_g(p, d, fmt[3] == '5' ? 15 : 17);
            fmt += 5;
        } else {
            ok = 0;
        }
    }
    va_end(ap);
    *p = '\0';
    return ok ? (int)(p - out) : -1;
}

int vc_json_sscanf(const char *in, const char *fmt, ...) {
    if (strcmp(fmt, "%lg") != 0) return 0;
    char *end = NULL;
    double d = vc_json_strtod(in, &end);
    if (end == in) return 0;
    va_list ap;
    va_start(ap, fmt);
    *va_arg(ap, double *) = d;
    va_end(ap);
    return 1;
}

/* cJSON's defaults (cjson_port.h), until vc_alloc_init replaces them. */
void *vc_json_malloc(size_t size) { return vc_malloc(size); }
void vc_json_free(void *ptr) { vc_free(ptr); }

/* Never called: cJSON reallocates only with its default hooks, which
 * vc_alloc_init replaces. A failure, should it ever be. */
void *vc_json_realloc(void *ptr, size_t size) {
    (void)ptr;
    (void)size;
    return NULL;
}
