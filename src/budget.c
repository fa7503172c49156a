/* budget.c - see budget.h. */
#include "budget.h"

#include <string.h>

#include "host.h" /* VC_OK */

#define STATE_MAGIC 0x62647374u /* "bdst" */
#define MSG_MAGIC 0x62646d73u   /* "bdms" */
#define GRANT_MAGIC 0x62646772u /* "bdgr" */
#define LEASE_MAGIC 0x62646c73u /* "bdls" */

/* Digits only, at most 7 of them, into *out. */
static int parse_count(const char *s, size_t len, uint32_t *out) {
    uint32_t v = 0;
    if (len == 0 || len > 7) return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    *out = v;
    return VC_OK;
}

int budget_rule_parse(const char *text, budget_rule *rule) {
    const char *slash = strchr(text, '/');
    budget_rule r;
    if (!slash || parse_count(text, (size_t)(slash - text), &r.calls) != VC_OK ||
        parse_count(slash + 1, strlen(slash + 1), &r.seconds) != VC_OK)
        return -1;
    if (r.calls < 1 || r.calls > 1000000 || r.seconds < 1 || r.seconds > 86400) return -1;
    *rule = r;
    return VC_OK;
}

uint32_t budget_lease_ms(const budget_rule *rule) {
    uint32_t ms = rule->seconds * 50u; /* seconds * 1000 / 20 */
    return ms < BUDGET_LEASE_MAX_MS ? ms : BUDGET_LEASE_MAX_MS;
}

static uint32_t ceil_seconds(double ms) {
    if (ms <= 0) return 1;
    uint32_t s = (uint32_t)(ms / 1000.0);
    if ((double)s * 1000.0 < ms) s++;
    return s ? s : 1;
}

/* ---- one rule's window ------------------------------------------------- */

static void window_init(budget_window *w, uint32_t limit, uint32_t seconds, uint32_t lease_ms) {
    memset(w, 0, sizeof *w);
    w->limit = limit;
    w->span_ms = seconds * 1000u + lease_ms;
    /* span/(SLOTS-2), rounded up: a span then overlaps at most SLOTS slots */
    w->slot_ms = (w->span_ms + BUDGET_SLOTS - 3) / (BUDGET_SLOTS - 2);
}

static int64_t slot_of(const budget_window *w, double ms) { return (int64_t)(ms / w->slot_ms); }

/* Move the ring to `now`: slots that fall out of it are cleared. A clock that
 * went back counts in the newest slot. */
static void window_advance(budget_window *w, double now) {
    int64_t k = slot_of(w, now);
    if (k <= w->newest) return;
    int64_t clear = k - w->newest < BUDGET_SLOTS ? k - w->newest : BUDGET_SLOTS;
    for (int64_t j = k - clear + 1; j <= k; j++) w->count[j % BUDGET_SLOTS] = 0;
    w->newest = k;
}

/* The oldest slot that overlaps the span ending at now. */
static int64_t window_first(const budget_window *w, double now) {
    int64_t first = slot_of(w, now - w->span_ms);
    return first > w->newest - BUDGET_SLOTS + 1 ? first : w->newest - BUDGET_SLOTS + 1;
}

static uint32_t window_used(const budget_window *w, double now) {
    uint64_t used = 0;
    for (int64_t j = window_first(w, now); j <= w->newest; j++) used += w->count[j % BUDGET_SLOTS];
    return used > UINT32_MAX ? UINT32_MAX : (uint32_t)used;
}

/* ms from now until the window has room for one more call. */
static double window_wait(const budget_window *w, double now) {
    uint32_t used = window_used(w, now);
    if (used < w->limit) return 0;
    uint64_t freed = 0;
    for (int64_t j = window_first(w, now); j <= w->newest; j++) {
        freed += w->count[j % BUDGET_SLOTS];
        if (used - freed < w->limit) return (double)(j + 1) * w->slot_ms + w->span_ms - now;
    }
    return w->span_ms;
}

static void window_add(budget_window *w, uint32_t n) { w->count[w->newest % BUDGET_SLOTS] += n; }

/* Unused permits granted at `at`: taken off that slot while it is counted. */
static void window_give_back(budget_window *w, double at, uint32_t n) {
    int64_t k = slot_of(w, at);
    if (k > w->newest || k <= w->newest - BUDGET_SLOTS) return;
    uint32_t *c = &w->count[k % BUDGET_SLOTS];
    *c -= n < *c ? n : *c;
}

/* ---- the object's side ------------------------------------------------- */

static void state_init(budget_state *s, const budget_rule *rule, double now) {
    uint32_t lease_ms = budget_lease_ms(rule);
    memset(s, 0, sizeof *s);
    s->magic = STATE_MAGIC;
    s->rule = *rule;
    window_init(&s->windows[0], rule->calls, rule->seconds, lease_ms);
    window_init(&s->windows[1], BUDGET_BURST_CALLS, BUDGET_BURST_SECONDS, lease_ms);
    for (int i = 0; i < 2; i++) s->windows[i].newest = slot_of(&s->windows[i], now);
}

static void refuse(budget_state *s, double wait_ms, budget_grant *g) {
    s->refused++;
    g->retry_s = ceil_seconds(wait_ms);
}

static void lease(budget_state *s, const budget_msg *m, double now, budget_grant *g) {
    if (m->returned)
        for (int i = 0; i < 2; i++) window_give_back(&s->windows[i], m->returned_at_ms, m->returned);
    double reset_at = now - m->seen_age_ms + (double)m->seen_reset_s * 1000.0;
    if (m->seen && reset_at > now) {
        uint64_t since = s->granted > m->seen_since ? s->granted - m->seen_since : 0;
        s->upstream_left = since < m->seen_left ? m->seen_left - (uint32_t)since : 0;
        s->upstream_until_ms = reset_at;
    }
    if (s->closed_until_ms > now) {
        refuse(s, s->closed_until_ms - now, g);
        return;
    }

    uint32_t free = UINT32_MAX;
    double wait = 0;
    for (int i = 0; i < 2; i++) {
        uint32_t used = window_used(&s->windows[i], now);
        uint32_t room = used < s->windows[i].limit ? s->windows[i].limit - used : 0;
        if (room < free) free = room;
        double w = window_wait(&s->windows[i], now);
        if (w > wait) wait = w;
    }
    int upstream = s->upstream_until_ms > now;
    if (upstream && s->upstream_left < free) {
        free = s->upstream_left;
        if (free == 0 && s->upstream_until_ms - now > wait) wait = s->upstream_until_ms - now;
    }
    if (free == 0) {
        refuse(s, wait, g);
        return;
    }

    uint32_t n = free / BUDGET_SPREAD;
    uint32_t want = m->want ? m->want : 1;
    if (n < 1) n = 1;
    if (n > want) n = want;
    for (int i = 0; i < 2; i++) window_add(&s->windows[i], n);
    if (upstream) s->upstream_left -= n;
    s->granted += n;
    g->granted = n;
    g->lease_ms = budget_lease_ms(&s->rule);
}

void budget_apply(budget_state *s, const budget_msg *m, double now, budget_grant *g) {
    memset(g, 0, sizeof *g);
    g->magic = GRANT_MAGIC;
    g->granted_at_ms = now;
    if (m->magic != MSG_MAGIC || budget_lease_ms(&m->rule) == 0) {
        g->retry_s = 1;
        return;
    }
    if (s->magic != STATE_MAGIC || s->rule.calls != m->rule.calls || s->rule.seconds != m->rule.seconds)
        state_init(s, &m->rule, now);
    for (int i = 0; i < 2; i++) window_advance(&s->windows[i], now);
    if (m->op == BUDGET_CLOSE) {
        uint32_t wait = m->retry_s ? m->retry_s : BUDGET_CLOSED_DEFAULT_S;
        double until = now + (double)(wait < BUDGET_CLOSED_MAX_S ? wait : BUDGET_CLOSED_MAX_S) * 1000.0;
        if (until > s->closed_until_ms) s->closed_until_ms = until;
        s->upstream_429s++;
        g->retry_s = ceil_seconds(s->closed_until_ms - now);
    } else {
        lease(s, m, now, g);
    }
    g->granted_total = s->granted;
}

/* ---- the isolate's side ------------------------------------------------ */

static int same_rule(const budget_lease *l, const budget_rule *rule) {
    return l->magic == LEASE_MAGIC && l->rule.calls == rule->calls && l->rule.seconds == rule->seconds;
}

static void lease_reset(budget_lease *l, const budget_rule *rule) {
    memset(l, 0, sizeof *l);
    l->magic = LEASE_MAGIC;
    l->rule = *rule;
}

int budget_lease_take(budget_lease *l, const budget_rule *rule, double now, uint32_t *retry_s) {
    if (!same_rule(l, rule)) lease_reset(l, rule);
    if (l->closed_until_ms > now) {
        *retry_s = ceil_seconds(l->closed_until_ms - now);
        return BUDGET_WAIT;
    }
    if (l->left == 0 || now >= l->expires_ms) return BUDGET_ASK;
    l->left--;
    return BUDGET_TAKEN;
}

void budget_lease_request(budget_lease *l, const budget_rule *rule, double now, budget_msg *m) {
    memset(m, 0, sizeof *m);
    if (!same_rule(l, rule)) lease_reset(l, rule);
    m->magic = MSG_MAGIC;
    m->op = BUDGET_LEASE;
    m->rule = *rule;
    m->want = BUDGET_BLOCK;
    if (l->left && now >= l->expires_ms) { /* expired: hand back what was not used */
        m->returned = l->left;
        m->returned_at_ms = l->granted_at_ms;
        l->left = 0;
    }
    if (l->seen) {
        m->seen = 1;
        m->seen_left = l->seen_left;
        m->seen_reset_s = l->seen_reset_s;
        double age = now - l->seen_at_ms;
        m->seen_age_ms = age <= 0 ? 0 : age >= 4e9 ? 4000000000u : (uint32_t)age;
        m->seen_since = l->granted_total;
        l->seen = 0;
    }
}

int budget_lease_grant(budget_lease *l, const budget_rule *rule, double asked_at, double now,
                       const budget_grant *g, uint32_t *retry_s) {
    if (!same_rule(l, rule)) lease_reset(l, rule);
    if (g->magic != GRANT_MAGIC) return BUDGET_ASK;
    if (g->granted == 0) {
        *retry_s = g->retry_s ? g->retry_s : 1;
        double until = now + (double)*retry_s * 1000.0;
        if (until > l->closed_until_ms) {
            l->closed_until_ms = until;
            l->closed_retry_s = *retry_s;
        }
        return BUDGET_WAIT;
    }
    /* usable for 3/4 of the lifetime from when it was asked: the rest is the
     * margin for clocks and transit (budget.h) */
    double expires = asked_at + (double)g->lease_ms * 0.75;
    uint32_t rest = g->granted - 1;
    if (l->left && now < l->expires_ms) { /* two leases in hand: one, expiring with the first */
        if (l->expires_ms < expires) expires = l->expires_ms;
        if (g->granted_at_ms < l->granted_at_ms) l->granted_at_ms = g->granted_at_ms; /* the older slot */
        l->left += rest;
    } else {
        l->left = rest;
        l->granted_at_ms = g->granted_at_ms;
    }
    l->expires_ms = expires;
    l->granted_total = g->granted_total;
    return BUDGET_TAKEN;
}

void budget_lease_close(budget_lease *l, const budget_rule *rule, double now, uint32_t retry_s, budget_msg *m) {
    if (!same_rule(l, rule)) lease_reset(l, rule);
    uint32_t wait = retry_s ? retry_s : BUDGET_CLOSED_DEFAULT_S;
    if (wait > BUDGET_CLOSED_MAX_S) wait = BUDGET_CLOSED_MAX_S;
    double until = now + (double)wait * 1000.0;
    if (until > l->closed_until_ms) {
        l->closed_until_ms = until;
        l->closed_retry_s = wait;
    }
    memset(m, 0, sizeof *m);
    m->magic = MSG_MAGIC;
    m->op = BUDGET_CLOSE;
    m->rule = *rule;
    m->retry_s = wait;
}

void budget_lease_observe(budget_lease *l, uint32_t left, uint32_t reset_s, double now) {
    if (l->magic != LEASE_MAGIC) return;
    l->seen = 1;
    l->seen_left = left;
    l->seen_reset_s = reset_s;
    l->seen_at_ms = now;
}

/* The digits after `key` ("r=" / "t=") inside [s, end), or -1. */
static int param(const char *s, const char *end, char key, uint32_t *out) {
    for (const char *p = s; p + 2 < end; p++) {
        if (p[0] != ';' || p[1] != key || p[2] != '=') continue;
        const char *d = p + 3, *e = d;
        while (e < end && *e >= '0' && *e <= '9') e++;
        return parse_count(d, (size_t)(e - d), out);
    }
    return -1;
}

int budget_ratelimit_parse(const char *header, uint32_t *left, uint32_t *reset_s) {
    int found = -1;
    for (const char *item = header; *item;) {
        const char *end = strchr(item, ',');
        if (!end) end = item + strlen(item);
        uint32_t r, t;
        if (param(item, end, 'r', &r) == VC_OK && param(item, end, 't', &t) == VC_OK && (found != VC_OK || r < *left)) {
            *left = r;
            *reset_s = t;
            found = VC_OK;
        }
        item = *end ? end + 1 : end;
    }
    return found;
}
