/* Accounts, PINs, lockout and sessions against a real store. */
#include <glib/gstdio.h>
#include <string.h>

#include "rk-accounts.h"
#include "rk-api.h"
#include "rk-audit.h"

typedef struct {
  char    *dir;
  RkStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("rk-auth-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "rekam.db", NULL);
  f->store = rk_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  rk_store_close (f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static RkAccount *
make_account (Fixture *f, const char *username, RkRole role, const char *pin)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = rk_pin_hash (pin, &error);
  RkAccount *account;

  g_assert_no_error (error);
  g_assert_cmpint (rk_accounts_insert (f->store, rk_actor_system (), username, role, hash,
                                       &error), >, 0);
  g_assert_no_error (error);
  account = rk_accounts_lookup (f->store, username, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

static void
test_pin_format (void)
{
  const char *good[] = { "1234", "000000", "123456789012" };
  const char *bad[] = { "", "123", "1234567890123", "12a4", "12 34", "١٢٣٤" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (rk_pin_check_format (good[i], NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (rk_pin_check_format (bad[i], &error));
      g_assert_cmpstr (rk_api_error_get_field (error), ==, "pin");
    }
  g_assert_true (rk_username_check_format ("siti.r", NULL));
  g_assert_false (rk_username_check_format ("Siti", NULL));
  g_assert_false (rk_username_check_format ("1siti", NULL));
  g_assert_false (rk_username_check_format ("si ti", NULL));
}

static void
test_pin_hash_argon2id (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAccount) account = make_account (f, "siti", RK_ROLE_OPERATOR, "482913");

  g_assert_true (g_str_has_prefix (account->pin_hash, "$argon2id$"));
  g_assert_null (strstr (account->pin_hash, "482913"));
  g_assert_true (rk_pin_verify (account->pin_hash, "482913"));
  g_assert_false (rk_pin_verify (account->pin_hash, "482914"));
}

static void
test_duplicate_username (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAccount) account = make_account (f, "siti", RK_ROLE_OPERATOR, "482913");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (rk_accounts_insert (f->store, rk_actor_system (), "siti",
                                       RK_ROLE_SUPERVISOR, "x", &error), ==, 0);
  g_assert_error (error, RK_STORE_ERROR, RK_STORE_ERROR_CONSTRAINT);
}

static void
test_lockout (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAccount) account = make_account (f, "budi", RK_ROLE_OPERATOR, "1111");
  g_autoptr(RkAccount) reloaded = NULL;
  g_autoptr(RkAccount) unlocked = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (int i = 0; i < 2; i++)
    g_assert_true (rk_accounts_record_login (f->store, account, FALSE, 3, 60, &error));
  g_assert_cmpint (account->locked_until, ==, 0);
  g_assert_true (rk_accounts_record_login (f->store, account, FALSE, 3, 60, &error));
  g_assert_cmpint (account->locked_until, >=, now + 59);

  reloaded = rk_accounts_lookup (f->store, "budi", &error);
  g_assert_cmpint (reloaded->locked_until, ==, account->locked_until);

  g_assert_true (rk_accounts_update (f->store, rk_actor_system (), "budi", RK_ROLE_NONE, NULL,
                                     -1, TRUE, &error));
  unlocked = rk_accounts_lookup (f->store, "budi", &error);
  g_assert_cmpint (unlocked->locked_until, ==, 0);
  g_assert_cmpint (unlocked->failed_pins, ==, 0);
}

static void
test_success_resets_failures (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAccount) account = make_account (f, "budi", RK_ROLE_OPERATOR, "1111");
  g_autoptr(GError) error = NULL;

  g_assert_true (rk_accounts_record_login (f->store, account, FALSE, 3, 60, &error));
  g_assert_true (rk_accounts_record_login (f->store, account, FALSE, 3, 60, &error));
  g_assert_true (rk_accounts_record_login (f->store, account, TRUE, 3, 60, &error));
  g_assert_true (rk_accounts_record_login (f->store, account, FALSE, 3, 60, &error));
  g_assert_cmpint (account->locked_until, ==, 0);
}

static void
test_session_roundtrip (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAccount) account = make_account (f, "ani", RK_ROLE_SUPERVISOR, "2222");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = rk_sessions_create (f->store, account, "pin", &error);
  g_autoptr(RkActor) actor = NULL;
  g_autoptr(RkActor) gone = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (token), >=, 40);
  actor = rk_sessions_lookup (f->store, token, 60, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actor->username, ==, "ani");
  g_assert_cmpint (actor->role, ==, RK_ROLE_SUPERVISOR);
  g_assert_cmpint (actor->door, ==, RK_DOOR_TCP);

  /* Only the hash is stored. */
  stmt = rk_store_prepare (rk_store_get_db (f->store),
                           "SELECT count(*) FROM sessions WHERE token_hash = ?1", &error);
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);

  g_assert_true (rk_sessions_delete (f->store, actor, token, &error));
  gone = rk_sessions_lookup (f->store, token, 60, &error);
  g_assert_null (gone);
  g_assert_error (error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED);
}

static void
test_session_idle_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAccount) account = make_account (f, "ani", RK_ROLE_SUPERVISOR, "2222");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = rk_sessions_create (f->store, account, "pin", &error);
  g_autoptr(RkActor) actor = NULL;

  g_assert_cmpint (sqlite3_exec (rk_store_get_db (f->store),
                                 "UPDATE sessions SET last_seen = last_seen - 120", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  actor = rk_sessions_lookup (f->store, token, 60, &error);
  g_assert_null (actor);
  g_assert_error (error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED);
  g_assert_nonnull (strstr (error->message, "expired"));
}

static void
test_session_purge (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAccount) account = make_account (f, "ani", RK_ROLE_SUPERVISOR, "2222");
  g_autoptr(GError) error = NULL;
  g_autofree char *old = rk_sessions_create (f->store, account, "pin", &error);
  g_autofree char *fresh = NULL;
  g_autoptr(RkActor) actor = NULL;

  g_assert_cmpint (sqlite3_exec (rk_store_get_db (f->store),
                                 "UPDATE sessions SET last_seen = last_seen - 1000", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  fresh = rk_sessions_create (f->store, account, "pin", &error);
  g_assert_cmpint (rk_sessions_purge (f->store, 600, &error), ==, 1);
  actor = rk_sessions_lookup (f->store, fresh, 600, &error);
  g_assert_no_error (error);
  g_assert_nonnull (actor);
}

static void
test_session_bad_token (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkActor) actor = rk_sessions_lookup (f->store, "not-a-token", 60, &error);

  g_assert_null (actor);
  g_assert_error (error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED);
}

static void
test_changes_audited (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAccount) account = make_account (f, "ani", RK_ROLE_SUPERVISOR, "2222");
  g_autoptr(GError) error = NULL;
  g_autoptr(RkAuditReport) report = NULL;

  g_assert_true (rk_accounts_record_login (f->store, account, TRUE, 3, 60, &error));
  report = rk_audit_verify (f->store, &error);
  g_assert_true (report->ok);
  g_assert_cmpint (report->entries, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  g_test_add_func ("/auth/pin/format", test_pin_format);
  ADD ("/auth/pin/argon2id", test_pin_hash_argon2id);
  ADD ("/auth/account/duplicate", test_duplicate_username);
  ADD ("/auth/lockout/after-failures", test_lockout);
  ADD ("/auth/lockout/success-resets", test_success_resets_failures);
  ADD ("/auth/session/roundtrip", test_session_roundtrip);
  ADD ("/auth/session/idle-expiry", test_session_idle_expiry);
  ADD ("/auth/session/bad-token", test_session_bad_token);
  ADD ("/auth/session/purge-idle", test_session_purge);
  ADD ("/auth/audit/changes-audited", test_changes_audited);
  return g_test_run ();
}
