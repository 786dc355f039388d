/* The intake room's one GError domain. Each code maps to an HTTP status
 * and a JSON error code (rk_intake_error_to_http / _to_code) for the API. */
#pragma once

#include <glib.h>

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

G_END_DECLS
