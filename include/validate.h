/*
 * validate.h - checks on the fields of a request's JSON object.
 *
 * Ownership: nothing is allocated. Strings handed back point into the cJSON
 * tree they came from and live as long as it does; `out` buffers belong to
 * the caller. Every failure fills `p` with a 400 INVALID_INPUT whose message
 * names the field, and returns VC_PROBLEM. Lookups are case-sensitive
 * (`Meeting_Id` is not `meeting_id`).
 */
#ifndef VC_VALIDATE_H
#define VC_VALIDATE_H

#include <stddef.h>

#include "cJSON.h"
#include "problem.h"

#define VC_UUID_LEN 36

/* Limits on the string fields, in characters (Unicode code points). */
#define VC_NAME_MAX 100
#define VC_PARTICIPANT_ID_MAX 128
#define VC_PRESET_NAME_MAX 64

/* 1 when s is a UUID (8-4-4-4-12 hex digits, any letter case). */
int uuid_valid(const char *s);
/* Copy the UUID s into out (VC_UUID_LEN + 1 bytes) in lowercase. */
void uuid_lower(const char *s, char *out);
/* A random (version 4) UUID in lowercase, from the host's random bytes. */
int uuid_v4(char *out);

/* Required field that must be a UUID; its lowercase form goes to out. */
int field_uuid(const cJSON *obj, const char *field, char *out, vc_problem *p);

/* Optional string field of 1..max_chars characters with no control
 * characters. *out is NULL when the field is absent. */
int field_string(const cJSON *obj, const char *field, size_t max_chars, const char **out, vc_problem *p);

#endif
