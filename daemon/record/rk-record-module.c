/* rk_module_record: keys, config, recovery, routes, uploader.
 *
 * [record] keys (daemon/data/rekamd.conf documents them; docs/record.md):
 *   station_id            envelope station id (default "rekam-station")
 *   recipient_public_key  Disdukcapil's x25519-public key file
 *   upload_url            https://host/path/ (records go to <url><TCN>.env)
 *   client_cert, client_key, ca_file   mutual TLS
 *   connect_timeout_ms (10000), low_speed_time_s (30),
 *   transfer_timeout_ms (600000)
 *   retry_base_ms (5000), retry_max_ms (3600000), scan_interval_ms (1000)
 *   min_free_mb (64)      new records are refused below this much free disk */
#include "rk-record.h"

#include <curl/curl.h>
#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "rk-api.h"
#include "rk-an2k-build.h"
#include "rk-module.h"
#include "rk-record-error.h"

#define MODULE "record"

RkRecord *
rk_record_get (RkDaemon *daemon)
{
  return rk_daemon_get_module_data (daemon, MODULE);
}

static void
record_free (RkRecord *record)
{
  sodium_memzero (record->sign_secret, sizeof record->sign_secret);
  g_free (record->dir);
  g_free (record->queue_dir);
  g_free (record->tmp_dir);
  g_free (record->station_id);
  rk_record_upload_config_clear (&record->upload);
  g_clear_pointer (&record->in_flight, g_hash_table_unref);
  g_clear_object (&record->cancellable);
  g_free (record);
}

static char *
config_string (GKeyFile *config, const char *key, const char *fallback)
{
  char *value = g_key_file_get_string (config, "record", key, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    {
      g_free (value);
      return g_strdup (fallback);
    }
  return value;
}

static gint64
config_int (GKeyFile *config, const char *key, gint64 fallback, gint64 min, gint64 max, GError **error)
{
  g_autoptr(GError) local = NULL;
  gint64 value;

  if (!g_key_file_has_key (config, "record", key, NULL))
    return fallback;
  value = g_key_file_get_int64 (config, "record", key, &local);
  if (local != NULL || value < min || value > max)
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_CONFIG,
                   "[record] %s must be a number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, key, min, max);
      return -1;
    }
  return value;
}

static gboolean
make_private_dir (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_STATE, "cannot create %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* The station's signing key: created on first start (0600, O_EXCL). */
static gboolean
load_signing_key (RkRecord *record, GError **error)
{
  g_autofree char *path = g_build_filename (record->dir, "station-ed25519.key", NULL);
  g_autofree char *pub = g_strconcat (path, ".pub", NULL);
  rk_envelope_status status;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      status = rk_envelope_keygen (path, "ed25519");
      if (status != RK_ENVELOPE_OK)
        {
          g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_STATE, "cannot create the signing key %s: %s", path,
                       rk_envelope_strerror (status));
          return FALSE;
        }
      g_info ("record: new station signing key %s.pub", path);
    }
  status = rk_envelope_key_load (path, "ed25519-secret", record->sign_secret, sizeof record->sign_secret);
  if (status != RK_ENVELOPE_OK)
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_STATE, "cannot load the signing key %s: %s", path,
                   rk_envelope_strerror (status));
      return FALSE;
    }
  crypto_sign_ed25519_sk_to_pk (record->sign_public, record->sign_secret);
  return TRUE;
}

/* Disdukcapil's key from the config; in demo mode a local stand-in. */
static gboolean
load_recipient_key (RkRecord *record, GKeyFile *config, GError **error)
{
  g_autofree char *path = config_string (config, "recipient_public_key", NULL);
  rk_envelope_status status;

  if (path == NULL && rk_daemon_is_demo (record->daemon))
    {
      g_autofree char *secret = g_build_filename (record->dir, "demo-disdukcapil-x25519.key", NULL);
      path = g_strconcat (secret, ".pub", NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS) && rk_envelope_keygen (secret, "x25519") != RK_ENVELOPE_OK)
        {
          g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_STATE, "cannot create the demo recipient key");
          return FALSE;
        }
      g_message ("record: demo mode, records are sealed to a local stand-in for Disdukcapil's key (%s)", path);
    }
  if (path == NULL)
    {
      g_message ("record: [record] recipient_public_key not set: new records are refused until it is");
      return TRUE;
    }
  status = rk_envelope_key_load (path, "x25519-public", record->recipient_public, sizeof record->recipient_public);
  if (status != RK_ENVELOPE_OK)
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_CONFIG, "[record] recipient_public_key %s: %s", path,
                   rk_envelope_strerror (status));
      return FALSE;
    }
  record->have_recipient = TRUE;
  return TRUE;
}

static gboolean
load_config (RkRecord *record, GKeyFile *config, GError **error)
{
  gint64 v;

  record->station_id = config_string (config, "station_id", "rekam-station");
  record->upload.base_url = config_string (config, "upload_url", NULL);
  if (record->upload.base_url != NULL && !g_str_has_suffix (record->upload.base_url, "/"))
    {
      char *with_slash = g_strconcat (record->upload.base_url, "/", NULL);
      g_free (record->upload.base_url);
      record->upload.base_url = with_slash;
    }
  if (record->upload.base_url != NULL && !g_str_has_prefix (record->upload.base_url, "https://"))
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_CONFIG, "[record] upload_url must be https://");
      return FALSE;
    }
  record->upload.client_cert = config_string (config, "client_cert", NULL);
  record->upload.client_key = config_string (config, "client_key", NULL);
  record->upload.ca_file = config_string (config, "ca_file", NULL);
  record->upload_enabled = record->upload.base_url != NULL;
#define INT_KEY(field, key, def, min, max)                  \
  if ((v = config_int (config, key, def, min, max, error)) < 0) \
    return FALSE;                                           \
  field = v;
  INT_KEY (record->upload.connect_timeout_ms, "connect_timeout_ms", 10000, 1, 600000)
  INT_KEY (record->upload.low_speed_time_s, "low_speed_time_s", 30, 1, 3600)
  INT_KEY (record->upload.transfer_timeout_ms, "transfer_timeout_ms", 600000, 100, 86400000)
  INT_KEY (record->retry_base_ms, "retry_base_ms", 5000, 1, 86400000)
  INT_KEY (record->retry_max_ms, "retry_max_ms", 3600000, 1, 86400000)
  INT_KEY (record->scan_interval_ms, "scan_interval_ms", 1000, 10, 3600000)
  INT_KEY (v, "min_free_mb", 64, 0, 1 << 20)
#undef INT_KEY
  record->min_free_bytes = (guint64) v << 20;
  return TRUE;
}

static gboolean
record_start (RkDaemon *daemon, GError **error)
{
  RkRecord *record = g_new0 (RkRecord, 1);
  GKeyFile *config = rk_daemon_get_config (daemon);

  record->daemon = daemon;
  record->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rk_daemon_set_module_data (daemon, MODULE, record, (GDestroyNotify) record_free);
  if (sodium_init () < 0 || curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_FAILED, "record: libsodium or libcurl failed to start");
      return FALSE;
    }
  record->dir = g_build_filename (rk_daemon_get_state_dir (daemon), "record", NULL);
  record->queue_dir = g_build_filename (record->dir, "queue", NULL);
  record->tmp_dir = g_build_filename (record->queue_dir, "tmp", NULL);
  if (!make_private_dir (record->tmp_dir, error) || !load_config (record, config, error)
      || !load_signing_key (record, error) || !load_recipient_key (record, config, error))
    return FALSE;
  if (!rk_record_queue_recover (record, error))
    return FALSE;
  rk_api_register_error_domain (RK_RECORD_ERROR, rk_record_error_map);
  rk_api_register_error_domain (RK_AN2K_BUILD_ERROR, rk_record_error_map);
  rk_record_routes_register (record);
  rk_record_upload_start (record);
  return TRUE;
}

static void
record_stop (RkDaemon *daemon)
{
  RkRecord *record = rk_record_get (daemon);

  if (record != NULL)
    rk_record_upload_stop (record);
}

const RkModule rk_module_record = {
  .name = MODULE,
  .start = record_start,
  .stop = record_stop,
};
