/*
 * presets.h - which RealtimeKit presets a public caller may ask for.
 *
 * ALLOWED_PRESETS is a comma-separated list (default
 * "group_call_participant"); its first entry is the preset used when a
 * request names none. A caller with the meeting's host key (host_key.h) gets
 * HOST_PRESET instead (default "group_call_host"), or may name one of
 * HOST_PRESETS. Ownership: buffers are the caller's.
 */
#ifndef VC_PRESETS_H
#define VC_PRESETS_H

#include <stddef.h>

#define VC_CFG_ALLOWED_PRESETS "ALLOWED_PRESETS"
#define VC_DEFAULT_PRESET "group_call_participant"
#define VC_PRESETS_MAX 1024
#define VC_CFG_HOST_PRESET "HOST_PRESET"
#define VC_CFG_HOST_PRESETS "HOST_PRESETS"
#define VC_DEFAULT_HOST_PRESET "group_call_host"

/* Read the list into buf (VC_PRESETS_MAX bytes); the default when unset. */
void presets_load(char *buf, size_t cap);
/* The host's list: HOST_PRESET (or the default) first, then HOST_PRESETS. */
void presets_load_host(char *buf, size_t cap);
/* 1 when name is one of the list's entries (exact match). */
int presets_allow(const char *list, const char *name);
/* Copy the list's first entry into out (the default preset). */
void presets_first(const char *list, char *out, size_t cap);

#endif
