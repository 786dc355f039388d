/* Any bytes as a SIAK extract: the import either succeeds or fails with
 * an intake error, never crashes, and a failure leaves no resident. */
#include <stdint.h>
#include <stdlib.h>

#include "rk-intake-error.h"
#include "rk-siak-import.h"

static sqlite3 *
open_db (void)
{
  static char *sql;
  const char *source = getenv ("REKAM_SOURCE_DIR");
  sqlite3 *db = NULL;

  if (sql == NULL)
    {
      g_autofree char *path = g_build_filename (source ? source : REKAM_SOURCE_DIR_DEFAULT, "schemas", "migrations",
                                                "0002_intake.sql", NULL);

      if (!g_file_get_contents (path, &sql, NULL, NULL))
        abort ();
    }
  sqlite3_open (":memory:", &db);
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    abort ();
  return db;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  sqlite3 *db = open_db ();
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);
  g_autoptr(GError) error = NULL;
  RkSiakImportStats stats;
  sqlite3_stmt *count = NULL;

  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  if (!rk_siak_import (db, input, RK_CSV_ENCODING_AUTO, "fuzz", NULL, &stats, &error))
    {
      if (error == NULL || error->domain != RK_INTAKE_ERROR)
        abort ();
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM resident", -1, &count, NULL);
      if (sqlite3_step (count) != SQLITE_ROW || sqlite3_column_int (count, 0) != 0)
        abort ();
      sqlite3_finalize (count);
    }
  else
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  return 0;
}
