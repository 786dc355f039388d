/* The record module's state, shared by its files (not by other modules).
 *
 * Threads: RkRecord lives on the main loop. Enqueue and upload work runs
 * in GTask threads that get copies of what they need (paths, keys, the
 * upload settings) and never touch RkRecord or the main connection. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rk-auth.h"
#include "rk-daemon.h"
#include "rk-envelope.h"

G_BEGIN_DECLS

/* Everything an upload worker needs; copied per attempt. */
typedef struct {
  char *base_url;        /* "https://host:port/records/" (ends in '/') */
  char *client_cert;     /* PEM, mutual TLS */
  char *client_key;
  char *ca_file;         /* CA that signed the server's certificate */
  long connect_timeout_ms;
  long low_speed_time_s; /* below 1 byte/s this long = a hung server */
  long transfer_timeout_ms;
} RkRecordUploadConfig;

typedef struct {
  RkDaemon *daemon;
  char *dir;             /* <state>/record */
  char *queue_dir;       /* <state>/record/queue */
  char *tmp_dir;         /* <state>/record/queue/tmp */
  char *station_id;      /* envelope station id, [record] station_id */
  guint8 sign_secret[RK_ENVELOPE_SIGN_SECRET_BYTES];
  guint8 sign_public[RK_ENVELOPE_SIGN_PUBLIC_BYTES];
  gboolean have_recipient;
  guint8 recipient_public[RK_ENVELOPE_BOX_PUBLIC_BYTES];
  guint64 min_free_bytes;
  gboolean upload_enabled;
  RkRecordUploadConfig upload;
  guint retry_base_ms;
  guint retry_max_ms;
  guint scan_interval_ms;
  guint tick_id;
  gboolean uploading;    /* one upload at a time */
  GCancellable *cancellable;
  GHashTable *in_flight; /* record ids being enqueued (char* set) */
  guint n_enqueue_in_flight;
  gboolean stopping;
} RkRecord;

RkRecord *rk_record_get (RkDaemon *daemon);

/* rk-record-queue.c: the durable commit and start-up recovery. */
gboolean rk_record_queue_recover (RkRecord *record, GError **error);
typedef void (*RkRecordEnqueueDone) (JsonNode *result /* transfer full, NULL on error */,
                                     const GError *error, gpointer user_data);
/* Builds the transaction from a manifest, seals the envelope, writes it
 * durably and commits the queue row; calls done on the main loop. actor
 * is copied. */
void rk_record_enqueue (RkRecord *record, JsonNode *manifest, const char *base_dir, const RkActor *actor,
                        RkRecordEnqueueDone done, gpointer user_data);
/* A queue row as JSON (transfer full) or NULL with RK_RECORD_ERROR_NOT_FOUND. */
JsonNode *rk_record_queue_get_json (RkRecord *record, const char *record_id, gboolean with_attempts,
                                    GError **error);
JsonNode *rk_record_queue_list_json (RkRecord *record, const char *state, GError **error);
/* The plain transaction (opened from its sealed copy); transfer full. */
GBytes *rk_record_queue_get_transaction (RkRecord *record, const char *record_id, GError **error);
/* damaged/queued -> queued now; error for sent or unknown. */
gboolean rk_record_queue_retry (RkRecord *record, const char *record_id, const RkActor *actor, GError **error);

/* rk-record-upload.c */
void rk_record_upload_start (RkRecord *record);
void rk_record_upload_stop (RkRecord *record);
/* Wakes the scheduler now (after an enqueue or a retry). */
void rk_record_upload_kick (RkRecord *record);
void rk_record_upload_config_clear (RkRecordUploadConfig *config);
void rk_record_upload_config_copy (const RkRecordUploadConfig *from, RkRecordUploadConfig *to);

/* rk-record-routes.c */
void rk_record_routes_register (RkRecord *record);

/* An audit detail object from name/value string pairs, NULL-terminated
 * (transfer full). */
char *rk_record_detail_json (const char *first_name, ...) G_GNUC_NULL_TERMINATED;

/* UTC now as "2026-11-25T02:15:00Z" (transfer full). */
char *rk_record_now_iso (void);

G_END_DECLS
