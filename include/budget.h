/*
 * budget.h - the account's shared budget of RealtimeKit calls: the
 * arithmetic alone, with no host call in it. The Durable Object's side
 * (budget_serve.c) and the Worker's side (permit.c) both use it.
 *
 * The rules: at most rule.calls calls in any rule.seconds (REALTIMEKIT_BUDGET,
 * default 1000/300), and at most 250 in any 10 s (RealtimeKit's own limit
 * per account). One object (one budget_state) per account and app holds them.
 *
 * Leases. The object counts a permit when it grants it, not when it is used.
 * It grants permits in blocks (a lease) that the isolate may use for
 * budget_lease_ms() from when it asked, on its own clock, and never after.
 * So every call that reaches RealtimeKit within some W seconds was granted
 * within W seconds plus one lease lifetime before the end of that span, and the
 * object enforces each rule over that longer span: however many isolates, in
 * however many places, hold leases, the calls they make in any W seconds stay
 * within the rule. (Clocks must agree to within a quarter of the lease
 * lifetime, which the isolate keeps back as a margin.) What a lease costs is
 * the other way round: permits granted and not used stay counted. An isolate
 * hands the unused ones of an expired lease back with its next request, so
 * only the permits of isolates that never ask again are lost, until they
 * leave the span.
 *
 * Block size. A grant is a sixteenth of what the rules leave free, between 1
 * and the BUDGET_BLOCK asked for: 10 far from the limit (one object round
 * trip per 10 calls), 1 near it (one per call, exact).
 *
 * Learning from RealtimeKit. A `Ratelimit` reading ("default";r=50;t=30: 50
 * calls left, window resets in 30 s) travels with the isolate's next lease
 * request, with its age; the object then grants at most r calls, less what it
 * granted since that isolate's lease, until the reset (a reading older than
 * its reset is dropped). A 429 from RealtimeKit closes the
 * budget for its Retry-After (BUDGET_CLOSED_DEFAULT_S without one): the
 * isolate that saw it closes its own lease at once and tells the object,
 * which refuses every lease until then.
 *
 * Counting. Each rule is a ring of BUDGET_SLOTS counters of span/30 ms each.
 * The count "in the span" is the sum of every slot that overlaps it, so it is
 * never less than the true count (at most one slot's worth more).
 *
 * Ownership: every struct here is fixed-size storage owned by the caller and
 * holds no pointer, so each travels as its bytes: the host keeps a lease per
 * isolate and stores the object's state as it is. Nothing is allocated.
 */
#ifndef VC_BUDGET_H
#define VC_BUDGET_H

#include <stdint.h>

#define BUDGET_SLOTS 32
#define BUDGET_BLOCK 10              /* permits an isolate asks for at once */
#define BUDGET_SPREAD 16             /* a grant is at most 1/16 of what is free */
#define BUDGET_BURST_CALLS 250       /* RealtimeKit: 250 calls ... */
#define BUDGET_BURST_SECONDS 10      /* ... per 10 s per account */
#define BUDGET_LEASE_MAX_MS 2000u    /* a lease lives at most 2 s (rule.seconds/20 when shorter) */
#define BUDGET_CLOSED_DEFAULT_S 300u /* a 429 without Retry-After: the API's own block */
#define BUDGET_CLOSED_MAX_S 3600u     /* a longer Retry-After is read as an hour */
#define BUDGET_DEFAULT "1000/300"

typedef struct budget_rule {
    uint32_t calls;   /* 1 .. 1,000,000 */
    uint32_t seconds; /* 1 .. 86,400 */
} budget_rule;

/* Calls counted per slot of one rule's span (see "Counting" above). */
typedef struct budget_window {
    uint32_t limit;
    uint32_t span_ms;  /* the rule's seconds plus one lease lifetime */
    uint32_t slot_ms;
    uint32_t unused_;
    int64_t newest;    /* index (clock / slot_ms) of the newest slot */
    uint32_t count[BUDGET_SLOTS];
} budget_window;

/* The object's state. */
typedef struct budget_state {
    uint32_t magic;
    budget_rule rule;           /* the rule the windows count for */
    uint32_t upstream_left;     /* calls RealtimeKit said were left ... */
    double upstream_until_ms;   /* ... until then (0: no reading) */
    double closed_until_ms;     /* after a RealtimeKit 429: nothing until then */
    uint64_t granted;           /* permits granted, ever */
    uint64_t refused;           /* lease requests refused, ever */
    uint64_t upstream_429s;     /* 429s reported, ever */
    budget_window windows[2];   /* the rule; 250 per 10 s */
} budget_state;

enum { BUDGET_LEASE = 1, BUDGET_CLOSE = 2 };

/* An isolate's message to the object. */
typedef struct budget_msg {
    uint32_t magic;
    uint32_t op;                /* BUDGET_LEASE or BUDGET_CLOSE */
    budget_rule rule;
    uint32_t want;              /* LEASE: permits asked for */
    uint32_t returned;          /* LEASE: unused permits of an expired lease */
    double returned_at_ms;      /* when the object granted those (its clock) */
    uint32_t seen;              /* 1: a Ratelimit reading follows */
    uint32_t seen_left;         /* its r */
    uint32_t seen_reset_s;      /* its t */
    uint32_t retry_s;           /* CLOSE: RealtimeKit's Retry-After */
    uint32_t seen_age_ms;       /* how long ago the reading was taken */
    uint64_t seen_since;        /* the object's `granted` when the reader's lease was granted */
} budget_msg;

/* The object's answer. */
typedef struct budget_grant {
    uint32_t magic;
    uint32_t granted;           /* permits (0: refused) */
    uint32_t lease_ms;          /* how long they may be used */
    uint32_t retry_s;           /* refused: seconds until the rules free a call */
    double granted_at_ms;       /* the object's clock */
    uint64_t granted_total;     /* the object's `granted` after this grant */
} budget_grant;

/* What an isolate holds between requests. */
typedef struct budget_lease {
    uint32_t magic;
    budget_rule rule;
    uint32_t left;              /* permits not used yet */
    double expires_ms;          /* isolate clock: usable before then */
    double granted_at_ms;       /* object clock, for handing back */
    uint64_t granted_total;
    double closed_until_ms;     /* isolate clock: refused or closed until then */
    uint32_t closed_retry_s;    /* the wait that was announced */
    uint32_t seen, seen_left, seen_reset_s; /* a Ratelimit reading not sent yet ... */
    double seen_at_ms;                      /* ... taken then (isolate clock) */
} budget_lease;

/* "CALLS/SECONDS": VC_OK (0) and *rule, or -1. */
int budget_rule_parse(const char *text, budget_rule *rule);
/* How long a lease may be used, in ms: rule.seconds/20, at most 2 s. */
uint32_t budget_lease_ms(const budget_rule *rule);

/* The object's side: apply one message at `now` (the object's clock), fill
 * the answer. A state of another rule (or all zeroes) starts afresh. */
void budget_apply(budget_state *s, const budget_msg *m, double now, budget_grant *g);

/* The isolate's side. */
enum { BUDGET_TAKEN = 0, BUDGET_ASK = 1, BUDGET_WAIT = 2 };
/* Take a permit from the lease: BUDGET_TAKEN; BUDGET_WAIT with *retry_s while
 * it is closed; else BUDGET_ASK (the lease is of another rule, empty or
 * expired). */
int budget_lease_take(budget_lease *l, const budget_rule *rule, double now, uint32_t *retry_s);
/* The LEASE message to send, carrying the expired lease's unused permits and
 * any pending Ratelimit reading (both then cleared from the lease). */
void budget_lease_request(budget_lease *l, const budget_rule *rule, double now, budget_msg *m);
/* Apply the object's answer to a request sent at `asked_at`: BUDGET_TAKEN
 * (one permit used, the rest kept), or BUDGET_WAIT with *retry_s (the lease
 * closes until then). An answer that is not one (bad magic) is BUDGET_ASK. */
int budget_lease_grant(budget_lease *l, const budget_rule *rule, double asked_at, double now,
                       const budget_grant *g, uint32_t *retry_s);
/* RealtimeKit answered 429: close the lease, fill the CLOSE message. */
void budget_lease_close(budget_lease *l, const budget_rule *rule, double now, uint32_t retry_s, budget_msg *m);
/* Keep a Ratelimit reading, taken at `now`, for the next request. */
void budget_lease_observe(budget_lease *l, uint32_t left, uint32_t reset_s, double now);

/* A `Ratelimit` header ("name";r=N;t=N, possibly a list): the smallest r and
 * its t. VC_OK (0), or -1 when there is no r=/t= pair. */
int budget_ratelimit_parse(const char *header, uint32_t *left, uint32_t *reset_s);

#endif
