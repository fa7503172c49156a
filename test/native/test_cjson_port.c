/* test_cjson_port.c - the formatter cJSON is built against, checked against
 * the C library's printf for the conversions cJSON uses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cjson_port.h"

#undef sprintf
#undef sscanf

static void integers_match_printf(void) {
    int values[] = {0, 1, -1, 42, 2147483647, -2147483647 - 1, 1000000};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char got[32], want[32];
        CHECK_INT(vc_json_sprintf(got, "%d", values[i]), snprintf(want, sizeof want, "%d", values[i]));
        CHECK_STR(got, want);
    }
    char got[32];
    CHECK_INT(vc_json_sprintf(got, "%i.%i.%i", 1, 7, 15), 6);
    CHECK_STR(got, "1.7.15");
}

static void unicode_escape_matches_printf(void) {
    char got[16];
    CHECK_INT(vc_json_sprintf(got, "u%04x", 0x1f), 5);
    CHECK_STR(got, "u001f");
}

static void doubles_match_printf(void) {
    double values[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1e-4, 1.5e-5, 123456789012345.0, 1e15, 1e16, 3.14159265358979,
                       1e300, 2.2250738585072014e-308, 4.9e-324, 1.7976931348623157e308, 0.5, 99.99, 1e-7, 12345.678};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char got[32], want[32];
        vc_json_sprintf(got, "%1.15g", values[i]);
        snprintf(want, sizeof want, "%1.15g", values[i]);
        CHECK_STR(got, want);
    }
}

static void seventeen_digits_round_trip(void) {
    srand(7);
    for (int i = 0; i < 20000; i++) {
        double d = ((double)rand() / RAND_MAX - 0.5) * pow(10.0, (double)(rand() % 40 - 20));
        char got[32];
        vc_json_sprintf(got, "%1.17g", d);
        double back = 0;
        CHECK_INT(vc_json_sscanf(got, "%lg", &back), 1);
        if (fabs(back - d) > fabs(d) * 1e-15) check_fail(__FILE__, __LINE__, "%.17g printed as %s", d, got);
    }
}

static void strtod_reads_what_cjson_hands_it(void) {
    const char *exact[] = {"0", "-0", "1", "-1", "404", "9007199254740992", "1e3", "2.5", "-0.125", "1E2", "12345678901234567"};
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        char *end_port = NULL, *end_libc = NULL;
        double got = vc_json_strtod(exact[i], &end_port), want = strtod(exact[i], &end_libc);
        if (got != want) check_fail(__FILE__, __LINE__, "%s: got %.17g want %.17g", exact[i], got, want);
        CHECK_INT(end_port - exact[i], end_libc - exact[i]);
    }
    const char *close[] = {"0.1", "3.14159265358979", "-1.5e-7", "6.02214076e23", "1.7976931348623157e308",
                           "2.2250738585072014e-308", "123.456e-5"};
    for (size_t i = 0; i < sizeof close / sizeof close[0]; i++) {
        double got = vc_json_strtod(close[i], NULL), want = strtod(close[i], NULL);
        if (fabs(got - want) > fabs(want) * 1e-15) check_fail(__FILE__, __LINE__, "%s: got %.17g want %.17g", close[i], got, want);
    }
    char *end = NULL;
    CHECK(isinf(vc_json_strtod("1e999", NULL)));
    CHECK(vc_json_strtod("1e-999", NULL) == 0);
    CHECK(vc_json_strtod("abc", &end) == 0);
    CHECK_STR(end, "abc");
    vc_json_strtod("12e", &end);
    CHECK_STR(end, "e");
    vc_json_strtod("7.5,", &end);
    CHECK_STR(end, ",");
}

static void unsupported_conversions_fail(void) {
    char got[32];
    CHECK_INT(vc_json_sprintf(got, "%s", "x"), -1);
    CHECK_INT(vc_json_sprintf(got, "%1.15g", (double)INFINITY), -1);
    double d;
    CHECK_INT(vc_json_sscanf("abc", "%lg", &d), 0);
    CHECK_INT(vc_json_sscanf("1", "%d", &d), 0);
}

int main(void) {
    static const check_case cases[] = {CASE(integers_match_printf), CASE(unicode_escape_matches_printf),
                                       CASE(doubles_match_printf), CASE(seventeen_digits_round_trip),
                                       CASE(strtod_reads_what_cjson_hands_it),
                                       CASE(unsupported_conversions_fail)};
    return RUN("native-cjson-port", cases);
}
