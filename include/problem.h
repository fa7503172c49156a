/*
 * problem.h - a client-facing error: status, code and message.
 *
 * Validation and parsing helpers fill a vc_problem instead of building a
 * response, so they stay free of allocation and of the response's shape.
 * Ownership: a vc_problem is plain storage owned by the caller; `code`
 * points to a static string and `message` is copied into the struct.
 */
#ifndef VC_PROBLEM_H
#define VC_PROBLEM_H

#define VC_PROBLEM_MESSAGE_MAX 160

typedef struct vc_problem {
    int status;
    const char *code;
    char message[VC_PROBLEM_MESSAGE_MAX];
    char retry_after[12]; /* seconds for a Retry-After header, "" for none */
    const char *challenge; /* a WWW-Authenticate header's value (static), NULL for none */
} vc_problem;

/* Returned (a positive value, unlike every VC_E_* code) by the functions
 * that fill a vc_problem, meaning "stop and answer with it". */
#define VC_PROBLEM 1

/* Not an error either: a step (see task.h) that started host operations and
 * must be called again once they have settled. */
#define VC_PENDING 2

/* Fill p with status, code and the concatenation of the given parts (a
 * NULL-terminated list of strings, cut to fit). Returns VC_PROBLEM so that
 * callers can `return problem_set(...)`. */
int problem_set(vc_problem *p, int status, const char *code, ...);

/* 400 INVALID_INPUT with a message built from parts. */
#define problem_invalid(p, ...) problem_set((p), 400, "INVALID_INPUT", __VA_ARGS__, (const char *)0)

#endif
