/* problem.c - see problem.h. */
#include "problem.h"

#include <stdarg.h>

#include "text.h"

int problem_set(vc_problem *p, int status, const char *code, ...) {
    va_list ap;
    p->status = status;
    p->code = code;
    p->retry_after[0] = '\0';
    p->challenge = 0;
    va_start(ap, code);
    (void)text_vconcat(p->message, sizeof p->message, ap); /* a long message is cut, not lost */
    va_end(ap);
    return VC_PROBLEM;
}
