/* rk-store.h: the SQLite store.
 *
 * RkStore owns one connection used on the main loop. Modules prepare their
 * own statements on rk_store_get_db() with bound ?N parameters. Worker
 * threads (GTask) never touch that connection: they open their own with
 * rk_store_open_connection(), which sets the same pragmas. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define RK_STORE_ERROR (rk_store_error_quark ())
GQuark rk_store_error_quark (void);

typedef enum {
  RK_STORE_ERROR_FAILED,       /* any other SQLite failure (500) */
  RK_STORE_ERROR_NEWER_SCHEMA, /* database written by a newer rekamd (500) */
  RK_STORE_ERROR_MIGRATION,    /* a migration failed; nothing applied (500) */
  RK_STORE_ERROR_NOT_FOUND,    /* a row that must exist does not (404) */
  RK_STORE_ERROR_CONSTRAINT,   /* unique/foreign-key/check violation (409) */
  RK_STORE_ERROR_BUSY,         /* locked longer than the busy timeout (503) */
  RK_STORE_ERROR_FULL,         /* disk full (507) */
} RkStoreError;

typedef struct _RkStore RkStore;

/* Opens (creating with mode 0600 if needed) the database at path, sets
 * WAL, synchronous=FULL, foreign_keys and the busy timeout, and applies
 * every pending migration in one transaction. Returns NULL with error set
 * when the file cannot be opened, a migration fails (the database is left
 * as it was) or the database is newer than this binary. */
RkStore *rk_store_open  (const char *path, GError **error);
/* rk_store_close() drops a reference; the connection closes with the last.
 * A worker task that reads the store's path or audit key takes a
 * reference so a shutdown cannot free them under it. */
RkStore *rk_store_ref   (RkStore *store);
void     rk_store_close (RkStore *store);

sqlite3    *rk_store_get_db   (RkStore *store);
const char *rk_store_get_path (RkStore *store);
/* PRAGMA user_version after migration. */
int         rk_store_get_schema_version (RkStore *store);
/* The highest migration compiled into this binary. */
int         rk_store_get_latest_version (void);

/* The key of the audit chain's keyed hash (32 bytes, copied). Set by the
 * daemon from the station key before anything is audited; without it the
 * chain is unkeyed (tests of the store alone). */
void rk_store_set_audit_key (RkStore *store, const guint8 *key, gsize len);
const guint8 *rk_store_get_audit_key (RkStore *store, gsize *ret_len);

/* A new connection to the same file with the same pragmas, for a worker
 * thread. Close with sqlite3_close_v2(). NULL with error on failure. */
sqlite3 *rk_store_open_connection (RkStore *store, GError **error);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK on the main connection. Every error
 * path after rk_store_begin() must call rk_store_rollback() (a no-op when
 * no transaction is open). */
gboolean rk_store_begin    (RkStore *store, GError **error);
gboolean rk_store_commit   (RkStore *store, GError **error);
void     rk_store_rollback (RkStore *store);

/* The same on any connection (worker threads). */
gboolean rk_store_db_begin    (sqlite3 *db, GError **error);
gboolean rk_store_db_commit   (sqlite3 *db, GError **error);
void     rk_store_db_rollback (sqlite3 *db);

/* Sets error from an SQLite result code and the connection's message,
 * choosing the RkStoreError code (CONSTRAINT, BUSY, FULL, FAILED). what
 * says what was being done ("insert resident"). Always returns FALSE so
 * callers can `return rk_store_set_error (...)`. */
gboolean rk_store_set_error (sqlite3 *db, int rc, const char *what, GError **error);

/* Prepares sql (with ?N parameters) or sets error. */
sqlite3_stmt *rk_store_prepare (sqlite3 *db, const char *sql, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkStore, rk_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
