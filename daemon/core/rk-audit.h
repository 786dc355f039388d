/* rk-audit.h: the append-only, hash-chained audit trail.
 *
 * Each entry stores the hash of the previous entry and its own hash over
 * (previous hash || canonical entry), so an edit, a deletion or a swap of
 * two entries breaks the chain at a place verify can name. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "rk-auth.h"
#include "rk-store.h"

G_BEGIN_DECLS

/* Appends one entry inside the caller's transaction (the caller has called
 * rk_store_begin(); the entry commits or rolls back with the change it
 * describes). action is a short verb phrase ("case.refer"), subject a case
 * id or a masked NIK (never a full NIK or a name), detail_json a JSON
 * object text or NULL. Returns the new entry's id (>0) or 0 with error set. */
gint64 rk_audit_append    (RkStore       *store,
                           const RkActor *actor,
                           const char    *action,
                           const char    *subject,
                           const char    *detail_json,
                           GError       **error);
/* The same on a raw connection, for worker threads that opened their own
 * connection with rk_store_open_connection(); also inside a transaction
 * on that connection. store only supplies the chain key (read-only, safe
 * from any thread). */
gint64 rk_audit_append_db (RkStore       *store,
                           sqlite3       *db,
                           const RkActor *actor,
                           const char    *action,
                           const char    *subject,
                           const char    *detail_json,
                           GError       **error);

typedef struct {
  gboolean  ok;          /* the whole chain verified */
  gint64    entries;     /* entries checked */
  gint64    bad_id;      /* id of the first entry that fails, 0 when ok */
  char     *problem;     /* "edited", "deleted", "reordered" or NULL */
  char     *message;     /* human sentence naming the entry, or NULL */
} RkAuditReport;

void rk_audit_report_free (RkAuditReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkAuditReport, rk_audit_report_free)

/* Walks the chain. Returns NULL only when the store cannot be read; a
 * broken chain is a report with ok = FALSE. */
RkAuditReport *rk_audit_verify (RkStore *store, GError **error);
/* The same on a worker thread's own connection (rk_store_open_connection),
 * so a long chain does not hold up the main loop. */
RkAuditReport *rk_audit_verify_db (RkStore *store, sqlite3 *db, GError **error);

/* Masks a NIK for subjects and logs: "3671xxxxxxxx0001" keeps region and
 * serial only. Returns a new string; a non-NIK input gives "(invalid)". */
char *rk_audit_mask_nik (const char *nik);

G_END_DECLS
