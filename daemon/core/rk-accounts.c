/* rk-accounts.c: staff accounts, PINs (argon2id) and sessions. */
#include "rk-accounts.h"

#include <sodium.h>
#include <string.h>

#include "rk-api.h"
#include "rk-audit.h"

#define TOKEN_BYTES 32
#define TOKEN_HASH_BYTES 32

/* Only write last_seen when it moved by this much: a session in use would
 * otherwise turn every read request into a disk write. */
#define LAST_SEEN_GRANULARITY 30

void
rk_account_free (RkAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->username);
  if (account->pin_hash != NULL)
    sodium_memzero (account->pin_hash, strlen (account->pin_hash));
  g_free (account->pin_hash);
  g_free (account);
}

gboolean
rk_pin_check_format (const char *pin, GError **error)
{
  gsize len = pin != NULL ? strlen (pin) : 0;

  if (len < RK_PIN_MIN_DIGITS || len > RK_PIN_MAX_DIGITS || strspn (pin, "0123456789") != len)
    {
      rk_api_set_field_error (error, RK_API_ERROR_INVALID_FIELD, "pin",
                              "a PIN is %d to %d digits", RK_PIN_MIN_DIGITS, RK_PIN_MAX_DIGITS);
      return FALSE;
    }
  return TRUE;
}

gboolean
rk_username_check_format (const char *username, GError **error)
{
  gsize len = username != NULL ? strlen (username) : 0;

  if (len < 1 || len > 64 || !g_ascii_islower (username[0]) ||
      strspn (username, "abcdefghijklmnopqrstuvwxyz0123456789._-") != len)
    {
      rk_api_set_field_error (error, RK_API_ERROR_INVALID_FIELD, "username",
                              "a username is 1 to 64 of a-z 0-9 . _ -, starting with a letter");
      return FALSE;
    }
  return TRUE;
}

char *
rk_pin_hash (const char *pin, GError **error)
{
  char out[crypto_pwhash_STRBYTES];

  if (sodium_init () < 0 ||
      crypto_pwhash_str (out, pin, strlen (pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_UNAVAILABLE,
                           "not enough memory to hash the PIN");
      return NULL;
    }
  return g_strdup (out);
}

gboolean
rk_pin_verify (const char *pin_hash, const char *pin)
{
  if (pin_hash == NULL || pin == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (pin_hash, pin, strlen (pin)) == 0;
}

static RkAccount *
account_from_row (sqlite3_stmt *stmt)
{
  RkAccount *account = g_new0 (RkAccount, 1);

  account->id = sqlite3_column_int64 (stmt, 0);
  account->username = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  account->role = rk_role_from_string ((const char *) sqlite3_column_text (stmt, 2));
  account->pin_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  account->failed_pins = sqlite3_column_int64 (stmt, 4);
  account->locked_until = sqlite3_column_int64 (stmt, 5);
  account->disabled = sqlite3_column_int (stmt, 6) != 0;
  account->created_at = sqlite3_column_int64 (stmt, 7);
  return account;
}

#define ACCOUNT_COLUMNS \
  "id, username, role, pin_hash, failed_pins, locked_until, disabled, created_at"

RkAccount *
rk_accounts_lookup (RkStore *store, const char *username, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = rk_store_get_db (store);
  int rc;

  stmt = rk_store_prepare (db, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE username = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return account_from_row (stmt);
  if (rc != SQLITE_DONE)
    rk_store_set_error (db, rc, "look up account", error);
  return NULL;
}

GPtrArray *
rk_accounts_list (RkStore *store, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) rk_account_free);
  sqlite3 *db = rk_store_get_db (store);
  int rc;

  stmt = rk_store_prepare (db, "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY username",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "list accounts", error);
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

gint64
rk_accounts_insert (RkStore *store, const RkActor *by, const char *username, RkRole role,
                    const char *pin_hash, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *detail = NULL;
  sqlite3 *db = rk_store_get_db (store);
  gint64 id;
  int rc;

  if (!rk_store_begin (store, error))
    return 0;
  stmt = rk_store_prepare (db, "INSERT INTO accounts (username, role, pin_hash, created_at) "
                               "VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    {
      rk_store_rollback (store);
      return 0;
    }
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rk_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, pin_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        g_set_error (error, RK_STORE_ERROR, RK_STORE_ERROR_CONSTRAINT,
                     "an account named '%s' exists already", username);
      else
        rk_store_set_error (db, rc, "create account", error);
      rk_store_rollback (store);
      return 0;
    }
  id = sqlite3_last_insert_rowid (db);
  detail = g_strdup_printf ("{\"role\":\"%s\"}", rk_role_to_string (role));
  if (rk_audit_append (store, by, "account.create", username, detail, error) == 0 ||
      !rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return 0;
    }
  return id;
}

gboolean
rk_accounts_update (RkStore *store, const RkActor *by, const char *username, RkRole role,
                    const char *pin_hash, int disabled, gboolean unlock, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *detail = NULL;
  sqlite3 *db = rk_store_get_db (store);
  int rc;

  if (!rk_store_begin (store, error))
    return FALSE;
  /* One statement, each column kept when its parameter is NULL. */
  stmt = rk_store_prepare (db,
                           "UPDATE accounts SET "
                           "role = coalesce (?2, role), "
                           "pin_hash = coalesce (?3, pin_hash), "
                           "disabled = coalesce (?4, disabled), "
                           "failed_pins = CASE WHEN ?5 THEN 0 ELSE failed_pins END, "
                           "locked_until = CASE WHEN ?5 THEN 0 ELSE locked_until END "
                           "WHERE username = ?1", error);
  if (stmt == NULL)
    {
      rk_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  if (role != RK_ROLE_NONE)
    sqlite3_bind_text (stmt, 2, rk_role_to_string (role), -1, SQLITE_STATIC);
  if (pin_hash != NULL)
    sqlite3_bind_text (stmt, 3, pin_hash, -1, SQLITE_TRANSIENT);
  if (disabled >= 0)
    sqlite3_bind_int (stmt, 4, disabled ? 1 : 0);
  sqlite3_bind_int (stmt, 5, unlock ? 1 : 0);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "update account", error);
      rk_store_rollback (store);
      return FALSE;
    }
  if (sqlite3_changes (db) == 0)
    {
      rk_store_rollback (store);
      g_set_error (error, RK_STORE_ERROR, RK_STORE_ERROR_NOT_FOUND,
                   "no account named '%s'", username);
      return FALSE;
    }
  json_builder_begin_object (builder);
  if (role != RK_ROLE_NONE)
    {
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, rk_role_to_string (role));
    }
  json_builder_set_member_name (builder, "pin_changed");
  json_builder_add_boolean_value (builder, pin_hash != NULL);
  if (disabled >= 0)
    {
      json_builder_set_member_name (builder, "disabled");
      json_builder_add_boolean_value (builder, disabled != 0);
    }
  json_builder_set_member_name (builder, "unlock");
  json_builder_add_boolean_value (builder, unlock);
  json_builder_end_object (builder);
  json_generator_set_root (generator, json_builder_get_root (builder));
  detail = json_generator_to_data (generator, NULL);
  if (rk_audit_append (store, by, "account.update", username, detail, error) == 0 ||
      !rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

gboolean
rk_accounts_record_login (RkStore *store, RkAccount *account, gboolean ok, int max_failures,
                          int lockout_seconds, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(RkActor) actor = rk_actor_new (account->id, account->username, account->role,
                                           RK_DOOR_TCP, -1);
  sqlite3 *db = rk_store_get_db (store);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean lock = FALSE;
  int rc;

  if (ok)
    {
      account->failed_pins = 0;
      account->locked_until = 0;
    }
  else
    {
      account->failed_pins++;
      if (max_failures > 0 && account->failed_pins >= max_failures)
        {
          lock = TRUE;
          account->locked_until = now + lockout_seconds;
          account->failed_pins = 0;
        }
    }
  if (!rk_store_begin (store, error))
    return FALSE;
  stmt = rk_store_prepare (db, "UPDATE accounts SET failed_pins = ?2, locked_until = ?3 "
                               "WHERE id = ?1", error);
  if (stmt == NULL)
    {
      rk_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, account->id);
  sqlite3_bind_int64 (stmt, 2, account->failed_pins);
  sqlite3_bind_int64 (stmt, 3, account->locked_until);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "record login", error);
      rk_store_rollback (store);
      return FALSE;
    }
  if (rk_audit_append (store, actor, ok ? "session.login" : "session.login-failed",
                       account->username, NULL, error) == 0 ||
      (lock && rk_audit_append (store, actor, "account.locked", account->username, NULL,
                                error) == 0) ||
      !rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static void
token_hash (const char *token, guint8 *ret_hash)
{
  crypto_generichash (ret_hash, TOKEN_HASH_BYTES, (const guint8 *) token, strlen (token),
                      NULL, 0);
}

char *
rk_sessions_create (RkStore *store, const RkAccount *account, const char *method,
                    GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint8 raw[TOKEN_BYTES];
  char token[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  guint8 hash[TOKEN_HASH_BYTES];
  sqlite3 *db = rk_store_get_db (store);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (token, sizeof token, raw, sizeof raw,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (raw, sizeof raw);
  token_hash (token, hash);

  stmt = rk_store_prepare (db, "INSERT INTO sessions (token_hash, account_id, method, "
                               "created_at, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, account->id);
  sqlite3_bind_text (stmt, 3, method, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "create session", error);
      return NULL;
    }
  return g_strdup (token);
}

RkActor *
rk_sessions_lookup (RkStore *store, const char *token, int idle_seconds, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint8 hash[TOKEN_HASH_BYTES];
  sqlite3 *db = rk_store_get_db (store);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 last_seen;
  RkActor *actor;
  int rc;

  if (token == NULL || token[0] == '\0' || strlen (token) > 128)
    {
      g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED,
                           "log in first (POST /v1/sessions)");
      return NULL;
    }
  token_hash (token, hash);
  stmt = rk_store_prepare (db,
                           "SELECT a.id, a.username, a.role, s.last_seen, a.disabled "
                           "FROM sessions s JOIN accounts a ON a.id = s.account_id "
                           "WHERE s.token_hash = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        rk_store_set_error (db, rc, "look up session", error);
      else
        g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED,
                             "the session is unknown or has ended; log in again");
      return NULL;
    }
  last_seen = sqlite3_column_int64 (stmt, 3);
  if (sqlite3_column_int (stmt, 4) != 0 || now - last_seen > idle_seconds)
    {
      g_autoptr(sqlite3_stmt) del = NULL;
      g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED,
                           "the session has expired; log in again");
      del = rk_store_prepare (db, "DELETE FROM sessions WHERE token_hash = ?1", NULL);
      if (del != NULL)
        {
          sqlite3_bind_blob (del, 1, hash, sizeof hash, SQLITE_TRANSIENT);
          sqlite3_step (del);
        }
      return NULL;
    }
  actor = rk_actor_new (sqlite3_column_int64 (stmt, 0),
                        (const char *) sqlite3_column_text (stmt, 1),
                        rk_role_from_string ((const char *) sqlite3_column_text (stmt, 2)),
                        RK_DOOR_TCP, -1);
  if (now - last_seen >= LAST_SEEN_GRANULARITY)
    {
      g_autoptr(sqlite3_stmt) touch = NULL;
      touch = rk_store_prepare (db, "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
                                NULL);
      if (touch != NULL)
        {
          sqlite3_bind_blob (touch, 1, hash, sizeof hash, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (touch, 2, now);
          sqlite3_step (touch);
        }
    }
  return actor;
}

int
rk_sessions_purge (RkStore *store, int idle_seconds, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = rk_store_get_db (store);
  int rc;

  stmt = rk_store_prepare (db, "DELETE FROM sessions WHERE last_seen < ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC - idle_seconds);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "purge sessions", error);
      return -1;
    }
  return sqlite3_changes (db);
}

gboolean
rk_sessions_delete (RkStore *store, const RkActor *actor, const char *token, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint8 hash[TOKEN_HASH_BYTES];
  sqlite3 *db = rk_store_get_db (store);
  int rc;

  token_hash (token, hash);
  if (!rk_store_begin (store, error))
    return FALSE;
  stmt = rk_store_prepare (db, "DELETE FROM sessions WHERE token_hash = ?1", error);
  if (stmt == NULL)
    {
      rk_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "end session", error);
      rk_store_rollback (store);
      return FALSE;
    }
  if (rk_audit_append (store, actor, "session.logout", actor->username, NULL, error) == 0 ||
      !rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}
