/* cjson_port.c - the formatter cJSON is compiled against (see cjson_port.h). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int vc_json_sprintf(char *out, const char *fmt, ...);
int vc_json_sscanf(const char *in, const char *fmt, ...);

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

/* round(d * 10^k) without overflowing pow() for subnormal d */
static uint64_t scaled_digits(double d, int k) {
    return (uint64_t)llround(d * pow(10.0, (double)(k / 2)) * pow(10.0, (double)(k - k / 2)));
}

/* %1.<prec>g for finite d (cJSON prints non-finite numbers as null itself). */
static char *put_g(char *p, double d, int prec) {
    if (d < 0 || (d == 0 && signbit(d))) {
        *p++ = '-';
        d = -d;
    }
    if (d == 0) {
        *p++ = '0';
        return p;
    }
    uint64_t limit = 1;
    for (int i = 0; i < prec; i++) limit *= 10;
    /* digits: d scaled to an integer of exactly prec digits, rounded. log10
     * may be off by one at powers of ten, and rounding may carry, so adjust. */
    int exp10 = (int)floor(log10(d));
    uint64_t digits = scaled_digits(d, prec - 1 - exp10);
    if (digits < limit / 10) digits = scaled_digits(d, prec - 1 - --exp10);
    if (digits >= limit) digits = scaled_digits(d, prec - 1 - ++exp10);
    if (digits >= limit) digits = limit - 1;
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
            if (!isfinite(d)) {
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
    double d = strtod(in, &end);
    if (end == in) return 0;
    va_list ap;
    va_start(ap, fmt);
    *va_arg(ap, double *) = d;
    va_end(ap);
    return 1;
}
