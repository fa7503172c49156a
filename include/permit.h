/*
 * permit.h - the Worker's side of the account's budget (budget.h): a permit
 * before each RealtimeKit call, and what RealtimeKit's reply teaches.
 *
 * Without the API_BUDGET binding (cfg->budget_on, read with the settings) there
 * is no budget: every call goes ahead, and nothing is asked of the host.
 * With it, permit_start takes a permit from the isolate's lease (which the
 * host keeps under "lease:" and the object's name), or refuses at once while
 * the lease is closed, or asks the object for a new lease (VC_PENDING), whose
 * answer permit_finish reads. A refusal is 429 RATE_LIMITED with the wait the
 * budget gives as Retry-After, logged as budget_exhausted. An object that
 * cannot be reached lets the call through, logged as budget_unavailable.
 *
 * After the call, permit_learn keeps the reply's Ratelimit reading for the
 * next lease request and, on a 429, closes the lease and tells the object
 * (VC_PENDING; permit_learned closes that handle).
 *
 * The object's name is the app's API URL (REALTIMEKIT_API_BASE, account and
 * app): one budget per account and app.
 *
 * Ownership: a vc_permit is plain storage in the task; nothing is allocated.
 */
#ifndef VC_PERMIT_H
#define VC_PERMIT_H

#include <stdint.h>

#include "config.h"
#include "problem.h"
#include "request.h"
#include "rtk.h"

#define VC_BUDGET_NAME_MAX 640

typedef struct vc_permit {
    int on;                          /* 1: the budget applies to this call */
    double asked_at;                 /* host clock when the object was asked */
    char key[VC_BUDGET_NAME_MAX];    /* "lease:" + the object's name */
} vc_permit;

/* VC_OK: go on (a permit from the lease, or no budget); VC_PENDING (*handle:
 * the object is asked); VC_PROBLEM (429 in p); VC_E_TOOBIG. */
int permit_start(const vc_request *req, const vc_config *cfg, vc_permit *pm, uint32_t *handle, vc_problem *p);
/* VC_OK or VC_PROBLEM; releases the handle. */
int permit_finish(const vc_request *req, const vc_config *cfg, vc_permit *pm, uint32_t handle, vc_problem *p);
/* VC_OK, or VC_PENDING (*handle) while a 429 is being reported. */
int permit_learn(const vc_config *cfg, vc_permit *pm, const rtk_reply *reply, uint32_t *handle);
void permit_learned(uint32_t handle);

/* 1 when the API_BUDGET binding exists. */
int permit_enabled(void);

#endif
