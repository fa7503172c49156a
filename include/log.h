/*
 * log.h - one JSON line per event, through the host's log import.
 *
 * Only the fields below can be logged, so nothing else (tokens, names,
 * upstream bodies) can reach a log line by accident. Ownership: the fields
 * are borrowed for the call; nothing is kept.
 */
#ifndef VC_LOG_H
#define VC_LOG_H

#include "request.h"

typedef struct vc_log_fields {
    const char *event;      /* required: "meeting_created", "realtimekit_error", ... */
    int status;             /* the status answered, 0 = omit */
    int upstream_status;    /* RealtimeKit's HTTP status, 0 = omit */
    double upstream_ms;     /* time spent waiting on RealtimeKit, < 0 = omit */
    const char *reason;     /* a fixed description of what went wrong */
    const char *setting;    /* a setting's name (never its value) */
} vc_log_fields;

/* An empty set of fields (upstream_ms omitted). */
#define VC_LOG_FIELDS(ev) ((vc_log_fields){.event = (ev), .upstream_ms = -1})


/* One line with the request's id and route, then the fields that are set. */
void log_event(const vc_request *req, int level, const vc_log_fields *f);

#endif
