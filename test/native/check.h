/* check.h - a tiny test harness: CHECK macros and a runner that prints
 * "N passed, N failed". Ownership: nothing here allocates. */
#ifndef VC_CHECK_H
#define VC_CHECK_H

#include <stddef.h>

typedef void (*check_fn)(void);
typedef struct check_case {
    const char *name;
    check_fn fn;
} check_case;

void check_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void check_str(const char *file, int line, const char *expr, const char *got, const char *want);
void check_int(const char *file, int line, const char *expr, long got, long want);
/* Failed checks so far (the fuzz targets abort when it moves). */
long check_failures(void);
/* Runs every case; returns the process exit status (0 when all passed). */
int check_run(const char *suite, const check_case *cases, size_t count);

#define CHECK(cond) \
    do { \
        if (!(cond)) check_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
    } while (0)
#define CHECK_STR(got, want) check_str(__FILE__, __LINE__, #got, (got), (want))
#define CHECK_INT(got, want) check_int(__FILE__, __LINE__, #got, (long)(got), (long)(want))
#define CASE(fn) {#fn, fn}
#define RUN(suite, cases) check_run((suite), (cases), sizeof(cases) / sizeof((cases)[0]))

#endif
