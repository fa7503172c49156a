/*
 * json_body.h - read the request body and parse it as one JSON object.
 *
 * Shaped like picohttpparser: the caller passes the buffer; nothing is
 * allocated except the parsed tree. Ownership: on VC_OK *out is a cJSON
 * object that the caller frees with cJSON_Delete; on VC_PROBLEM *out is NULL
 * and `p` says why (400 or 413 INVALID_INPUT).
 */
#ifndef VC_JSON_BODY_H
#define VC_JSON_BODY_H

#include <stddef.h>
#include <stdint.h>

#include "cJSON.h"
#include "problem.h"
#include "request.h"

/* Largest accepted request body, in bytes. */
#define VC_BODY_MAX 16384

/* Start reading the body: VC_PENDING with *handle naming the read (see
 * task.h), or VC_PROBLEM (413) for a declared Content-Length over
 * VC_BODY_MAX, refused before anything is read. */
int body_start(const vc_request *req, uint32_t *handle, vc_problem *p);

/* The body read by body_start, into buf (cap >= VC_BODY_MAX + 1); releases the
 * handle. A body that turned out longer than VC_BODY_MAX is refused (413; the
 * host stopped reading there). */
int body_take(uint32_t handle, char *buf, size_t cap, size_t *len, vc_problem *p);

/* Parse buf[0..len) as a JSON object, strictly (json_strict.h); each way it
 * can fail is a 400 whose message says which. An empty (or all-whitespace)
 * body is an empty object when allow_empty, else an error. */
int json_parse_object(const char *buf, size_t len, int allow_empty, cJSON **out, vc_problem *p);

#endif
