/* Any bytes as an application archive: refused with an intake error or
 * imported, never a crash or an out-of-bounds read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rk-application.h"
#include "rk-intake-error.h"

static guint8 *
copy_seal (gpointer user_data, const guint8 *plaintext, gsize len, gsize *ret_len)
{
  *ret_len = len;
  return g_memdup2 (plaintext, len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *sql;
  const char *source = getenv ("REKAM_SOURCE_DIR");
  sqlite3 *db = NULL;
  g_autoptr(GBytes) archive = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = NULL;

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
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  report = rk_application_import (db, archive, copy_seal, NULL, "fuzz", NULL, &error);
  if (report == NULL && (error == NULL || error->domain != RK_INTAKE_ERROR))
    abort ();
  sqlite3_exec (db, report ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  /* Also the manifest validator alone, on the same bytes. */
  g_clear_error (&error);
  rk_application_validate_manifest ((const char *) data, size, &error);
  return 0;
}
