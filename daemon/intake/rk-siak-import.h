/* Import of the station's SIAK extract (layout: schemas/siak-extract.md).
 *
 * The import runs inside the caller's transaction (rk_store_begin or
 * rk_store_db_begin), so a file that fails anywhere changes nothing once
 * the caller rolls back, and the audit entry commits with the data. A
 * resident already present is updated in place (the NIK is the key). */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "rk-csv-reader.h"

G_BEGIN_DECLS

typedef struct {
  gint64        import_id;   /* the siak_import row */
  guint64       rows;        /* data rows read */
  guint64       inserted;    /* residents new to the store */
  guint64       updated;     /* rows that replaced an existing resident */
  RkCsvEncoding encoding;    /* what the file turned out to be */
} RkSiakImportStats;

/* The columns, in the documented order (any order is accepted). */
extern const char *const rk_siak_columns[];
#define RK_SIAK_N_COLUMNS 13

/* Reads @input to the end and writes every row. Returns FALSE with error
 * (naming line and column for bad data, RK_INTAKE_ERROR_FULL when the
 * disk is full) and leaves @ret_stats untouched on failure; the caller
 * must roll back. @actor is the username recorded on the import. */
gboolean rk_siak_import (sqlite3           *db,
                         GInputStream      *input,
                         RkCsvEncoding      encoding,
                         const char        *actor,
                         GCancellable      *cancellable,
                         RkSiakImportStats *ret_stats,
                         GError           **error);

/* Current UTC time as ISO 8601 ("2025-06-01T08:30:00Z"). */
char *rk_intake_now_iso (void);

G_END_DECLS
