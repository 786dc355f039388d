/* Online applications (SOP step 1): an archive (zip, or tar as rekamctl
 * sends a folder) holding one folder per application:
 *
 *   <application_id>/manifest.json   schemas/application-manifest.schema.json
 *   <application_id>/<file>          each attachment the manifest names
 *
 * Entry names must be exactly "folder/file" of [A-Za-z0-9._-] (no
 * absolute names, no "..", nothing deeper); symlinks, hard links and
 * devices are refused; an entry may hold at most 20 MiB, a manifest
 * 64 KiB, the archive 1000 entries. Attachments are checked against
 * their declared type (JPEG, PNG, PDF magic bytes) and stored sealed.
 * An application for a NIK with an open case joins that case; one whose
 * application_id was imported before is skipped (imports are idempotent).
 * The whole archive is one transaction (the caller's): any refusal
 * imports nothing. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define RK_APPLICATION_MAX_ENTRIES   1000
#define RK_APPLICATION_MAX_ENTRY     (20u * 1024 * 1024)
#define RK_APPLICATION_MAX_MANIFEST  (64u * 1024)

/* Seals @len bytes for storage (the station key); returns a new buffer
 * (g_free) and its length. */
typedef guint8 *(*RkSealFunc) (gpointer user_data, const guint8 *plaintext, gsize len,
                               gsize *ret_len);

typedef struct {
  guint applications;      /* imported now */
  guint already_imported;  /* skipped: same application_id before */
  guint cases_opened;
  guint cases_joined;
  guint attachments;
} RkApplicationImportStats;

/* Imports every application of @archive inside the caller's transaction.
 * Returns a JSON report ({"applications":[{application_id, case_id,
 * joined, attachments, status}]}, transfer full) or NULL with error
 * (RK_INTAKE_ERROR_ARCHIVE naming the entry, _MANIFEST naming the
 * application and the JSON path, store errors). */
JsonNode *rk_application_import (sqlite3                  *db,
                                 GBytes                   *archive,
                                 RkSealFunc                seal,
                                 gpointer                  seal_data,
                                 const char               *actor,
                                 RkApplicationImportStats *ret_stats,
                                 GError                  **error);

/* Validates one manifest text against the compiled-in schema; for tests
 * and `rekamd` alike. */
gboolean  rk_application_validate_manifest (const char *text, gsize len, GError **error);

G_END_DECLS
