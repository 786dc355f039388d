#include "rk-intake-error.h"

#include <sqlite3.h>

G_DEFINE_QUARK (rk-intake-error-quark, rk_intake_error)

static const struct {
  guint       http;
  const char *code;
} error_table[] = {
  [RK_INTAKE_ERROR_NIK_INVALID]  = { 400, "nik_invalid" },
  [RK_INTAKE_ERROR_NOT_ELIGIBLE] = { 409, "not_eligible" },
  [RK_INTAKE_ERROR_NOT_FOUND]    = { 404, "not_found" },
  [RK_INTAKE_ERROR_CSV]          = { 400, "csv_invalid" },
  [RK_INTAKE_ERROR_ENCODING]     = { 400, "encoding_invalid" },
  [RK_INTAKE_ERROR_INVALID]      = { 400, "invalid" },
  [RK_INTAKE_ERROR_MANIFEST]     = { 400, "manifest_invalid" },
  [RK_INTAKE_ERROR_ARCHIVE]      = { 400, "archive_refused" },
  [RK_INTAKE_ERROR_CHECKLIST]    = { 409, "checklist_incomplete" },
  [RK_INTAKE_ERROR_STATE]        = { 409, "state_conflict" },
  [RK_INTAKE_ERROR_STORE]        = { 500, "store_error" },
  [RK_INTAKE_ERROR_FULL]         = { 507, "storage_full" },
  [RK_INTAKE_ERROR_IO]           = { 500, "io_error" },
};

guint
rk_intake_error_to_http (gint code)
{
  if (code < 0 || (gsize) code >= G_N_ELEMENTS (error_table))
    return 500;
  return error_table[code].http;
}

const char *
rk_intake_error_to_code (gint code)
{
  if (code < 0 || (gsize) code >= G_N_ELEMENTS (error_table))
    return "internal";
  return error_table[code].code;
}

gboolean
rk_intake_set_sqlite_error (GError **error, void *db, const char *what)
{
  int rc = sqlite3_extended_errcode (db);
  int primary = rc & 0xff;

  if (primary == SQLITE_FULL || primary == SQLITE_IOERR)
    g_set_error (error, RK_INTAKE_ERROR,
                 primary == SQLITE_FULL ? RK_INTAKE_ERROR_FULL : RK_INTAKE_ERROR_STORE,
                 "%s: %s (the storage is full or failing; nothing was changed)",
                 what, sqlite3_errmsg (db));
  else
    g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_STORE, "%s: %s",
                 what, sqlite3_errmsg (db));
  return FALSE;
}

RkIntakeStmt *
rk_intake_prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      rk_intake_set_sqlite_error (error, db, "prepare statement");
      return NULL;
    }
  return stmt;
}

gboolean
rk_intake_exec (sqlite3 *db, const char *sql, const char *what, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return rk_intake_set_sqlite_error (error, db, what);
  return TRUE;
}

gboolean
rk_intake_step_done (sqlite3 *db, sqlite3_stmt *stmt, const char *what, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return rk_intake_set_sqlite_error (error, db, what);
  return TRUE;
}
