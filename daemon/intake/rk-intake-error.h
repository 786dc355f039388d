/* The intake room's one GError domain. Each code maps to an HTTP status
 * and a JSON error code (rk_intake_error_to_http / _to_code) for the API. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define RK_INTAKE_ERROR (rk_intake_error_quark ())
GQuark rk_intake_error_quark (void);

typedef enum {
  RK_INTAKE_ERROR_NIK_INVALID,        /* 400: NIK failed validation */
  RK_INTAKE_ERROR_NOT_ELIGIBLE,       /* 409: too young and never married */
  RK_INTAKE_ERROR_NOT_FOUND,          /* 404: resident, case, referral... */
  RK_INTAKE_ERROR_CSV,                /* 400: malformed extract (line/column) */
  RK_INTAKE_ERROR_ENCODING,           /* 400: neither UTF-8 nor Latin-1 */
  RK_INTAKE_ERROR_INVALID,            /* 400: a field value is wrong */
  RK_INTAKE_ERROR_MANIFEST,           /* 400: application manifest invalid */
  RK_INTAKE_ERROR_ARCHIVE,            /* 400: zip/folder refused */
  RK_INTAKE_ERROR_CHECKLIST,          /* 409: required document unchecked */
  RK_INTAKE_ERROR_STATE,              /* 409: illegal case transition */
  RK_INTAKE_ERROR_STORE,              /* 500: SQLite failed */
  RK_INTAKE_ERROR_FULL,               /* 507: disk or database full */
  RK_INTAKE_ERROR_IO,                 /* 500: reading input failed */
} RkIntakeError;

guint        rk_intake_error_to_http (gint code);
const char  *rk_intake_error_to_code (gint code);

/* Sets @error from the connection's last SQLite error; @what says which
 * step failed. SQLITE_FULL maps to RK_INTAKE_ERROR_FULL. Returns FALSE so
 * callers can `return rk_intake_set_sqlite_error (...)`. */
gboolean     rk_intake_set_sqlite_error (GError     **error,
                                         void        *db,
                                         const char  *what);

/* Our own name for a statement, so that g_autoptr works here without
 * clashing with the core's cleanup function for sqlite3_stmt. */
typedef sqlite3_stmt RkIntakeStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkIntakeStmt, sqlite3_finalize)

/* sqlite3_prepare_v2 or NULL with error set. */
RkIntakeStmt *rk_intake_prepare (sqlite3 *db, const char *sql, GError **error);
/* sqlite3_exec of constant SQL (no parameters), error naming @what. */
gboolean      rk_intake_exec (sqlite3 *db, const char *sql, const char *what,
                              GError **error);
/* Steps @stmt to SQLITE_DONE or sets error naming @what. */
gboolean      rk_intake_step_done (sqlite3 *db, sqlite3_stmt *stmt, const char *what,
                                   GError **error);

G_END_DECLS
