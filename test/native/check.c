/* check.c - see check.h. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int case_failed;
static long total_failures;

long check_failures(void) { return total_failures; }

void check_fail(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "    %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    case_failed = 1;
    total_failures++;
}

void check_str(const char *file, int line, const char *expr, const char *got, const char *want) {
    if (got && want && strcmp(got, want) == 0) return;
    if (!got && !want) return;
    check_fail(file, line, "%s\n      got:  %s\n      want: %s", expr, got ? got : "(null)", want ? want : "(null)");
}

void check_int(const char *file, int line, const char *expr, long got, long want) {
    if (got != want) check_fail(file, line, "%s: got %ld, want %ld", expr, got, want);
}

int check_run(const char *suite, const check_case *cases, size_t count) {
    int passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        case_failed = 0;
        cases[i].fn();
        if (case_failed) {
            failed++;
            fprintf(stderr, "  FAIL %s: %s\n", suite, cases[i].name);
        } else {
            passed++;
        }
    }
    printf("%s: %d passed, %d failed\n", suite, passed, failed);
    return failed ? 1 : 0;
}
