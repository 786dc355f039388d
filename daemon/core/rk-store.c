/* rk-store.c: the SQLite store, its pragmas, migrations and transactions. */
#include "rk-store.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rk-schemas.h"

/* Long enough for a writer thread's import transaction to commit a batch,
 * short enough that a stuck writer shows up as 503 rather than a hang. */
#define RK_STORE_BUSY_TIMEOUT_MS 5000

struct _RkStore {
  gint     ref_count;              /* worker tasks may hold one past close */
  sqlite3 *db;                     /* main-loop connection */
  char    *path;
  int      schema_version;         /* user_version after migration */
  guint8   audit_key[32];
  gboolean has_audit_key;
};

G_DEFINE_QUARK (rk-store-error-quark, rk_store_error)

gboolean
rk_store_set_error (sqlite3 *db, int rc, const char *what, GError **error)
{
  RkStoreError code = RK_STORE_ERROR_FAILED;

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      code = RK_STORE_ERROR_CONSTRAINT;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = RK_STORE_ERROR_BUSY;
      break;
    case SQLITE_FULL:
      code = RK_STORE_ERROR_FULL;
      break;
    default:
      break;
    }
  g_set_error (error, RK_STORE_ERROR, code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

sqlite3_stmt *
rk_store_prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      rk_store_set_error (db, rc, "prepare", error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

static gboolean
exec (sqlite3 *db, const char *sql, const char *what, GError **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return rk_store_set_error (db, rc, what, error);
  return TRUE;
}

static int
pragma_int (sqlite3 *db, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

/* Opens one connection with the house pragmas. WAL must be confirmed by the
 * pragma's answer: on a filesystem without shared memory SQLite silently
 * stays in rollback mode, and we would rather know. */
static sqlite3 *
open_connection (const char *path, gboolean create, GError **error)
{
  sqlite3 *db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  int rc;

  if (create)
    flags |= SQLITE_OPEN_CREATE;
  rc = sqlite3_open_v2 (path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RK_STORE_ERROR, RK_STORE_ERROR_FAILED,
                   "cannot open database %s: %s", path,
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, RK_STORE_BUSY_TIMEOUT_MS);

  rc = sqlite3_prepare_v2 (db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
  if (rc != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW ||
      g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0)
    {
      g_set_error (error, RK_STORE_ERROR, RK_STORE_ERROR_FAILED,
                   "database %s cannot use WAL journaling: %s", path, sqlite3_errmsg (db));
      g_clear_pointer (&stmt, sqlite3_finalize);
      sqlite3_close_v2 (db);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!exec (db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", "set pragmas", error))
    {
      sqlite3_close_v2 (db);
      return NULL;
    }
  return db;
}

gboolean
rk_store_db_begin (sqlite3 *db, GError **error)
{
  return exec (db, "BEGIN IMMEDIATE", "begin transaction", error);
}

gboolean
rk_store_db_commit (sqlite3 *db, GError **error)
{
  if (!exec (db, "COMMIT", "commit", error))
    {
      /* A failed COMMIT (disk full) may leave the transaction open; the
       * contract is that an error leaves nothing half-done. */
      rk_store_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

void
rk_store_db_rollback (sqlite3 *db)
{
  if (db != NULL && !sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
rk_store_begin (RkStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return rk_store_db_begin (store->db, error);
}

gboolean
rk_store_commit (RkStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return rk_store_db_commit (store->db, error);
}

void
rk_store_rollback (RkStore *store)
{
  g_return_if_fail (store != NULL);
  rk_store_db_rollback (store->db);
}

int
rk_store_get_latest_version (void)
{
  int latest = 0;

  for (gsize i = 0; i < rk_schema_n_migrations; i++)
    latest = MAX (latest, rk_schema_migrations[i].version);
  return latest;
}

/* Applies every migration newer than user_version in one transaction: a
 * failure in the third leaves the first two unapplied as well, so the
 * database is always at a version some binary knows. */
static gboolean
migrate (RkStore *store, GError **error)
{
  int current;
  int latest = rk_store_get_latest_version ();

  if (!rk_store_begin (store, error))
    return FALSE;
  current = pragma_int (store->db, "PRAGMA user_version");
  if (current < 0)
    {
      rk_store_rollback (store);
      return rk_store_set_error (store->db, sqlite3_errcode (store->db),
                                 "read schema version", error);
    }
  if (current > latest)
    {
      rk_store_rollback (store);
      g_set_error (error, RK_STORE_ERROR, RK_STORE_ERROR_NEWER_SCHEMA,
                   "database %s has schema version %d but this rekamd knows only up to %d; "
                   "it was written by a newer rekamd: install that version or restore a backup",
                   store->path, current, latest);
      return FALSE;
    }
  for (gsize i = 0; i < rk_schema_n_migrations; i++)
    {
      const RkSchemaMigration *m = &rk_schema_migrations[i];
      g_autofree char *pragma = NULL;
      char *message = NULL;
      int rc;

      if (m->version <= current)
        continue;
      rc = sqlite3_exec (store->db, m->sql, NULL, NULL, &message);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, RK_STORE_ERROR, RK_STORE_ERROR_MIGRATION,
                       "migration %04d_%s failed: %s; database left at version %d",
                       m->version, m->name, message != NULL ? message : sqlite3_errstr (rc),
                       current);
          sqlite3_free (message);
          rk_store_rollback (store);
          return FALSE;
        }
      /* PRAGMA takes no bound parameters; the value is our own integer. */
      pragma = g_strdup_printf ("PRAGMA user_version=%d", m->version);
      if (!exec (store->db, pragma, "set schema version", error))
        {
          rk_store_rollback (store);
          return FALSE;
        }
      g_debug ("store: applied migration %04d_%s", m->version, m->name);
    }
  if (!rk_store_commit (store, error))
    return FALSE;
  store->schema_version = MAX (current, latest);
  return TRUE;
}

RkStore *
rk_store_open (const char *path, GError **error)
{
  g_autoptr(RkStore) store = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Create the file ourselves so it is 0600 from the first byte; SQLite
   * would use the umask. The -wal and -shm files inherit the main file's
   * permissions. */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RK_STORE_ERROR, RK_STORE_ERROR_FAILED,
                   "cannot open database %s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (fchmod (fd, 0600) != 0)
    g_debug ("store: cannot chmod database: %s", g_strerror (errno));
  close (fd);

  store = g_new0 (RkStore, 1);
  store->ref_count = 1;
  store->path = g_strdup (path);
  store->db = open_connection (path, TRUE, error);
  if (store->db == NULL)
    return NULL;
  if (!migrate (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

RkStore *
rk_store_ref (RkStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_atomic_int_inc (&store->ref_count);
  return store;
}

void
rk_store_close (RkStore *store)
{
  if (store == NULL || !g_atomic_int_dec_and_test (&store->ref_count))
    return;
  if (store->db != NULL)
    {
      rk_store_db_rollback (store->db);
      /* Fold the WAL back so the database is one file at rest. */
      sqlite3_wal_checkpoint_v2 (store->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      sqlite3_close_v2 (store->db);
    }
  sodium_memzero (store->audit_key, sizeof store->audit_key);
  g_free (store->path);
  g_free (store);
}

sqlite3 *
rk_store_get_db (RkStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->db;
}

const char *
rk_store_get_path (RkStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->path;
}

int
rk_store_get_schema_version (RkStore *store)
{
  g_return_val_if_fail (store != NULL, -1);
  return store->schema_version;
}

sqlite3 *
rk_store_open_connection (RkStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  return open_connection (store->path, FALSE, error);
}

void
rk_store_set_audit_key (RkStore *store, const guint8 *key, gsize len)
{
  g_return_if_fail (store != NULL);
  g_return_if_fail (key != NULL && len == sizeof store->audit_key);
  memcpy (store->audit_key, key, len);
  store->has_audit_key = TRUE;
}

const guint8 *
rk_store_get_audit_key (RkStore *store, gsize *ret_len)
{
  g_return_val_if_fail (store != NULL, NULL);
  if (!store->has_audit_key)
    {
      if (ret_len != NULL)
        *ret_len = 0;
      return NULL;
    }
  if (ret_len != NULL)
    *ret_len = sizeof store->audit_key;
  return store->audit_key;
}
