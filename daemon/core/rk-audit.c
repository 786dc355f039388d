/* rk-audit.c: the hash-chained audit trail. */
#include "rk-audit.h"

#include <sodium.h>
#include <string.h>

#define HASH_BYTES 32

static const guint8 genesis[HASH_BYTES] = { 0 };

static const char *
door_name (RkDoor door)
{
  switch (door)
    {
    case RK_DOOR_UNIX:
      return "unix";
    case RK_DOOR_TCP:
      return "tcp";
    case RK_DOOR_INTERNAL:
    default:
      return "internal";
    }
}

/* The canonical entry: each field as a 4-byte big-endian length then its
 * bytes (NULL as length 0xffffffff), so no two different entries serialise
 * alike. The row id is not part of it: position is carried by the chain,
 * which lets verify tell a moved entry from an edited one. */
static void
hash_field (crypto_generichash_state *state, const char *text)
{
  guint8 len[4];
  guint32 n = text != NULL ? (guint32) strlen (text) : 0xffffffffu;

  len[0] = (guint8) (n >> 24);
  len[1] = (guint8) (n >> 16);
  len[2] = (guint8) (n >> 8);
  len[3] = (guint8) n;
  crypto_generichash_update (state, len, sizeof len);
  if (text != NULL)
    crypto_generichash_update (state, (const guint8 *) text, strlen (text));
}

static void
entry_hash (RkStore *store, const guint8 *prev, const char *at, gint64 account_id,
            const char *actor, const char *role, const char *door, const char *action,
            const char *subject, const char *detail, guint8 *ret_hash)
{
  crypto_generichash_state state;
  gsize key_len = 0;
  const guint8 *key = rk_store_get_audit_key (store, &key_len);
  char account[32];

  g_snprintf (account, sizeof account, "%" G_GINT64_FORMAT, account_id);
  crypto_generichash_init (&state, key, key_len, HASH_BYTES);
  crypto_generichash_update (&state, prev, HASH_BYTES);
  hash_field (&state, at);
  hash_field (&state, account);
  hash_field (&state, actor);
  hash_field (&state, role);
  hash_field (&state, door);
  hash_field (&state, action);
  hash_field (&state, subject);
  hash_field (&state, detail);
  crypto_generichash_final (&state, ret_hash, HASH_BYTES);
}

gint64
rk_audit_append_db (RkStore *store, sqlite3 *db, const RkActor *actor, const char *action,
                    const char *subject, const char *detail_json, GError **error)
{
  g_autoptr(sqlite3_stmt) head = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  guint8 prev[HASH_BYTES];
  guint8 hash[HASH_BYTES];
  const char *role;
  const char *door;
  gint64 id;
  int rc;

  g_return_val_if_fail (store != NULL && db != NULL, 0);
  g_return_val_if_fail (actor != NULL && action != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* Outside a transaction the entry could commit without its change. */
  if (sqlite3_get_autocommit (db))
    {
      g_set_error (error, RK_STORE_ERROR, RK_STORE_ERROR_FAILED,
                   "audit entry %s written outside a transaction", action);
      return 0;
    }

  head = rk_store_prepare (db, "SELECT hash FROM audit_head WHERE one = 1", error);
  if (head == NULL)
    return 0;
  rc = sqlite3_step (head);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (head, 0) == HASH_BYTES)
    memcpy (prev, sqlite3_column_blob (head, 0), HASH_BYTES);
  else if (rc == SQLITE_DONE)
    memcpy (prev, genesis, HASH_BYTES);
  else
    {
      rk_store_set_error (db, rc, "read audit head", error);
      return 0;
    }

  role = rk_role_to_string (actor->role);
  door = door_name (actor->door);
  entry_hash (store, prev, at, actor->account_id, actor->username, role, door, action,
              subject, detail_json, hash);

  insert = rk_store_prepare (db,
                             "INSERT INTO audit (at, account_id, actor, role, door, action, "
                             "subject, detail, prev_hash, hash) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_text (insert, 1, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 2, actor->account_id);
  sqlite3_bind_text (insert, 3, actor->username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 4, role, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, door, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 7, subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 8, detail_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (insert, 9, prev, HASH_BYTES, SQLITE_TRANSIENT);
  sqlite3_bind_blob (insert, 10, hash, HASH_BYTES, SQLITE_TRANSIENT);
  rc = sqlite3_step (insert);
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "append audit entry", error);
      return 0;
    }
  id = sqlite3_last_insert_rowid (db);

  update = rk_store_prepare (db,
                             "INSERT INTO audit_head (one, last_id, hash) VALUES (1, ?1, ?2) "
                             "ON CONFLICT (one) DO UPDATE SET last_id = ?1, hash = ?2", error);
  if (update == NULL)
    return 0;
  sqlite3_bind_int64 (update, 1, id);
  sqlite3_bind_blob (update, 2, hash, HASH_BYTES, SQLITE_TRANSIENT);
  rc = sqlite3_step (update);
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "update audit head", error);
      return 0;
    }
  return id;
}

gint64
rk_audit_append (RkStore *store, const RkActor *actor, const char *action,
                 const char *subject, const char *detail_json, GError **error)
{
  g_return_val_if_fail (store != NULL, 0);
  return rk_audit_append_db (store, rk_store_get_db (store), actor, action, subject,
                             detail_json, error);
}

void
rk_audit_report_free (RkAuditReport *report)
{
  if (report == NULL)
    return;
  g_free (report->problem);
  g_free (report->message);
  g_free (report);
}

static RkAuditReport *
report_bad (RkAuditReport *report, gint64 id, const char *problem, char *message)
{
  report->ok = FALSE;
  report->bad_id = id;
  report->problem = g_strdup (problem);
  report->message = message;
  return report;
}

/* A row's stored hash, to answer "is this prev_hash some other row's hash?"
 * when the chain breaks: found elsewhere means the entries were moved,
 * found nowhere means the predecessor was deleted. */
static gint64
find_hash (sqlite3 *db, const guint8 *hash)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT id FROM audit WHERE hash = ?1", -1, &stmt, NULL)
      != SQLITE_OK)
    return 0;
  sqlite3_bind_blob (stmt, 1, hash, HASH_BYTES, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

static RkAuditReport *verify_in_transaction (RkAuditReport *report, RkStore *store,
                                             sqlite3 *db, GError **error);

RkAuditReport *
rk_audit_verify (RkStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  return rk_audit_verify_db (store, rk_store_get_db (store), error);
}

RkAuditReport *
rk_audit_verify_db (RkStore *store, sqlite3 *db, GError **error)
{
  RkAuditReport *report;
  gboolean own = FALSE;

  g_return_val_if_fail (store != NULL && db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* One read transaction: the chain and its head are seen at one moment
   * even while the main loop appends. */
  if (sqlite3_get_autocommit (db))
    {
      if (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        {
          rk_store_set_error (db, sqlite3_errcode (db), "begin audit read", error);
          return NULL;
        }
      own = TRUE;
    }
  report = verify_in_transaction (g_new0 (RkAuditReport, 1), store, db, error);
  if (own)
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  return report;
}

static RkAuditReport *
verify_in_transaction (RkAuditReport *report_in, RkStore *store, sqlite3 *db, GError **error)
{
  g_autoptr(RkAuditReport) report = report_in;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) head = NULL;
  guint8 prev[HASH_BYTES];
  gint64 last_id = 0;
  int rc;

  memcpy (prev, genesis, HASH_BYTES);
  report->ok = TRUE;
  stmt = rk_store_prepare (db,
                           "SELECT id, at, account_id, actor, role, door, action, subject, "
                           "detail, prev_hash, hash FROM audit ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const guint8 *stored_prev = sqlite3_column_blob (stmt, 9);
      const guint8 *stored_hash = sqlite3_column_blob (stmt, 10);
      guint8 computed[HASH_BYTES];

      report->entries++;
      if (sqlite3_column_bytes (stmt, 9) != HASH_BYTES ||
          sqlite3_column_bytes (stmt, 10) != HASH_BYTES)
        return report_bad (g_steal_pointer (&report), id, "edited",
                           g_strdup_printf ("audit entry %" G_GINT64_FORMAT " was edited: "
                                            "its hash fields are damaged", id));

      entry_hash (store, stored_prev, (const char *) sqlite3_column_text (stmt, 1),
                  sqlite3_column_int64 (stmt, 2), (const char *) sqlite3_column_text (stmt, 3),
                  (const char *) sqlite3_column_text (stmt, 4),
                  (const char *) sqlite3_column_text (stmt, 5),
                  (const char *) sqlite3_column_text (stmt, 6),
                  (const char *) sqlite3_column_text (stmt, 7),
                  (const char *) sqlite3_column_text (stmt, 8), computed);
      if (sodium_memcmp (computed, stored_hash, HASH_BYTES) != 0)
        return report_bad (g_steal_pointer (&report), id, "edited",
                           g_strdup_printf ("audit entry %" G_GINT64_FORMAT " was edited: "
                                            "its content no longer matches its hash", id));
      if (sodium_memcmp (stored_prev, prev, HASH_BYTES) != 0)
        {
          gint64 other = find_hash (db, stored_prev);
          if (other != 0 || sodium_memcmp (stored_prev, genesis, HASH_BYTES) == 0)
            return report_bad (g_steal_pointer (&report), id, "reordered",
                               g_strdup_printf ("audit entry %" G_GINT64_FORMAT " is out of "
                                                "order: it follows entry %" G_GINT64_FORMAT
                                                " in the chain, not %" G_GINT64_FORMAT,
                                                id, other, last_id));
          return report_bad (g_steal_pointer (&report), id, "deleted",
                             g_strdup_printf ("an audit entry before entry %" G_GINT64_FORMAT
                                              " (after entry %" G_GINT64_FORMAT ") was deleted",
                                              id, last_id));
        }
      memcpy (prev, stored_hash, HASH_BYTES);
      last_id = id;
    }
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "read audit trail", error);
      return NULL;
    }

  /* The head names the last entry ever written: a shorter chain lost its end. */
  head = rk_store_prepare (db, "SELECT last_id, hash FROM audit_head WHERE one = 1", error);
  if (head == NULL)
    return NULL;
  rc = sqlite3_step (head);
  if (rc == SQLITE_ROW)
    {
      gint64 head_id = sqlite3_column_int64 (head, 0);
      if (head_id != last_id || sqlite3_column_bytes (head, 1) != HASH_BYTES ||
          sodium_memcmp (sqlite3_column_blob (head, 1), prev, HASH_BYTES) != 0)
        return report_bad (g_steal_pointer (&report), head_id, "deleted",
                           g_strdup_printf ("the last audit entries were deleted: the chain "
                                            "ends at entry %" G_GINT64_FORMAT " but entry %"
                                            G_GINT64_FORMAT " was written", last_id, head_id));
    }
  else if (rc == SQLITE_DONE)
    {
      if (report->entries > 0)
        return report_bad (g_steal_pointer (&report), last_id, "edited",
                           g_strdup ("the audit head is missing"));
    }
  else
    {
      rk_store_set_error (db, rc, "read audit head", error);
      return NULL;
    }
  return g_steal_pointer (&report);
}

char *
rk_audit_mask_nik (const char *nik)
{
  if (nik == NULL || strlen (nik) != 16 || strspn (nik, "0123456789") != 16)
    return g_strdup ("(invalid)");
  /* Region and serial stay (enough to tell cases apart for an auditor);
   * the birth date in the middle goes. */
  return g_strdup_printf ("%.4sxxxxxxxx%.4s", nik, nik + 12);
}
