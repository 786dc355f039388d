/* rk-accounts.h: staff accounts (PIN, role, lockout) and TCP sessions.
 * Core-internal: modules see only RkActor. */
#pragma once

#include <gio/gio.h>

#include "rk-auth.h"
#include "rk-store.h"

G_BEGIN_DECLS

#define RK_PIN_MIN_DIGITS 4
#define RK_PIN_MAX_DIGITS 12

typedef struct {
  gint64  id;
  char   *username;
  RkRole  role;
  char   *pin_hash;       /* crypto_pwhash_str output */
  gint64  failed_pins;
  gint64  locked_until;   /* unix seconds */
  gboolean disabled;
  gint64  created_at;
} RkAccount;

void rk_account_free (RkAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkAccount, rk_account_free)

/* A PIN is RK_PIN_MIN..MAX_DIGITS ASCII digits. Sets an RK_API_ERROR
 * naming field "pin" otherwise. */
gboolean rk_pin_check_format (const char *pin, GError **error);
/* A username is 1..64 of [a-z0-9._-], starting with a letter. */
gboolean rk_username_check_format (const char *username, GError **error);

/* argon2id (crypto_pwhash_str, interactive limits). Slow (~0.1-1 s, 64 MiB):
 * call from a worker thread, except at start-up. NULL with error when out
 * of memory. */
char    *rk_pin_hash   (const char *pin, GError **error);
gboolean rk_pin_verify (const char *pin_hash, const char *pin);

/* NULL without error when absent. */
RkAccount *rk_accounts_lookup (RkStore *store, const char *username, GError **error);
/* All accounts, ordered by username (RkAccount, transfer full). */
GPtrArray *rk_accounts_list   (RkStore *store, GError **error);

/* Inserts with audit entry "account.create", inside its own transaction.
 * RK_STORE_ERROR_CONSTRAINT when the username is taken. Returns the id. */
gint64 rk_accounts_insert (RkStore *store, const RkActor *by, const char *username,
                           RkRole role, const char *pin_hash, GError **error);
/* Changes any of role (RK_ROLE_NONE: keep), pin_hash (NULL: keep), disabled
 * (-1: keep), and unlock (resets failures). Audited "account.update". */
gboolean rk_accounts_update (RkStore *store, const RkActor *by, const char *username,
                             RkRole role, const char *pin_hash, int disabled,
                             gboolean unlock, GError **error);
/* Records the outcome of a PIN check: success clears the failure count;
 * a failure counts and locks the account for lockout_seconds once it
 * reaches max_failures. Audited "session.login" / "session.login-failed" /
 * "account.locked". Returns FALSE only on store errors. */
gboolean rk_accounts_record_login (RkStore *store, RkAccount *account, gboolean ok,
                                   int max_failures, int lockout_seconds, GError **error);

/* Sessions: the token is 32 random bytes, base64url; only its BLAKE2b hash is
 * stored. Returns the token (transfer full). */
char    *rk_sessions_create (RkStore *store, const RkAccount *account, const char *method,
                             GError **error);
/* The actor for a token whose session was used within idle_seconds, or NULL
 * with RK_API_ERROR_UNAUTHENTICATED. Refreshes last_seen. */
RkActor *rk_sessions_lookup (RkStore *store, const char *token, int idle_seconds,
                             GError **error);
/* Deletes sessions unused for idle_seconds (abandoned kiosks never call
 * logout). Returns the number removed, -1 on error. */
int      rk_sessions_purge  (RkStore *store, int idle_seconds, GError **error);
/* Deletes the session; audited "session.logout". */
gboolean rk_sessions_delete (RkStore *store, const RkActor *actor, const char *token,
                             GError **error);

G_END_DECLS
