/* Audit chain: appends verify; an edit, a deletion, a reorder and a cut
 * tail are each detected and the entry named. */
#include <glib/gstdio.h>
#include <string.h>

#include "rk-audit.h"

typedef struct {
  char    *dir;
  RkStore *store;
  RkActor *actor;
} Fixture;

static const guint8 key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("rk-audit-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "rekam.db", NULL);
  f->store = rk_store_open (path, &error);
  g_assert_no_error (error);
  rk_store_set_audit_key (f->store, key, sizeof key);
  f->actor = rk_actor_new (7, "siti", RK_ROLE_OPERATOR, RK_DOOR_TCP, -1);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  rk_store_close (f->store);
  rk_actor_free (f->actor);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
append_n (Fixture *f, int n)
{
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subject = g_strdup_printf ("case-%d", i + 1);
      g_assert_true (rk_store_begin (f->store, &error));
      g_assert_cmpint (rk_audit_append (f->store, f->actor, "case.open", subject,
                                        "{\"type\":\"first\"}", &error), >, 0);
      g_assert_true (rk_store_commit (f->store, &error));
    }
}

/* Tampering goes around the triggers, as an attacker with the file would. */
static void
tamper (Fixture *f, const char *sql)
{
  sqlite3 *db = rk_store_get_db (f->store);
  char *message = NULL;
  int rc;

  rc = sqlite3_exec (db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete", NULL,
                     NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    g_error ("tamper: %s", message);
}

static RkAuditReport *
verify (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  RkAuditReport *report = rk_audit_verify (f->store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
test_intact (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAuditReport) empty = verify (f);
  g_autoptr(RkAuditReport) report = NULL;

  g_assert_true (empty->ok);
  g_assert_cmpint (empty->entries, ==, 0);
  append_n (f, 5);
  report = verify (f);
  g_assert_true (report->ok);
  g_assert_cmpint (report->entries, ==, 5);
  g_assert_cmpint (report->bad_id, ==, 0);
}

static void
test_outside_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (rk_audit_append (f->store, f->actor, "x", NULL, NULL, &error), ==, 0);
  g_assert_error (error, RK_STORE_ERROR, RK_STORE_ERROR_FAILED);
}

static void
test_rolled_back_with_change (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkAuditReport) report = NULL;

  append_n (f, 2);
  g_assert_true (rk_store_begin (f->store, &error));
  g_assert_cmpint (rk_audit_append (f->store, f->actor, "case.open", "case-x", NULL, &error),
                   >, 0);
  rk_store_rollback (f->store);
  append_n (f, 1);
  report = verify (f);
  g_assert_true (report->ok);
  g_assert_cmpint (report->entries, ==, 3);
}

static void
test_triggers_refuse (Fixture *f, gconstpointer data)
{
  sqlite3 *db = rk_store_get_db (f->store);

  append_n (f, 2);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET action = 'x' WHERE id = 1", NULL, NULL,
                                 NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE id = 1", NULL, NULL, NULL), !=,
                   SQLITE_OK);
}

static void
test_edit_detected (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAuditReport) report = NULL;

  append_n (f, 6);
  tamper (f, "UPDATE audit SET actor = 'budi' WHERE id = 4");
  report = verify (f);
  g_assert_false (report->ok);
  g_assert_cmpint (report->bad_id, ==, 4);
  g_assert_cmpstr (report->problem, ==, "edited");
  g_assert_nonnull (strstr (report->message, "entry 4"));
}

static void
test_delete_detected (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAuditReport) report = NULL;

  append_n (f, 6);
  tamper (f, "DELETE FROM audit WHERE id = 3");
  report = verify (f);
  g_assert_false (report->ok);
  g_assert_cmpint (report->bad_id, ==, 4);
  g_assert_cmpstr (report->problem, ==, "deleted");
}

static void
test_reorder_detected (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAuditReport) report = NULL;

  append_n (f, 6);
  /* Swap entries 2 and 5 whole (content and hashes), keeping their ids. */
  tamper (f, "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE id IN (2, 5);"
             "UPDATE audit SET (at, account_id, actor, role, door, action, subject, detail, "
             "prev_hash, hash) = (SELECT at, account_id, actor, role, door, action, subject, "
             "detail, prev_hash, hash FROM t WHERE t.id = 7 - audit.id) WHERE id IN (2, 5);");
  report = verify (f);
  g_assert_false (report->ok);
  g_assert_cmpint (report->bad_id, ==, 2);
  g_assert_cmpstr (report->problem, ==, "reordered");
}

static void
test_tail_cut_detected (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAuditReport) report = NULL;

  append_n (f, 6);
  tamper (f, "DELETE FROM audit WHERE id >= 5");
  report = verify (f);
  g_assert_false (report->ok);
  g_assert_cmpint (report->bad_id, ==, 6);
  g_assert_cmpstr (report->problem, ==, "deleted");
}

/* Rewriting an entry and its hash without the key is still caught: the
 * chain is keyed. */
static void
test_rehash_without_key_detected (Fixture *f, gconstpointer data)
{
  g_autoptr(RkAuditReport) report = NULL;

  append_n (f, 3);
  tamper (f, "UPDATE audit SET action = 'case.delete', hash = zeroblob(32) WHERE id = 3;"
             "UPDATE audit_head SET hash = zeroblob(32)");
  report = verify (f);
  g_assert_false (report->ok);
  g_assert_cmpint (report->bad_id, ==, 3);
  g_assert_cmpstr (report->problem, ==, "edited");
}

static void
test_mask_nik (void)
{
  g_autofree char *masked = rk_audit_mask_nik ("3671134501900001");
  g_autofree char *bad = rk_audit_mask_nik ("12345");

  g_assert_cmpstr (masked, ==, "3671xxxxxxxx0001");
  g_assert_cmpstr (bad, ==, "(invalid)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/audit/chain/intact", test_intact);
  ADD ("/audit/append/outside-transaction", test_outside_transaction);
  ADD ("/audit/append/rolled-back-with-change", test_rolled_back_with_change);
  ADD ("/audit/triggers/refuse-update-delete", test_triggers_refuse);
  ADD ("/audit/verify/edit-named", test_edit_detected);
  ADD ("/audit/verify/delete-named", test_delete_detected);
  ADD ("/audit/verify/reorder-named", test_reorder_detected);
  ADD ("/audit/verify/tail-cut", test_tail_cut_detected);
  ADD ("/audit/verify/rehash-without-key", test_rehash_without_key_detected);
  g_test_add_func ("/audit/mask-nik", test_mask_nik);
  return g_test_run ();
}
