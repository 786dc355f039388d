/* Store: pragmas, migrations, version refusal, transactions, crash safety. */
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rk-store.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("rk-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "rekam.db", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
query_int (sqlite3 *db, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static char *
query_text (sqlite3 *db, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
test_open_pragmas (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStore) store = rk_store_open (f->path, &error);
  g_autofree char *mode = NULL;
  struct stat st;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  mode = query_text (rk_store_get_db (store), "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (rk_store_get_db (store), "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (query_int (rk_store_get_db (store), "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_migrations_applied (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStore) store = rk_store_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (rk_store_get_latest_version (), >=, 1);
  g_assert_cmpint (rk_store_get_schema_version (store), ==, rk_store_get_latest_version ());
  g_assert_cmpint (query_int (rk_store_get_db (store), "PRAGMA user_version"), ==,
                   rk_store_get_latest_version ());
  /* The core's tables exist. */
  g_assert_cmpint (query_int (rk_store_get_db (store),
                              "SELECT count(*) FROM sqlite_master WHERE name IN "
                              "('accounts','sessions','audit','audit_head')"), ==, 4);
  /* Reopening applies nothing twice (a second CREATE TABLE would fail). */
  g_clear_pointer (&store, rk_store_close);
  store = rk_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

static void
test_refuse_newer (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStore) store = rk_store_open (f->path, &error);
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  sql = g_strdup_printf ("PRAGMA user_version=%d", rk_store_get_latest_version () + 1);
  g_assert_cmpint (sqlite3_exec (rk_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_pointer (&store, rk_store_close);

  store = rk_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, RK_STORE_ERROR, RK_STORE_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer rekamd"));
}

static void
test_refuse_garbage (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStore) store = NULL;

  g_assert_true (g_file_set_contents (f->path, "this is not a database, not at all......"
                                      "................................................", -1,
                                      NULL));
  store = rk_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, RK_STORE_ERROR, RK_STORE_ERROR_FAILED);
}

static void
test_rollback (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStore) store = rk_store_open (f->path, &error);
  sqlite3 *db = rk_store_get_db (store);

  g_assert_true (rk_store_begin (store, &error));
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO accounts (username, role, pin_hash, created_at)"
                                     " VALUES ('a', 'operator', 'x', 0)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  rk_store_rollback (store);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM accounts"), ==, 0);
  /* Rolling back with nothing open is harmless. */
  rk_store_rollback (store);
  g_assert_true (sqlite3_get_autocommit (db));
}

static void
test_constraint_error (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStore) store = rk_store_open (f->path, &error);
  sqlite3 *db = rk_store_get_db (store);
  int rc;

  rc = sqlite3_exec (db, "INSERT INTO accounts (username, role, pin_hash, created_at) "
                         "VALUES ('a', 'nobody', 'x', 0)", NULL, NULL, NULL);
  g_assert_cmpint (rc, !=, SQLITE_OK);
  g_assert_false (rk_store_set_error (db, sqlite3_extended_errcode (db), "insert", &error));
  g_assert_error (error, RK_STORE_ERROR, RK_STORE_ERROR_CONSTRAINT);
}

/* A writer killed with SIGKILL in the middle of a transaction (rows written,
 * no COMMIT) leaves a database that opens, passes integrity_check and holds
 * none of the uncommitted rows, but all the committed ones. */
static void
test_kill_mid_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStore) store = NULL;
  g_autofree char *check = NULL;
  int pipe_fds[2];
  pid_t pid;
  int status;
  char c;

  store = rk_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (rk_store_get_db (store),
                                 "INSERT INTO accounts (username, role, pin_hash, created_at) "
                                 "VALUES ('committed', 'operator', 'x', 0)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_clear_pointer (&store, rk_store_close);

  g_assert_cmpint (pipe (pipe_fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* Child: a raw connection, so nothing of ours runs at exit. */
      sqlite3 *db = NULL;
      close (pipe_fds[0]);
      if (sqlite3_open (f->path, &db) != SQLITE_OK)
        _exit (1);
      sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; BEGIN IMMEDIATE",
                    NULL, NULL, NULL);
      for (int i = 0; i < 5000; i++)
        {
          char sql[160];
          g_snprintf (sql, sizeof sql, "INSERT INTO accounts (username, role, pin_hash, "
                      "created_at) VALUES ('u%d', 'operator', 'x', 0)", i);
          sqlite3_exec (db, sql, NULL, NULL, NULL);
          /* Force pages out to the WAL mid-transaction. */
          if (i == 2500)
            sqlite3_db_cacheflush (db);
        }
      if (write (pipe_fds[1], "x", 1) != 1)
        _exit (1);
      pause ();
      _exit (0);
    }
  close (pipe_fds[1]);
  g_assert_cmpint (read (pipe_fds[0], &c, 1), ==, 1);
  close (pipe_fds[0]);
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));

  store = rk_store_open (f->path, &error);
  g_assert_no_error (error);
  check = query_text (rk_store_get_db (store), "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (query_int (rk_store_get_db (store), "SELECT count(*) FROM accounts"), ==, 1);
  g_assert_cmpint (query_int (rk_store_get_db (store),
                              "SELECT count(*) FROM accounts WHERE username = 'committed'"),
                   ==, 1);
}

static void
test_worker_connection (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStore) store = rk_store_open (f->path, &error);
  sqlite3 *db;

  db = rk_store_open_connection (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_true (rk_store_db_begin (db, &error));
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO accounts (username, role, pin_hash, created_at)"
                                     " VALUES ('w', 'operator', 'x', 0)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_true (rk_store_db_commit (db, &error));
  sqlite3_close_v2 (db);
  g_assert_cmpint (query_int (rk_store_get_db (store), "SELECT count(*) FROM accounts"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/open/pragmas", test_open_pragmas);
  ADD ("/store/migrations/applied-once", test_migrations_applied);
  ADD ("/store/migrations/refuse-newer", test_refuse_newer);
  ADD ("/store/open/refuse-garbage", test_refuse_garbage);
  ADD ("/store/transaction/rollback", test_rollback);
  ADD ("/store/error/constraint", test_constraint_error);
  ADD ("/store/crash/kill-mid-transaction", test_kill_mid_transaction);
  ADD ("/store/connection/worker", test_worker_connection);
  return g_test_run ();
}
