/* Upload: one record at a time, libcurl in a GTask thread, the outcome
 * committed on the main loop.
 *
 * An attempt (upload_thread):
 *   1. hash the envelope file; a hash other than the queued one -> damaged
 *      (a half-written or altered file is never sent)
 *   2. HEAD <base>/<record>.env: present with the same length -> GET it and
 *      compare SHA-256; equal -> "already-present" (a re-upload after a
 *      crash or a lost answer is recognised, not repeated)
 *   3. PUT the file (201/204 expected); the PUT is idempotent: same name,
 *      same bytes
 *   4. GET it back, SHA-256 must equal the queued hash -> "sent"
 * Only then does the main loop mark the row sent. Any failure leaves it
 * queued with next_attempt_at = now + backoff (exponential, with jitter),
 * and an attempt row records what happened. A restart resumes from the
 * rows: nothing about an attempt in progress is kept in memory only. */
#include "rk-record.h"

#include <curl/curl.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rk-audit.h"
#include "rk-record-error.h"
#include "rk-record-failpoint.h"
#include "rk-store.h"

typedef enum {
  OUTCOME_SENT,
  OUTCOME_ALREADY_PRESENT,
  OUTCOME_HTTP_ERROR,
  OUTCOME_TIMEOUT,
  OUTCOME_NETWORK,
  OUTCOME_TLS,
  OUTCOME_CHECKSUM,
  OUTCOME_DAMAGED,
  OUTCOME_CANCELLED,
} Outcome;

static const char *const outcome_names[] = {
  "sent", "already-present", "http-error", "timeout", "network", "tls", "checksum-mismatch", "damaged", "cancelled",
};

typedef struct {
  /* in */
  gint64 queue_id;
  char *record_id;
  char *subject;
  char *path;
  char *sha256_hex;
  gint64 bytes;
  RkRecordUploadConfig config;
  GCancellable *cancellable;
  CURL *curl;            /* one handle per attempt: HEAD, PUT, GET share its TLS connection */
  /* out */
  Outcome outcome;
  long http_status;
  char *detail;
  char *started_at;
  char *finished_at;
} UploadJob;

static void
upload_job_free (UploadJob *job)
{
  g_free (job->record_id);
  g_free (job->subject);
  g_free (job->path);
  g_free (job->sha256_hex);
  rk_record_upload_config_clear (&job->config);
  g_clear_object (&job->cancellable);
  g_free (job->detail);
  g_free (job->started_at);
  g_free (job->finished_at);
  g_free (job);
}

void
rk_record_upload_config_clear (RkRecordUploadConfig *config)
{
  g_clear_pointer (&config->base_url, g_free);
  g_clear_pointer (&config->client_cert, g_free);
  g_clear_pointer (&config->client_key, g_free);
  g_clear_pointer (&config->ca_file, g_free);
}

void
rk_record_upload_config_copy (const RkRecordUploadConfig *from, RkRecordUploadConfig *to)
{
  *to = *from;
  to->base_url = g_strdup (from->base_url);
  to->client_cert = g_strdup (from->client_cert);
  to->client_key = g_strdup (from->client_key);
  to->ca_file = g_strdup (from->ca_file);
}

/* --- the worker -------------------------------------------------------- */

typedef struct {
  crypto_hash_sha256_state state;
  gint64 received;
  gint64 limit;
} HashSink;

static size_t
hash_write (char *data, size_t size, size_t n, void *user_data)
{
  HashSink *sink = user_data;

  if (sink->received + (gint64) (size * n) > sink->limit)
    return 0; /* more than the envelope: not ours, stop reading */
  crypto_hash_sha256_update (&sink->state, (const guint8 *) data, size * n);
  sink->received += (gint64) (size * n);
  return size * n;
}

static size_t
discard_write (char *data, size_t size, size_t n, void *user_data)
{
  return size * n;
}

static int
progress_cb (void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
  /* non-zero aborts the transfer: rekamd is stopping */
  return g_cancellable_is_cancelled (user_data) ? 1 : 0;
}

/* Readies the attempt's handle for one request. curl_easy_reset() keeps
 * the connection cache, so the next request reuses the TLS session. */
static CURL *
new_handle (UploadJob *job, const char *url, char *error_buffer)
{
  CURL *curl = job->curl;

  curl_easy_reset (curl);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (job->config.ca_file)
    curl_easy_setopt (curl, CURLOPT_CAINFO, job->config.ca_file);
  if (job->config.client_cert)
    curl_easy_setopt (curl, CURLOPT_SSLCERT, job->config.client_cert);
  if (job->config.client_key)
    curl_easy_setopt (curl, CURLOPT_SSLKEY, job->config.client_key);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, job->config.connect_timeout_ms);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, job->config.transfer_timeout_ms);
  /* a server that accepts the connection and then stalls */
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_TIME, job->config.low_speed_time_s);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, job->cancellable);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, discard_write);
  return curl;
}

/* Classifies a failed transfer. Returns FALSE (and fills job) on failure. */
static gboolean
check_curl (UploadJob *job, CURLcode code, const char *what, const char *error_buffer)
{
  if (code == CURLE_OK)
    return TRUE;
  switch (code)
    {
    case CURLE_OPERATION_TIMEDOUT:
      job->outcome = OUTCOME_TIMEOUT;
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      job->outcome = OUTCOME_CANCELLED;
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
      job->outcome = OUTCOME_TLS;
      break;
    default:
      job->outcome = OUTCOME_NETWORK;
      break;
    }
  job->detail = g_strdup_printf ("%s: %s", what, error_buffer[0] ? error_buffer : curl_easy_strerror (code));
  return FALSE;
}

/* GET url and hash the body; TRUE with *ret_equal when the transfer worked. */
static gboolean
get_and_compare (UploadJob *job, const char *url, gboolean *ret_equal)
{
  char error_buffer[CURL_ERROR_SIZE] = "";
  CURL *curl = new_handle (job, url, error_buffer);
  HashSink sink = { .limit = job->bytes };
  guint8 hash[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  CURLcode code;
  long status = 0;

  crypto_hash_sha256_init (&sink.state);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, hash_write);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &sink);
  code = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  /* handle kept for the next request */
  if (code == CURLE_WRITE_ERROR)
    {
      /* the server holds more bytes than our envelope */
      *ret_equal = FALSE;
      return TRUE;
    }
  if (!check_curl (job, code, "GET", error_buffer))
    return FALSE;
  if (status != 200)
    {
      job->outcome = OUTCOME_HTTP_ERROR;
      job->http_status = status;
      job->detail = g_strdup_printf ("GET answered %ld", status);
      return FALSE;
    }
  crypto_hash_sha256_final (&sink.state, hash);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  *ret_equal = sink.received == job->bytes && g_str_equal (hex, job->sha256_hex);
  return TRUE;
}

static gboolean
file_matches (UploadJob *job)
{
  FILE *file = fopen (job->path, "rb");
  crypto_hash_sha256_state state;
  guint8 buffer[65536], hash[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  gint64 total = 0;
  size_t n;

  if (file == NULL)
    {
      job->detail = g_strdup_printf ("envelope file missing: %s", g_strerror (errno));
      return FALSE;
    }
  crypto_hash_sha256_init (&state);
  while ((n = fread (buffer, 1, sizeof buffer, file)) > 0)
    {
      crypto_hash_sha256_update (&state, buffer, n);
      total += (gint64) n;
    }
  fclose (file);
  crypto_hash_sha256_final (&state, hash);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  if (total != job->bytes || !g_str_equal (hex, job->sha256_hex))
    {
      job->detail = g_strdup ("envelope file does not match the hash queued with it");
      return FALSE;
    }
  return TRUE;
}

static void
attempt (UploadJob *job)
{
  g_autofree char *url = g_strdup_printf ("%s%s.env", job->config.base_url, job->record_id);
  char error_buffer[CURL_ERROR_SIZE] = "";
  CURL *curl;
  CURLcode code;
  long status = 0;
  curl_off_t length = -1;
  gboolean equal = FALSE;
  FILE *file;

  if (!file_matches (job))
    {
      job->outcome = OUTCOME_DAMAGED;
      return;
    }

  /* 2. already there? */
  curl = new_handle (job, url, error_buffer);
  curl_easy_setopt (curl, CURLOPT_NOBODY, 1L);
  code = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo (curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  /* handle kept for the next request */
  if (!check_curl (job, code, "HEAD", error_buffer))
    return;
  if (status == 200 && length == job->bytes)
    {
      if (!get_and_compare (job, url, &equal))
        return;
      if (equal)
        {
          job->outcome = OUTCOME_ALREADY_PRESENT;
          job->http_status = 200;
          job->detail = g_strdup ("the server already holds this envelope (SHA-256 equal)");
          return;
        }
    }
  else if (status != 200 && status != 404)
    {
      job->outcome = OUTCOME_HTTP_ERROR;
      job->http_status = status;
      job->detail = g_strdup_printf ("HEAD answered %ld", status);
      return;
    }

  /* 3. PUT */
  file = fopen (job->path, "rb");
  if (file == NULL)
    {
      job->outcome = OUTCOME_DAMAGED;
      job->detail = g_strdup ("envelope file vanished during the attempt");
      return;
    }
  error_buffer[0] = '\0';
  curl = new_handle (job, url, error_buffer);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_READDATA, file);
  curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) job->bytes);
  code = curl_easy_perform (curl);
  status = 0;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  /* handle kept for the next request */
  fclose (file);
  if (!check_curl (job, code, "PUT", error_buffer))
    return;
  job->http_status = status;
  if (status != 201 && status != 204 && status != 200)
    {
      job->outcome = OUTCOME_HTTP_ERROR;
      job->detail = g_strdup_printf ("PUT answered %ld", status);
      return;
    }
  rk_record_failpoint ("upload-after-put");

  /* 4. confirm: what the server holds is what we queued */
  if (!get_and_compare (job, url, &equal))
    return;
  if (!equal)
    {
      job->outcome = OUTCOME_CHECKSUM;
      job->detail = g_strdup ("the server's copy differs from the envelope (SHA-256)");
      return;
    }
  job->outcome = OUTCOME_SENT;
  job->detail = g_strdup_printf ("PUT %ld, SHA-256 confirmed", status);
}

static void
upload_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  UploadJob *job = task_data;

  job->started_at = rk_record_now_iso ();
  job->curl = curl_easy_init ();
  if (job->curl == NULL)
    {
      job->outcome = OUTCOME_NETWORK;
      job->detail = g_strdup ("libcurl could not make a handle");
    }
  else
    attempt (job);
  g_clear_pointer (&job->curl, curl_easy_cleanup);
  job->finished_at = rk_record_now_iso ();
  g_task_return_boolean (task, TRUE);
}

/* --- the main loop side -------------------------------------------------- */

/* Exponential backoff with "equal jitter": half the delay fixed, half
 * random, so stations that lost the network together do not return in
 * lockstep. attempts counts failures so far (>= 1). */
static gint64
backoff_ms (RkRecord *record, gint64 attempts)
{
  gint64 delay = record->retry_base_ms;

  for (gint64 i = 1; i < attempts && delay < record->retry_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (gint64) record->retry_max_ms);
  return delay / 2 + g_random_int_range (0, (gint32) MAX (1, delay / 2 + 1));
}

static gboolean
record_outcome (RkRecord *record, UploadJob *job, GError **error)
{
  RkStore *store = rk_daemon_get_store (record->daemon);
  sqlite3 *db = rk_store_get_db (store);
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  gboolean sent = job->outcome == OUTCOME_SENT || job->outcome == OUTCOME_ALREADY_PRESENT;
  gboolean damaged = job->outcome == OUTCOME_DAMAGED;
  int rc;

  if (!rk_store_begin (store, error))
    return FALSE;
  insert = rk_store_prepare (db, "INSERT INTO record_attempt (queue_id, started_at, finished_at, outcome,"
                                 " http_status, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (insert == NULL)
    {
      rk_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (insert, 1, job->queue_id);
  sqlite3_bind_text (insert, 2, job->started_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, job->finished_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 4, outcome_names[job->outcome], -1, SQLITE_STATIC);
  if (job->http_status > 0)
    sqlite3_bind_int64 (insert, 5, job->http_status);
  sqlite3_bind_text (insert, 6, job->detail, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (insert);
  if (rc != SQLITE_DONE)
    {
      rk_store_rollback (store);
      return rk_store_set_error (db, rc, "record attempt", error);
    }
  if (sent)
    update = rk_store_prepare (db, "UPDATE record_queue SET state = 'sent', attempts = attempts + 1,"
                                   " sent_at = ?2, last_error = NULL WHERE id = ?1 AND state = 'queued'", error);
  else if (damaged)
    update = rk_store_prepare (db, "UPDATE record_queue SET state = 'damaged', attempts = attempts + 1,"
                                   " last_error = ?3 WHERE id = ?1 AND state = 'queued'", error);
  else
    update = rk_store_prepare (db, "UPDATE record_queue SET attempts = attempts + 1, last_error = ?3,"
                                   " next_attempt_at = ?4 WHERE id = ?1 AND state = 'queued'", error);
  if (update == NULL)
    {
      rk_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (update, 1, job->queue_id);
  if (sent)
    sqlite3_bind_text (update, 2, job->finished_at, -1, SQLITE_TRANSIENT);
  else
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", outcome_names[job->outcome],
                                                  job->detail ? job->detail : "");
      sqlite3_bind_text (update, 3, message, -1, SQLITE_TRANSIENT);
      if (!damaged)
        {
          /* attempts after this one = failures so far */
          g_autoptr(sqlite3_stmt) count = rk_store_prepare (db, "SELECT attempts + 1 FROM record_queue WHERE id = ?1",
                                                            error);
          gint64 failures = 1;
          if (count == NULL)
            {
              rk_store_rollback (store);
              return FALSE;
            }
          sqlite3_bind_int64 (count, 1, job->queue_id);
          if (sqlite3_step (count) == SQLITE_ROW)
            failures = sqlite3_column_int64 (count, 0);
          sqlite3_bind_int64 (update, 4, g_get_real_time () / G_USEC_PER_SEC
                                           + (backoff_ms (record, failures) + 999) / 1000);
        }
    }
  rc = sqlite3_step (update);
  if (rc != SQLITE_DONE)
    {
      rk_store_rollback (store);
      return rk_store_set_error (db, rc, "update queue", error);
    }
  if (sent || damaged)
    {
      g_autofree char *detail = rk_record_detail_json ("record_id", job->record_id, "outcome",
                                                       outcome_names[job->outcome], NULL);
      if (rk_audit_append (store, rk_actor_system (), sent ? "record.sent" : "record.damaged", job->subject, detail,
                           error) == 0)
        {
          rk_store_rollback (store);
          return FALSE;
        }
    }
  if (sent)
    rk_record_failpoint ("upload-before-commit");
  if (!rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  if (sent)
    {
      rk_record_failpoint ("upload-after-commit");
      /* Disdukcapil holds these exact bytes now: the envelope file may go
       * (the row keeps its hash, the sealed transaction stays for export).
       * A crash before this unlink is tidied by start-up recovery. */
      if (unlink (job->path) != 0 && errno != ENOENT)
        g_warning ("record %s: cannot remove the sent envelope: %s", job->record_id, g_strerror (errno));
    }
  return TRUE;
}

static void schedule (RkRecord *record);

static void
upload_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RkRecord *record = user_data;
  UploadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  record->uploading = FALSE;
  if (job->outcome == OUTCOME_CANCELLED)
    return; /* stopping: the row stays queued, the next start resumes */
  if (!record_outcome (record, job, &error))
    g_warning ("record %s: cannot record the upload outcome: %s", job->record_id, error->message);
  else if (job->outcome == OUTCOME_SENT || job->outcome == OUTCOME_ALREADY_PRESENT)
    g_info ("record %s sent (%s)", job->record_id, outcome_names[job->outcome]);
  else
    g_info ("record %s not sent: %s: %s", job->record_id, outcome_names[job->outcome],
            job->detail ? job->detail : "");
  if (!record->stopping)
    schedule (record);
}

/* Starts the next due upload, if none is running. */
static void
schedule (RkRecord *record)
{
  sqlite3 *db = rk_store_get_db (rk_daemon_get_store (record->daemon));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  UploadJob *job;

  if (record->uploading || record->stopping || !record->upload_enabled)
    return;
  stmt = rk_store_prepare (db, "SELECT id, record_id, subject, envelope_file, envelope_sha256, envelope_bytes"
                               " FROM record_queue WHERE state = 'queued' AND next_attempt_at <= ?1"
                               " ORDER BY next_attempt_at, id LIMIT 1", &error);
  if (stmt == NULL)
    {
      g_warning ("record upload: %s", error->message);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return;
  job = g_new0 (UploadJob, 1);
  job->queue_id = sqlite3_column_int64 (stmt, 0);
  job->record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  job->subject = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  job->path = g_build_filename (record->queue_dir, (const char *) sqlite3_column_text (stmt, 3), NULL);
  job->sha256_hex = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  job->bytes = sqlite3_column_int64 (stmt, 5);
  rk_record_upload_config_copy (&record->upload, &job->config);
  job->cancellable = g_object_ref (record->cancellable);
  record->uploading = TRUE;
  task = g_task_new (NULL, NULL, upload_done, record);
  g_task_set_task_data (task, job, (GDestroyNotify) upload_job_free);
  g_task_run_in_thread (task, upload_thread);
}

static gboolean
tick (gpointer user_data)
{
  schedule (user_data);
  return G_SOURCE_CONTINUE;
}

void
rk_record_upload_kick (RkRecord *record)
{
  schedule (record);
}

void
rk_record_upload_start (RkRecord *record)
{
  record->cancellable = g_cancellable_new ();
  if (!record->upload_enabled || record->upload.base_url == NULL)
    {
      g_info ("record upload disabled ([record] upload_url not set): records stay queued");
      record->upload_enabled = FALSE;
      return;
    }
  record->tick_id = g_timeout_add (record->scan_interval_ms, tick, record);
  schedule (record);
}

void
rk_record_upload_stop (RkRecord *record)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  record->stopping = TRUE;
  g_clear_handle_id (&record->tick_id, g_source_remove);
  if (record->cancellable)
    g_cancellable_cancel (record->cancellable);
  /* let in-flight work finish so its files are either committed or removed */
  while ((record->uploading || record->n_enqueue_in_flight > 0) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&record->cancellable);
}
