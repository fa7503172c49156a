/*
 * cors.h - cross-origin access, configured by ALLOWED_ORIGINS: a
 * comma-separated list of origins ("https://app.example.com"), "*" for any
 * origin (only when written explicitly), empty or absent for same-origin
 * only.
 *
 * Ownership: reads the request, writes headers into the response; nothing
 * is allocated.
 */
#ifndef VC_CORS_H
#define VC_CORS_H

#include "request.h"
#include "response.h"

#define VC_CFG_ALLOWED_ORIGINS "ALLOWED_ORIGINS"

/* VC_ORIGIN_NONE (no Origin header), _SAME (the Worker's own origin),
 * _ALLOWED (listed) or _DENIED. */
int cors_origin_state(const vc_request *req);

/* Headers every response gets: Vary: Origin, and for an allowed origin
 * Access-Control-Allow-Origin echoing it. */
int cors_decorate(const vc_request *req, vc_response *res);

/* OPTIONS on an API route whose methods are `methods` ("POST, OPTIONS"):
 * 204 with Allow and, for an allowed origin, the Access-Control-Allow-*
 * headers; 403 FORBIDDEN for a denied origin; a plain 204 otherwise. */
int cors_preflight(const vc_request *req, vc_response *res, const char *methods);

/* 403 FORBIDDEN for a request from a denied origin. */
int cors_forbid(vc_response *res);

#endif
