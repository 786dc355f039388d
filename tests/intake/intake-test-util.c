#include "intake-test-util.h"

#include <glib/gstdio.h>

#include "rk-siak-import.h"

sqlite3 *
intake_test_open_db (const char *path)
{
  const char *source = g_getenv ("REKAM_SOURCE_DIR");
  g_autofree char *migration_path = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_nonnull (source);
  migration_path = g_build_filename (source, "schemas", "migrations", "0002_intake.sql", NULL);
  g_assert_true (g_file_get_contents (migration_path, &sql, NULL, &error));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                     "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
                                 NULL, NULL, &message), ==, SQLITE_OK);
  /* Applied once: a second open of the same file finds the tables. */
  if (intake_test_count (db, "SELECT count(*) FROM sqlite_master WHERE name = 'resident'") == 0)
    {
      int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

      if (rc != SQLITE_OK)
        g_error ("migration: %s", message);
    }
  return db;
}

GInputStream *
intake_test_stream (const char *text, gssize len)
{
  if (len < 0)
    len = (gssize) strlen (text);
  return g_memory_input_stream_new_from_data (g_memdup2 (text, (gsize) len), len, g_free);
}

gboolean
intake_test_import (sqlite3 *db, const char *csv, gssize len, GError **error)
{
  g_autoptr(GInputStream) input = intake_test_stream (csv, len);
  RkSiakImportStats stats;

  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  if (!rk_siak_import (db, input, RK_CSV_ENCODING_AUTO, "test", NULL, &stats, error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  return TRUE;
}

gint64
intake_test_count (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

char *
intake_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("rekam-intake-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
intake_test_rmtree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        intake_test_rmtree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
