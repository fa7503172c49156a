/*
 * cjson_port.h - force-included (-include) when compiling cJSON.c.
 *
 * cJSON formats numbers and \u escapes with sprintf, re-reads numbers with
 * sscanf and parses them with strtod. In wasi-libc, stdio drags in WASI
 * file-descriptor imports (fd_write, fd_seek, fd_close) that a Worker has no
 * use for, and strtod's exact long-double scanner and libm's pow/log10 cost
 * about 10 KB of a module that should stay under 48 KB. So cJSON's calls are
 * redirected to the small number code in src/cjson_port.c, which supports
 * exactly the conversions cJSON 1.7.x uses: %d %i, %04x, %1.15g, %1.17g,
 * sscanf's %lg, and strtod. Integers (all this Worker ever reads or prints)
 * are exact; other numbers are within a few units in the last place, not
 * always correctly rounded. Unsupported conversions fail (return -1), which
 * cJSON reports as a print failure. The native builds use the same port, so
 * the tests exercise the code that ships.
 *
 * cJSON's default allocator is libc's malloc, free and realloc; naming them
 * at all links wasi-libc's dlmalloc (about 10 KB) though vc_alloc_init
 * replaces them before any use. So they are renamed too, to functions of
 * their own (distinct from vc_malloc and vc_free, so that cJSON_InitHooks
 * does not take the hooks for its defaults and reach for realloc): they
 * allocate through vc_alloc.h, and vc_json_realloc, which cJSON calls only
 * with its default hooks, fails.
 *
 * Ownership: the number functions write only into the caller's buffer.
 */
#ifndef VC_CJSON_PORT_H
#define VC_CJSON_PORT_H

#include <stdio.h>
#include <stdlib.h>

#include "vc_alloc.h"

int vc_json_sprintf(char *out, const char *fmt, ...);
int vc_json_sscanf(const char *in, const char *fmt, ...);
double vc_json_strtod(const char *in, char **end);

#define sprintf vc_json_sprintf
#define sscanf vc_json_sscanf
#define strtod vc_json_strtod

void *vc_json_malloc(size_t size);
void vc_json_free(void *ptr);
void *vc_json_realloc(void *ptr, size_t size);
#define malloc vc_json_malloc
#define free vc_json_free
#define realloc vc_json_realloc

#endif
