/* The durable queue: a record is accepted only when both its envelope file
 * and its queue row are on disk, in this order:
 *
 *   1. envelope written to queue/tmp/<id>.env.<random>   (worker thread)
 *   2. fsync(tmp file)
 *   3. link() into queue/<id>.env (fails if it exists: never replaces),
 *      unlink the tmp name
 *   4. fsync(queue/)                  -> the file is durable under its name
 *   5. INSERT row + audit, COMMIT     (main loop; WAL, synchronous=FULL)
 *   6. 201 to the caller
 *
 * A crash between any two steps leaves either nothing the caller was told
 * about (1-5: tmp files and row-less envelopes are removed at start-up,
 * the caller got no 201 and records again) or a complete record (after 5).
 * A row never exists without its fsynced file, so nothing half-written can
 * be queued; the uploader re-hashes the file before every attempt anyway. */
#define _GNU_SOURCE /* O_DIRECTORY, statvfs types */
#include "rk-record.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "an2k.h"
#include "rk-an2k-build.h"
#include "rk-audit.h"
#include "rk-crypto.h"
#include "rk-record-error.h"
#include "rk-record-failpoint.h"
#include "rk-store.h"

char *
rk_record_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* A small JSON object text for audit details: name/value string pairs,
 * NULL-terminated. Values are escaped by json-glib. */
char *
rk_record_detail_json (const char *first_name, ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_name);
  for (const char *name = first_name; name; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, value ? value : "");
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
fsync_dir (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, RK_RECORD_ERROR, RK_RECORD_ERROR_IO, "cannot fsync %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
valid_record_id (const char *id)
{
  gsize n = strlen (id);

  if (n == 0 || n > 40 || id[0] == '.')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_' && id[i] != '.')
      return FALSE;
  return TRUE;
}

/* --- recovery -------------------------------------------------------- */

static gboolean
row_exists_for_file (sqlite3 *db, const char *file, gboolean *ret_exists, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = rk_store_prepare (db, "SELECT 1 FROM record_queue WHERE envelope_file = ?1",
                                                   error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, file, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rk_store_set_error (db, rc, "look up queue file", error);
  *ret_exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
row_is_sent (sqlite3 *db, const char *file)
{
  g_autoptr(sqlite3_stmt) stmt = rk_store_prepare (
    db, "SELECT 1 FROM record_queue WHERE envelope_file = ?1 AND state = 'sent'", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, file, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

gboolean
rk_record_queue_recover (RkRecord *record, GError **error)
{
  RkStore *store = rk_daemon_get_store (record->daemon);
  sqlite3 *db = rk_store_get_db (store);
  g_autoptr(GDir) tmp = g_dir_open (record->tmp_dir, 0, error);
  g_autoptr(GDir) queue = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint removed_tmp = 0, removed_orphans = 0;

  if (tmp == NULL)
    return FALSE;
  /* 1-3: a tmp file is never a record */
  while ((name = g_dir_read_name (tmp)) != NULL)
    {
      g_autofree char *path = g_build_filename (record->tmp_dir, name, NULL);
      if (unlink (path) == 0)
        removed_tmp++;
    }
  /* 3-5: an envelope without its row was never accepted */
  queue = g_dir_open (record->queue_dir, 0, error);
  if (queue == NULL)
    return FALSE;
  while ((name = g_dir_read_name (queue)) != NULL)
    {
      g_autofree char *path = NULL;
      gboolean exists = FALSE;
      if (!g_str_has_suffix (name, ".env"))
        continue;
      if (!row_exists_for_file (db, name, &exists, error))
        return FALSE;
      if (exists && !row_is_sent (db, name))
        continue;
      /* no row: never accepted; a sent row: its removal was cut short */
      path = g_build_filename (record->queue_dir, name, NULL);
      if (unlink (path) == 0)
        removed_orphans++;
    }
  if ((removed_tmp || removed_orphans) && !fsync_dir (record->queue_dir, error))
    return FALSE;

  /* rows whose file vanished: never uploadable, say so */
  {
    g_autoptr(sqlite3_stmt) stmt = rk_store_prepare (
      db, "SELECT record_id, envelope_file FROM record_queue WHERE state = 'queued'", error);
    int rc;
    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_autofree char *path = g_build_filename (record->queue_dir, (const char *) sqlite3_column_text (stmt, 1),
                                                  NULL);
        if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
          g_ptr_array_add (missing, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      }
    if (rc != SQLITE_DONE)
      return rk_store_set_error (db, rc, "scan queue", error);
  }
  for (guint i = 0; i < missing->len; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      const char *id = missing->pdata[i];
      int rc;
      if (!rk_store_begin (store, error))
        return FALSE;
      stmt = rk_store_prepare (db, "UPDATE record_queue SET state = 'damaged', last_error = "
                                   "'envelope file missing at start-up' WHERE record_id = ?1", error);
      if (stmt == NULL)
        {
          rk_store_rollback (store);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          rk_store_rollback (store);
          return rk_store_set_error (db, rc, "mark damaged", error);
        }
      if (rk_audit_append (store, rk_actor_system (), "record.damaged", id,
                           "{\"reason\":\"envelope file missing at start-up\"}", error) == 0
          || !rk_store_commit (store, error))
        {
          rk_store_rollback (store);
          return FALSE;
        }
      g_warning ("record %s: envelope file missing, marked damaged", id);
    }
  if (removed_tmp || removed_orphans)
    g_info ("record queue recovery: removed %u temporary and %u unaccepted envelope file(s)", removed_tmp,
            removed_orphans);
  return TRUE;
}

/* --- enqueue ----------------------------------------------------------- */

typedef struct {
  /* in */
  JsonNode *manifest;
  char *base_dir;
  char *queue_dir;
  char *tmp_dir;
  char *station_id;
  guint8 sign_secret[RK_ENVELOPE_SIGN_SECRET_BYTES];
  guint8 recipient_public[RK_ENVELOPE_BOX_PUBLIC_BYTES];
  guint64 min_free_bytes;
  RkDaemon *daemon;     /* only for rk_station_seal (thread-safe) */
  /* out */
  char *record_id;
  char *case_id;
  char *subject;
  char *envelope_file;
  char *sha256_hex;
  gsize envelope_bytes;
  gsize transaction_bytes;
  guint n_records;
  char signer_key_id[17];
  char recipient_key_id[17];
  guint8 *sealed;
  gsize sealed_length;
} EnqueueJob;

static void
enqueue_job_free (EnqueueJob *job)
{
  sodium_memzero (job->sign_secret, sizeof job->sign_secret);
  g_clear_pointer (&job->manifest, json_node_unref);
  g_free (job->base_dir);
  g_free (job->queue_dir);
  g_free (job->tmp_dir);
  g_free (job->station_id);
  g_free (job->record_id);
  g_free (job->case_id);
  g_free (job->subject);
  g_free (job->envelope_file);
  g_free (job->sha256_hex);
  g_free (job->sealed);
  g_free (job);
}

/* Writes all of data to a new tmp file and fsyncs it; returns its path. */
static char *
write_tmp (const char *tmp_dir, const char *record_id, const guint8 *data, gsize length, GError **error)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.env.%08x", tmp_dir, record_id, g_random_int ());
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  gsize done = 0;

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RK_RECORD_ERROR, saved == ENOSPC ? RK_RECORD_ERROR_DISK_FULL : RK_RECORD_ERROR_IO,
                   "cannot create the envelope file: %s", g_strerror (saved));
      return NULL;
    }
  while (done < length)
    {
      ssize_t n = write (fd, data + done, length - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : ENOSPC;
          close (fd);
          unlink (path);
          g_set_error (error, RK_RECORD_ERROR,
                       saved == ENOSPC || saved == EDQUOT ? RK_RECORD_ERROR_DISK_FULL : RK_RECORD_ERROR_IO,
                       "cannot write the envelope file: %s", g_strerror (saved));
          return NULL;
        }
      done += (gsize) n;
    }
  rk_record_failpoint ("enqueue-after-write");
  if (fsync (fd) != 0)
    {
      int saved = errno;
      close (fd);
      unlink (path);
      g_set_error (error, RK_RECORD_ERROR, saved == ENOSPC ? RK_RECORD_ERROR_DISK_FULL : RK_RECORD_ERROR_IO,
                   "cannot fsync the envelope file: %s", g_strerror (saved));
      return NULL;
    }
  close (fd);
  rk_record_failpoint ("enqueue-after-fsync");
  return g_steal_pointer (&path);
}

static gboolean
check_free_space (const char *dir, guint64 needed, guint64 reserve, GError **error)
{
  struct statvfs st;

  if (statvfs (dir, &st) != 0)
    return TRUE; /* cannot tell: the write itself will fail cleanly if full */
  if ((guint64) st.f_bavail * st.f_frsize < needed + reserve)
    {
      g_set_error (error, RK_RECORD_ERROR, RK_RECORD_ERROR_DISK_FULL,
                   "not enough free disk space for new records (%" G_GUINT64_FORMAT " MiB free, %" G_GUINT64_FORMAT
                   " MiB kept in reserve): records already queued are safe; free space or attach the "
                   "backup disk",
                   (guint64) st.f_bavail * st.f_frsize >> 20, reserve >> 20);
      return FALSE;
    }
  return TRUE;
}

static void
enqueue_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  EnqueueJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(an2k_transaction) transaction = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *final_path = NULL;
  guint8 *envelope = NULL;
  size_t envelope_length = 0;
  rk_envelope_status status;
  rk_envelope_info info;
  guint8 hash[crypto_hash_sha256_BYTES];
  char text[64];
  an2k_record *type1, *type2;

  transaction = rk_an2k_build_from_json (job->manifest, job->base_dir, &error);
  if (transaction != NULL)
    bytes = rk_an2k_encode_checked (transaction, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  type1 = an2k_transaction_get_record (transaction, 0);
  type2 = an2k_transaction_get_record (transaction, 1);
  job->record_id = g_strdup (an2k_record_get_text (type1, 9, text, sizeof text));
  if (job->record_id == NULL || !valid_record_id (job->record_id))
    {
      g_task_return_new_error (task, RK_RECORD_ERROR, RK_RECORD_ERROR_INVALID,
                               "transaction.tcn must be 1-40 letters, digits, '-', '_' or '.' "
                               "(it names the upload)");
      return;
    }
  job->case_id = g_strdup (an2k_record_get_text (type2, 31, text, sizeof text));
  job->subject = rk_audit_mask_nik (an2k_record_get_text (type2, 10, text, sizeof text));
  job->transaction_bytes = g_bytes_get_size (bytes);
  job->n_records = (guint) an2k_transaction_get_n_records (transaction);

  status = rk_envelope_seal (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), job->station_id,
                             job->record_id, job->sign_secret, job->recipient_public, &envelope, &envelope_length);
  if (status != RK_ENVELOPE_OK)
    {
      g_task_return_new_error (task, RK_RECORD_ERROR, RK_RECORD_ERROR_FAILED, "cannot seal the envelope: %s",
                               rk_envelope_strerror (status));
      return;
    }
  rk_envelope_read_info (envelope, envelope_length, &info);
  sodium_bin2hex (job->signer_key_id, sizeof job->signer_key_id, info.signer_key_id, 8);
  sodium_bin2hex (job->recipient_key_id, sizeof job->recipient_key_id, info.recipient_key_id, 8);
  crypto_hash_sha256 (hash, envelope, envelope_length);
  job->sha256_hex = g_malloc (2 * sizeof hash + 1);
  sodium_bin2hex (job->sha256_hex, 2 * sizeof hash + 1, hash, sizeof hash);
  job->envelope_bytes = envelope_length;
  /* the plain transaction stays only sealed with the station key */
  job->sealed = rk_station_seal (job->daemon, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 &job->sealed_length);

  if (!check_free_space (job->queue_dir, envelope_length + job->sealed_length * 2, job->min_free_bytes, &error))
    {
      free (envelope);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  tmp_path = write_tmp (job->tmp_dir, job->record_id, envelope, envelope_length, &error);
  free (envelope);
  if (tmp_path == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->envelope_file = g_strdup_printf ("%s.env", job->record_id);
  final_path = g_build_filename (job->queue_dir, job->envelope_file, NULL);
  /* link(): atomic and never replaces an envelope already queued */
  if (link (tmp_path, final_path) != 0)
    {
      int saved = errno;
      unlink (tmp_path);
      g_task_return_new_error (task, RK_RECORD_ERROR,
                               saved == EEXIST ? RK_RECORD_ERROR_EXISTS : RK_RECORD_ERROR_IO,
                               saved == EEXIST ? "record %s is already queued" : "cannot place envelope %s: %s",
                               job->record_id, g_strerror (saved));
      return;
    }
  rk_record_failpoint ("enqueue-after-link");
  unlink (tmp_path);
  if (!fsync_dir (job->queue_dir, &error))
    {
      unlink (final_path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  rk_record_failpoint ("enqueue-after-dir-fsync");
  g_task_return_boolean (task, TRUE);
}

typedef struct {
  RkRecord *record;
  RkActor *actor;
  RkRecordEnqueueDone done;
  gpointer user_data;
  char *reserved_id;   /* in record->in_flight */
} EnqueueCall;

static gboolean
commit_row (RkRecord *record, EnqueueJob *job, const RkActor *actor, GError **error)
{
  RkStore *store = rk_daemon_get_store (record->daemon);
  sqlite3 *db = rk_store_get_db (store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = rk_record_now_iso ();
  g_autofree char *detail = NULL;
  int rc;

  if (!rk_store_begin (store, error))
    return FALSE;
  stmt = rk_store_prepare (db,
                           "INSERT INTO record_queue (record_id, case_id, subject, envelope_file, envelope_sha256,"
                           " envelope_bytes, transaction_bytes, n_records, signer_key_id, recipient_key_id,"
                           " sealed_transaction, created_at, created_by)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                           error);
  if (stmt == NULL)
    {
      rk_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, job->record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, job->case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, job->subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, job->envelope_file, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, job->sha256_hex, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) job->envelope_bytes);
  sqlite3_bind_int64 (stmt, 7, (sqlite3_int64) job->transaction_bytes);
  sqlite3_bind_int64 (stmt, 8, job->n_records);
  sqlite3_bind_text (stmt, 9, job->signer_key_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, job->recipient_key_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (stmt, 11, job->sealed, job->sealed_length, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, actor->username, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      rk_store_rollback (store);
      if (rc == SQLITE_FULL)
        {
          g_set_error (error, RK_RECORD_ERROR, RK_RECORD_ERROR_DISK_FULL,
                       "the database disk is full: new records refused, queued records are safe");
          return FALSE;
        }
      return rk_store_set_error (db, rc, "queue record", error);
    }
  detail = rk_record_detail_json ("record_id", job->record_id, "case_id", job->case_id, "envelope_sha256", job->sha256_hex,
                        NULL);
  if (rk_audit_append (store, actor, "record.queue", job->subject, detail, error) == 0
      || !rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  rk_record_failpoint ("enqueue-after-commit");
  return TRUE;
}

static void
enqueue_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EnqueueCall *call = user_data;
  RkRecord *record = call->record;
  GTask *task = G_TASK (result);
  EnqueueJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonNode *node = NULL;

  record->n_enqueue_in_flight--;
  if (g_task_propagate_boolean (task, &error))
    {
      if (commit_row (record, job, call->actor, &error))
        node = rk_record_queue_get_json (record, job->record_id, FALSE, &error);
      else
        {
          /* not accepted: take the envelope back so recovery has nothing to guess */
          g_autofree char *path = g_build_filename (record->queue_dir, job->envelope_file, NULL);
          unlink (path);
          fsync_dir (record->queue_dir, NULL);
        }
    }
  if (call->reserved_id)
    g_hash_table_remove (record->in_flight, call->reserved_id);
  call->done (node, error, call->user_data);
  if (node != NULL)
    rk_record_upload_kick (record);
  rk_actor_free (call->actor);
  g_free (call->reserved_id);
  g_free (call);
}

/* The TCN of the manifest, to refuse a duplicate before any work. */
static const char *
manifest_tcn (JsonNode *manifest)
{
  JsonObject *root, *transaction;
  JsonNode *tcn;

  if (!JSON_NODE_HOLDS_OBJECT (manifest))
    return NULL;
  root = json_node_get_object (manifest);
  if (!json_object_has_member (root, "transaction")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "transaction")))
    return NULL;
  transaction = json_object_get_object_member (root, "transaction");
  tcn = json_object_get_member (transaction, "tcn");
  if (tcn == NULL || json_node_get_value_type (tcn) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (tcn);
}

void
rk_record_enqueue (RkRecord *record, JsonNode *manifest, const char *base_dir, const RkActor *actor,
                   RkRecordEnqueueDone done, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  EnqueueCall *call;
  EnqueueJob *job;
  const char *tcn = manifest_tcn (manifest);

  if (!record->have_recipient)
    {
      g_set_error (&error, RK_RECORD_ERROR, RK_RECORD_ERROR_NO_RECIPIENT,
                   "Disdukcapil's public key is not configured ([record] recipient_public_key)");
      done (NULL, error, user_data);
      return;
    }
  if (record->stopping)
    {
      g_set_error (&error, RK_RECORD_ERROR, RK_RECORD_ERROR_FAILED, "rekamd is stopping");
      done (NULL, error, user_data);
      return;
    }
  if (tcn != NULL)
    {
      JsonNode *existing = rk_record_queue_get_json (record, tcn, FALSE, NULL);
      if (existing != NULL || g_hash_table_contains (record->in_flight, tcn))
        {
          g_clear_pointer (&existing, json_node_unref);
          g_set_error (&error, RK_RECORD_ERROR, RK_RECORD_ERROR_EXISTS, "record %s is already queued", tcn);
          done (NULL, error, user_data);
          return;
        }
    }

  call = g_new0 (EnqueueCall, 1);
  call->record = record;
  call->actor = rk_actor_copy (actor);
  call->done = done;
  call->user_data = user_data;
  if (tcn != NULL)
    {
      call->reserved_id = g_strdup (tcn);
      g_hash_table_add (record->in_flight, g_strdup (tcn));
    }
  job = g_new0 (EnqueueJob, 1);
  job->manifest = json_node_copy (manifest);
  job->base_dir = g_strdup (base_dir);
  job->queue_dir = g_strdup (record->queue_dir);
  job->tmp_dir = g_strdup (record->tmp_dir);
  job->station_id = g_strdup (record->station_id);
  memcpy (job->sign_secret, record->sign_secret, sizeof job->sign_secret);
  memcpy (job->recipient_public, record->recipient_public, sizeof job->recipient_public);
  job->min_free_bytes = record->min_free_bytes;
  job->daemon = record->daemon;
  record->n_enqueue_in_flight++;
  task = g_task_new (NULL, NULL, enqueue_done, call);
  g_task_set_task_data (task, job, (GDestroyNotify) enqueue_job_free);
  g_task_run_in_thread (task, enqueue_thread);
}

/* --- reading ----------------------------------------------------------- */

static void
add_row_members (JsonBuilder *builder, sqlite3_stmt *stmt)
{
  for (int c = 0; c < sqlite3_column_count (stmt); c++)
    {
      const char *name = sqlite3_column_name (stmt, c);
      json_builder_set_member_name (builder, name);
      switch (sqlite3_column_type (stmt, c))
        {
        case SQLITE_INTEGER:
          json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, c));
          break;
        case SQLITE_NULL:
          json_builder_add_null_value (builder);
          break;
        default:
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, c));
          break;
        }
    }
}

#define QUEUE_COLUMNS \
  "id, record_id, case_id, subject, state, envelope_file, envelope_sha256, envelope_bytes, transaction_bytes," \
  " n_records, signer_key_id, recipient_key_id, created_at, created_by, attempts, next_attempt_at, sent_at," \
  " last_error"

JsonNode *
rk_record_queue_get_json (RkRecord *record, const char *record_id, gboolean with_attempts, GError **error)
{
  sqlite3 *db = rk_store_get_db (rk_daemon_get_store (record->daemon));
  g_autoptr(sqlite3_stmt) stmt = rk_store_prepare (db, "SELECT " QUEUE_COLUMNS " FROM record_queue"
                                                       " WHERE record_id = ?1", error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 queue_id;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, RK_RECORD_ERROR, RK_RECORD_ERROR_NOT_FOUND, "no record %s in the queue", record_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      rk_store_set_error (db, rc, "read queue", error);
      return NULL;
    }
  queue_id = sqlite3_column_int64 (stmt, 0);
  json_builder_begin_object (builder);
  add_row_members (builder, stmt);
  if (with_attempts)
    {
      g_autoptr(sqlite3_stmt) attempts = rk_store_prepare (
        db, "SELECT started_at, finished_at, outcome, http_status, detail FROM record_attempt"
            " WHERE queue_id = ?1 ORDER BY id", error);
      if (attempts == NULL)
        return NULL;
      sqlite3_bind_int64 (attempts, 1, queue_id);
      json_builder_set_member_name (builder, "attempt_history");
      json_builder_begin_array (builder);
      while ((rc = sqlite3_step (attempts)) == SQLITE_ROW)
        {
          json_builder_begin_object (builder);
          add_row_members (builder, attempts);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      if (rc != SQLITE_DONE)
        {
          rk_store_set_error (db, rc, "read attempts", error);
          return NULL;
        }
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
rk_record_queue_list_json (RkRecord *record, const char *state, GError **error)
{
  sqlite3 *db = rk_store_get_db (rk_daemon_get_store (record->daemon));
  g_autoptr(sqlite3_stmt) stmt = rk_store_prepare (db, "SELECT " QUEUE_COLUMNS " FROM record_queue"
                                                       " WHERE ?1 IS NULL OR state = ?1 ORDER BY id", error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  if (state != NULL)
    sqlite3_bind_text (stmt, 1, state, -1, SQLITE_TRANSIENT);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      add_row_members (builder, stmt);
      json_builder_end_object (builder);
    }
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "list queue", error);
      return NULL;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

GBytes *
rk_record_queue_get_transaction (RkRecord *record, const char *record_id, GError **error)
{
  sqlite3 *db = rk_store_get_db (rk_daemon_get_store (record->daemon));
  g_autoptr(sqlite3_stmt) stmt = rk_store_prepare (
    db, "SELECT sealed_transaction FROM record_queue WHERE record_id = ?1", error);
  guint8 *plain;
  gsize length = 0;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, RK_RECORD_ERROR, RK_RECORD_ERROR_NOT_FOUND, "no record %s in the queue", record_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      rk_store_set_error (db, rc, "read queue", error);
      return NULL;
    }
  plain = rk_station_open (record->daemon, sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0),
                           &length, error);
  if (plain == NULL)
    return NULL;
  return g_bytes_new_take (plain, length);
}

gboolean
rk_record_queue_retry (RkRecord *record, const char *record_id, const RkActor *actor, GError **error)
{
  RkStore *store = rk_daemon_get_store (record->daemon);
  sqlite3 *db = rk_store_get_db (store);
  g_autoptr(JsonNode) row = rk_record_queue_get_json (record, record_id, FALSE, error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonObject *object;
  const char *state;
  g_autofree char *detail = NULL;
  int rc;

  if (row == NULL)
    return FALSE;
  object = json_node_get_object (row);
  state = json_object_get_string_member (object, "state");
  if (g_str_equal (state, "sent"))
    {
      g_set_error (error, RK_RECORD_ERROR, RK_RECORD_ERROR_STATE, "record %s was already sent", record_id);
      return FALSE;
    }
  if (g_str_equal (state, "damaged"))
    {
      /* only when the file is back, intact */
      g_autofree char *path = g_build_filename (record->queue_dir,
                                                json_object_get_string_member (object, "envelope_file"), NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      guint8 hash[crypto_hash_sha256_BYTES];
      char hex[2 * crypto_hash_sha256_BYTES + 1];
      if (!g_file_get_contents (path, &contents, &length, NULL))
        {
          g_set_error (error, RK_RECORD_ERROR, RK_RECORD_ERROR_STATE,
                       "record %s stays damaged: its envelope file is missing", record_id);
          return FALSE;
        }
      crypto_hash_sha256 (hash, (const guint8 *) contents, length);
      sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
      if (!g_str_equal (hex, json_object_get_string_member (object, "envelope_sha256")))
        {
          g_set_error (error, RK_RECORD_ERROR, RK_RECORD_ERROR_STATE,
                       "record %s stays damaged: its envelope file does not match the queued hash", record_id);
          return FALSE;
        }
    }
  if (!rk_store_begin (store, error))
    return FALSE;
  stmt = rk_store_prepare (db, "UPDATE record_queue SET state = 'queued', next_attempt_at = 0"
                               " WHERE record_id = ?1", error);
  if (stmt == NULL)
    {
      rk_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      rk_store_rollback (store);
      return rk_store_set_error (db, rc, "retry record", error);
    }
  detail = rk_record_detail_json ("record_id", record_id, "from", state, NULL);
  if (rk_audit_append (store, actor, "record.retry", json_object_get_string_member (object, "subject"), detail,
                       error) == 0
      || !rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  rk_record_upload_kick (record);
  return TRUE;
}
