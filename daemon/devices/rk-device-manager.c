#define _GNU_SOURCE /* sync() */
#include "rk-device-manager.h"

#include <gudev/gudev.h>
#include <string.h>
#include <unistd.h>

#include "rk-api.h"
#include "rk-audit.h"
#include "rk-device-demo.h"
#include "rk-store.h"
#include "rki-camera.h"
#include "rki-replay.h"
#include "rki-ups.h"
#ifdef REKAM_HAVE_FPRINT
#include <fprint.h>
#include "rki-fprint-finger.h"
#endif
#ifdef REKAM_HAVE_PCSC
#include "rki-pcsc-reader.h"
#endif
#ifdef REKAM_HAVE_SANE
#include "rki-sane-scanner.h"
#endif
#ifdef REKAM_HAVE_NUT
#include "rki-nut-ups.h"
#endif
#ifdef REKAM_HAVE_EVDEV
#include "rki-evdev-signature.h"
#endif
#ifdef REKAM_HAVE_V4L2
#include "rki-v4l2-camera.h"
#endif

typedef struct _RkDeviceManager RkDeviceManagerFwd;

typedef struct {
  RkDeviceManagerFwd *manager;
  RkiDevice *device;
  char      *syspath;     /* udev devices: for removal */
  char      *last_error;  /* the last open failure, for `device info` */
} Managed;

struct _RkDeviceManager {
  RkDaemon    *daemon;
  GHashTable  *devices;       /* id -> Managed */
  GUdevClient *udev;
  GObject     *fp_context;
  guint        timeout_ms;
  guint        ups_poll_ms;
  guint        replay_count;
  guint        pcsc_timer;    /* re-lists pcscd's readers (reader hot-plug) */
  guint        pcsc_poll_ms;
  gboolean     pcsc_listing;
  GHashTable  *pending_drops; /* ids of removed devices to take off the list */
  guint        drop_idle;
  GCancellable *cancellable;  /* for the manager's own worker tasks */
  guint        held;          /* device requests in flight */
  /* power, from the UPSes */
  gboolean     on_battery;
  gboolean     low_battery;
  char        *power_ups;     /* the UPS that reported it */
  int          power_charge;
};

static void
managed_free (gpointer data)
{
  Managed *m = data;

  g_signal_handlers_disconnect_by_data (m->device, m);
  rki_device_close (m->device);
  g_object_unref (m->device);
  g_free (m->syspath);
  g_free (m->last_error);
  g_free (m);
}

RkDeviceManager *
rk_device_manager_new (RkDaemon *daemon)
{
  RkDeviceManager *self = g_new0 (RkDeviceManager, 1);

  self->daemon = daemon;
  self->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, managed_free);
  self->timeout_ms = 60000;
  self->ups_poll_ms = 2000;
  self->power_charge = -1;
  self->pcsc_poll_ms = 2000;
  self->cancellable = g_cancellable_new ();
  self->pending_drops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
rk_device_manager_free (RkDeviceManager *self)
{
  if (self == NULL)
    return;
  rk_device_manager_stop (self);
  g_hash_table_unref (self->devices);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->pending_drops);
  g_free (self->power_ups);
  g_free (self);
}

/* ---- calibration store ---- */

static GVariant *
load_calibration (RkDeviceManager *self, RkiDevice *device)
{
  sqlite3 *db = rk_store_get_db (rk_daemon_get_store (self->daemon));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *serial = rki_device_get_serial (device);
  GVariant *cal;

  if (serial == NULL)
    return NULL;
  stmt = rk_store_prepare (db, "SELECT data FROM device_calibrations WHERE serial = ?1 AND device_class = ?2",
                           &error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rki_device_get_class_name (device), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 0), -1, &error))
    return NULL;
  cal = json_gvariant_deserialize (json_parser_get_root (parser), "a{sv}", &error);
  if (cal == NULL)
    {
      g_warning ("calibration of %s unreadable: %s", rki_device_get_id (device), error->message);
      return NULL;
    }
  return g_variant_ref_sink (cal);
}

gboolean
rk_device_manager_save_calibration (RkDeviceManager *self, RkiDevice *device, const RkActor *actor,
                                    GVariant *calibration, GError **error)
{
  RkStore *store = rk_daemon_get_store (self->daemon);
  sqlite3 *db = rk_store_get_db (store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) node = json_gvariant_serialize (calibration);
  g_autofree char *data = json_to_string (node, FALSE);
  g_autofree char *detail = NULL;
  const char *serial = rki_device_get_serial (device);
  int rc;

  if (serial == NULL)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                   "device %s reports no serial number; its calibration cannot be kept",
                   rki_device_get_id (device));
      return FALSE;
    }
  if (!rk_store_begin (store, error))
    return FALSE;
  stmt = rk_store_prepare (db, "INSERT INTO device_calibrations (serial, device_class, driver, data, calibrated_by)"
                               " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (serial, device_class) DO UPDATE SET"
                               " driver = ?3, data = ?4, calibrated_by = ?5,"
                               " calibrated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", error);
  if (stmt == NULL)
    {
      rk_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rki_device_get_class_name (device), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, rki_device_get_driver (device), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, actor->username ? actor->username : "system", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "store calibration", error);
      rk_store_rollback (store);
      return FALSE;
    }
  {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "serial");
    json_builder_add_string_value (b, serial);
    json_builder_set_member_name (b, "class");
    json_builder_add_string_value (b, rki_device_get_class_name (device));
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    detail = json_to_string (root, FALSE);
  }
  if (rk_audit_append (store, actor, "device.calibrate", rki_device_get_id (device), detail, error) < 0 ||
      !rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* ---- power (UPS policy) ---- */

/* Pushes the WAL into the database file and the file to disk, so a power
 * cut after this loses nothing committed. */
static void
flush_store (RkDeviceManager *self)
{
  sqlite3 *db = rk_store_get_db (rk_daemon_get_store (self->daemon));
  int rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

  if (rc != SQLITE_OK)
    g_warning ("flushing the store on low battery: %s", sqlite3_errmsg (db));
  sync ();
}

static void
on_ups_status (RkiUps *ups, const RkiUpsStatus *status, gpointer user_data)
{
  Managed *m = user_data;
  RkDeviceManager *self = m->manager;
  gboolean was_low = self->low_battery;

  self->on_battery = status->on_battery;
  self->low_battery = status->low_battery;
  self->power_charge = status->charge;
  g_free (self->power_ups);
  self->power_ups = g_strdup (rki_device_get_id (RKI_DEVICE (ups)));
  if (status->low_battery && !was_low)
    {
      g_message ("UPS %s: low battery (%d %%): refusing new captures, %u request(s) in flight finish",
                 self->power_ups, status->charge, self->held);
      flush_store (self);
      rk_daemon_set_status (self->daemon, "low battery: captures refused");
    }
  else if (status->on_battery)
    rk_daemon_set_status (self->daemon, "on battery (%d %%)", status->charge);
  else
    rk_daemon_set_status (self->daemon, "ready");
}

gboolean
rk_device_manager_may_capture (RkDeviceManager *self, GError **error)
{
  if (!self->low_battery)
    return TRUE;
  g_set_error (error, RK_API_ERROR, RK_API_ERROR_UNAVAILABLE,
               "UPS %s reports low battery (%d %%): no new captures until power returns; "
               "work in progress was saved", self->power_ups, self->power_charge);
  return FALSE;
}

void
rk_device_manager_hold (RkDeviceManager *self)
{
  self->held++;
}

void
rk_device_manager_release (RkDeviceManager *self)
{
  g_return_if_fail (self->held > 0);
  self->held--;
}

JsonNode *
rk_device_manager_power_json (RkDeviceManager *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, self->power_ups == NULL ? "unknown" : self->on_battery ? "battery" : "line");
  json_builder_set_member_name (b, "ups");
  if (self->power_ups)
    json_builder_add_string_value (b, self->power_ups);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "charge");
  json_builder_add_int_value (b, self->power_charge);
  json_builder_set_member_name (b, "on_battery");
  json_builder_add_boolean_value (b, self->on_battery);
  json_builder_set_member_name (b, "low_battery");
  json_builder_add_boolean_value (b, self->low_battery);
  json_builder_set_member_name (b, "captures_refused");
  json_builder_add_boolean_value (b, self->low_battery);
  json_builder_set_member_name (b, "in_flight");
  json_builder_add_int_value (b, self->held);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- devices ---- */

static void
open_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RkiDevice *device = RKI_DEVICE (source);
  Managed *m = user_data;
  g_autoptr(GError) error = NULL;

  if (!rki_device_open_finish (device, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return; /* m may be gone */
      g_message ("device %s (%s) did not open: %s", rki_device_get_id (device),
                 rki_device_get_driver (device), error->message);
      g_free (m->last_error);
      m->last_error = g_strdup (error->message);
      return;
    }
  g_clear_pointer (&m->last_error, g_free);
}

static gboolean
drop_removed_idle (gpointer user_data)
{
  RkDeviceManager *self = user_data;
  GHashTableIter iter;
  const char *id;

  self->drop_idle = 0;
  g_hash_table_iter_init (&iter, self->pending_drops);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    {
      Managed *m = g_hash_table_lookup (self->devices, id);
      if (m != NULL && rki_device_get_state (m->device) == RKI_DEVICE_STATE_REMOVED)
        g_hash_table_remove (self->devices, id);
    }
  g_hash_table_remove_all (self->pending_drops);
  return G_SOURCE_REMOVE;
}

/* A device of a real stack that went away (reader gone from pcscd,
 * libfprint's removal) leaves the list once its request in flight has
 * failed; replay devices stay, "removed", as their session says. */
static void
on_device_removed (RkiDevice *device, gpointer user_data)
{
  Managed *m = user_data;
  RkDeviceManager *self = m->manager;

  if (g_strcmp0 (rki_device_get_driver (device), "replay") == 0)
    return;
  g_hash_table_add (self->pending_drops, g_strdup (rki_device_get_id (device)));
  if (self->drop_idle == 0)
    self->drop_idle = g_idle_add (drop_removed_idle, self);
}

/* Takes @device; applies its stored calibration and opens it. */
static Managed *
add_device (RkDeviceManager *self, RkiDevice *device, const char *syspath)
{
  Managed *m = g_new0 (Managed, 1);
  g_autoptr(GVariant) cal = load_calibration (self, device);

  m->manager = self;
  m->device = device;
  m->syspath = g_strdup (syspath);
  if (cal != NULL)
    rki_device_set_calibration (device, cal);
  rki_device_set_timeout (device, self->timeout_ms);
  if (RKI_IS_UPS (device))
    {
      g_signal_connect (device, "status-changed", G_CALLBACK (on_ups_status), m);
      rki_ups_set_monitor_interval (RKI_UPS (device), self->ups_poll_ms);
    }
  g_signal_connect (device, "removed", G_CALLBACK (on_device_removed), m);
  g_hash_table_replace (self->devices, g_strdup (rki_device_get_id (device)), m);
  rki_device_open (device, NULL, open_cb, m);
  return m;
}

static char *
unique_id (RkDeviceManager *self, const char *prefix)
{
  for (guint n = 0;; n++)
    {
      char *id = g_strdup_printf ("%s%u", prefix, n);
      if (!g_hash_table_contains (self->devices, id))
        return id;
      g_free (id);
    }
}

RkiDevice *
rk_device_manager_add_replay (RkDeviceManager *self, const char *path, GError **error)
{
  g_autoptr(RkiSession) probe = rki_session_load (path, error);
  g_autofree char *prefix = NULL;
  g_autofree char *id = NULL;
  RkiDevice *device;

  if (probe == NULL)
    return NULL;
  /* ids say the class: replay-finger0, replay-camera0, ... */
  prefix = g_strdup_printf ("replay-%s", rki_session_get_class (probe));
  id = unique_id (self, prefix);
  device = rki_replay_device_new (path, id, error);
  if (device == NULL)
    return NULL;
  add_device (self, device, NULL);
  return device;
}

RkiDevice *
rk_device_manager_lookup (RkDeviceManager *self, const char *id)
{
  Managed *m = g_hash_table_lookup (self->devices, id);
  return m ? m->device : NULL;
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (rki_device_get_id (*(RkiDevice **) a), rki_device_get_id (*(RkiDevice **) b));
}

GPtrArray *
rk_device_manager_list (RkDeviceManager *self)
{
  GPtrArray *out = g_ptr_array_new ();
  GHashTableIter iter;
  Managed *m;

  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
    g_ptr_array_add (out, m->device);
  g_ptr_array_sort (out, compare_ids);
  return out;
}

JsonNode *
rk_device_manager_device_json (RkDeviceManager *self, RkiDevice *device)
{
  g_autoptr(GVariant) info = rki_device_get_info (device);
  JsonNode *node = json_gvariant_serialize (info);
  Managed *m = g_hash_table_lookup (self->devices, rki_device_get_id (device));
  JsonObject *obj = json_node_get_object (node);

  if (m != NULL && m->last_error != NULL)
    json_object_set_string_member (obj, "last_error", m->last_error);
  if (rki_device_get_busy_op (device) != NULL)
    json_object_set_string_member (obj, "busy_with", rki_device_get_busy_op (device));
  return node;
}

/* ---- hot-plug ---- */

static gboolean
known_syspath (RkDeviceManager *self, const char *syspath)
{
  GHashTableIter iter;
  Managed *m;

  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
    if (g_strcmp0 (m->syspath, syspath) == 0)
      return TRUE;
  return FALSE;
}

#ifdef REKAM_HAVE_EVDEV
static gboolean
is_pad (GUdevDevice *d)
{
  const char *node = g_udev_device_get_device_file (d);

  return node != NULL && g_str_has_prefix (g_udev_device_get_name (d), "event") &&
         (g_udev_device_get_property_as_boolean (d, "ID_INPUT_TABLET") ||
          g_udev_device_get_property_as_boolean (d, "REKAM_SIGNATURE_PAD"));
}

static void
add_pad (RkDeviceManager *self, GUdevDevice *d)
{
  const char *serial = g_udev_device_get_property (d, "ID_SERIAL");
  g_autofree char *id = NULL;
  RkiDevice *device;

  /* "add" after a coldplug query, or twice: one device per node */
  if (!is_pad (d) || known_syspath (self, g_udev_device_get_sysfs_path (d)))
    return;
  id = unique_id (self, "signature");
  device = rki_evdev_signature_new (g_udev_device_get_device_file (d), id);
  if (serial != NULL)
    rki_device_set_serial (device, serial);
  add_device (self, device, g_udev_device_get_sysfs_path (d));
  g_message ("device %s plugged in (%s)", id, g_udev_device_get_device_file (d));
}
#endif

#ifdef REKAM_HAVE_V4L2
/* UVC capture nodes: an iris camera when udev says so (70-rekam.rules
 * or a local rule sets REKAM_DEVICE_CLASS=iris), a camera otherwise. */
static void
add_camera (RkDeviceManager *self, GUdevDevice *d)
{
  const char *caps = g_udev_device_get_property (d, "ID_V4L_CAPABILITIES");
  const char *node = g_udev_device_get_device_file (d);
  gboolean iris = g_strcmp0 (g_udev_device_get_property (d, "REKAM_DEVICE_CLASS"), "iris") == 0;
  g_autofree char *id = NULL;

  if (node == NULL || caps == NULL || strstr (caps, ":capture:") == NULL ||
      known_syspath (self, g_udev_device_get_sysfs_path (d)))
    return;
  id = unique_id (self, iris ? "iris" : "camera");
  add_device (self, rki_v4l2_camera_new (node, id, iris, 0, 0), g_udev_device_get_sysfs_path (d));
  g_message ("device %s plugged in (%s)", id, node);
}
#endif

static void
on_uevent (GUdevClient *client, const char *action, GUdevDevice *d, gpointer user_data)
{
  RkDeviceManager *self = user_data;
  const char *syspath = g_udev_device_get_sysfs_path (d);

  if (g_strcmp0 (action, "remove") == 0)
    {
      GHashTableIter iter;
      Managed *m;
      g_hash_table_iter_init (&iter, self->devices);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
        if (m->syspath != NULL && g_strcmp0 (m->syspath, syspath) == 0)
          {
            g_message ("device %s unplugged", rki_device_get_id (m->device));
            /* Fails the request in flight with an error naming the device,
             * before the device leaves the list. */
            rki_device_set_removed (m->device);
            g_hash_table_iter_remove (&iter);
            return;
          }
      return;
    }
#ifdef REKAM_HAVE_EVDEV
  if (g_strcmp0 (action, "add") == 0 && g_strcmp0 (g_udev_device_get_subsystem (d), "input") == 0)
    add_pad (self, d);
#endif
#ifdef REKAM_HAVE_V4L2
  if (g_strcmp0 (action, "add") == 0 && g_strcmp0 (g_udev_device_get_subsystem (d), "video4linux") == 0)
    add_camera (self, d);
#endif
}

static void
start_udev (RkDeviceManager *self)
{
  static const char *const subsystems[] = { "input", "video4linux", "usb", NULL };
  GList *list;

  self->udev = g_udev_client_new (subsystems);
  g_signal_connect (self->udev, "uevent", G_CALLBACK (on_uevent), self);
  list = g_udev_client_query_by_subsystem (self->udev, "input");
  for (GList *l = list; l != NULL; l = l->next)
    {
#ifdef REKAM_HAVE_EVDEV
      add_pad (self, l->data);
#endif
    }
  g_list_free_full (list, g_object_unref);
#ifdef REKAM_HAVE_V4L2
  list = g_udev_client_query_by_subsystem (self->udev, "video4linux");
  for (GList *l = list; l != NULL; l = l->next)
    add_camera (self, l->data);
  g_list_free_full (list, g_object_unref);
#endif
}

/* ---- smartcard readers ---- */

#ifdef REKAM_HAVE_PCSC
static void
list_readers_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  /* pcscd not running is "no readers", not an error */
  g_task_return_pointer (task, rki_pcsc_list_readers (NULL), (GDestroyNotify) g_strfreev);
}

static void
readers_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_auto(GStrv) readers = g_task_propagate_pointer (G_TASK (result), NULL);
  RkDeviceManager *self;

  if (g_task_had_error (G_TASK (result)) || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return; /* the manager is gone */
  self = user_data;
  self->pcsc_listing = FALSE;
  for (guint i = 0; readers != NULL && readers[i] != NULL; i++)
    {
      GHashTableIter iter;
      Managed *m;
      gboolean known = FALSE;
      g_autofree char *id = NULL;

      g_hash_table_iter_init (&iter, self->devices);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
        if (g_strcmp0 (rki_device_get_driver (m->device), "pcsc") == 0 &&
            rki_device_get_state (m->device) != RKI_DEVICE_STATE_REMOVED &&
            g_strcmp0 (rki_pcsc_reader_get_name (m->device), readers[i]) == 0)
          known = TRUE;
      if (known)
        continue;
      id = unique_id (self, "smartcard");
      g_message ("device %s plugged in (%s)", id, readers[i]);
      add_device (self, rki_pcsc_reader_new (readers[i], id), NULL);
    }
}

static gboolean
pcsc_poll (gpointer user_data)
{
  RkDeviceManager *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (self->pcsc_listing)
    return G_SOURCE_CONTINUE;
  self->pcsc_listing = TRUE;
  task = g_task_new (NULL, self->cancellable, readers_listed, self);
  g_task_run_in_thread (task, list_readers_thread);
  return G_SOURCE_CONTINUE;
}
#endif

/* ---- start/stop ---- */

static gboolean
config_bool (GKeyFile *config, const char *key, gboolean fallback)
{
  g_autoptr(GError) error = NULL;
  gboolean v = g_key_file_get_boolean (config, "devices", key, &error);
  return error ? fallback : v;
}

static GStrv
config_list (GKeyFile *config, const char *key)
{
  return g_key_file_get_string_list (config, "devices", key, NULL, NULL);
}

gboolean
rk_device_manager_start (RkDeviceManager *self, GError **error)
{
  GKeyFile *config = rk_daemon_get_config (self->daemon);
  g_auto(GStrv) replays = config_list (config, "replay");
  g_auto(GStrv) ups = config_list (config, "ups");
  g_auto(GStrv) sane = config_list (config, "sane");
  g_autoptr(GError) local = NULL;
  gint64 v;

  v = g_key_file_get_int64 (config, "devices", "timeout_ms", &local);
  if (local == NULL && v > 0 && v <= 3600000)
    self->timeout_ms = (guint) v;
  g_clear_error (&local);
  v = g_key_file_get_int64 (config, "devices", "ups_poll_ms", &local);
  if (local == NULL && v >= 50 && v <= 600000)
    self->ups_poll_ms = (guint) v;
  g_clear_error (&local);

  if (rk_daemon_is_demo (self->daemon))
    {
      g_autofree char *dir = g_build_filename (rk_daemon_get_state_dir (self->daemon), "demo-devices", NULL);
      g_autoptr(GPtrArray) paths = rk_device_demo_write_sessions (dir, error);
      if (paths == NULL)
        return FALSE;
      for (guint i = 0; i < paths->len; i++)
        if (rk_device_manager_add_replay (self, g_ptr_array_index (paths, i), error) == NULL)
          return FALSE;
    }
  for (guint i = 0; replays != NULL && replays[i] != NULL; i++)
    if (rk_device_manager_add_replay (self, replays[i], error) == NULL)
      {
        g_prefix_error (error, "[devices] replay: ");
        return FALSE;
      }

#ifdef REKAM_HAVE_FPRINT
  if (config_bool (config, "fprint", TRUE))
    {
      g_autoptr(GPtrArray) fingers = NULL;
      self->fp_context = G_OBJECT (fp_context_new ());
      fingers = rki_fprint_finger_enumerate (self->fp_context, "finger");
      for (guint i = 0; i < fingers->len; i++)
        add_device (self, g_object_ref (g_ptr_array_index (fingers, i)), NULL);
    }
#endif
#ifdef REKAM_HAVE_PCSC
  v = g_key_file_get_int64 (config, "devices", "pcsc_poll_ms", &local);
  if (local == NULL && v >= 50 && v <= 600000)
    self->pcsc_poll_ms = (guint) v;
  g_clear_error (&local);
  if (config_bool (config, "pcsc", TRUE))
    {
      /* Readers come and go (the e-KTP reader is USB): re-list them in a
       * worker, pcscd may block or not run yet. */
      self->pcsc_timer = g_timeout_add (self->pcsc_poll_ms, pcsc_poll, self);
      pcsc_poll (self);
    }
#endif
#ifdef REKAM_HAVE_SANE
  for (guint i = 0; sane != NULL && sane[i] != NULL; i++)
    {
      g_autofree char *id = unique_id (self, "scanner");
      add_device (self, rki_sane_scanner_new (sane[i], id), NULL);
    }
#endif
#ifdef REKAM_HAVE_NUT
  for (guint i = 0; ups != NULL && ups[i] != NULL; i++)
    {
      /* name@host:port, like upsc */
      g_autofree char *name = g_strdup (ups[i]);
      char *at = strchr (name, '@'), *colon;
      g_autofree char *id = unique_id (self, "ups");
      guint64 port = 3493;
      if (at == NULL)
        {
          g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_CONFIG,
                       "[devices] ups: '%s' is not name@host[:port]", ups[i]);
          return FALSE;
        }
      *at = '\0';
      colon = strrchr (at + 1, ':');
      if (colon != NULL)
        {
          *colon = '\0';
          if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
            {
              g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_CONFIG,
                           "[devices] ups: bad port in '%s'", ups[i]);
              return FALSE;
            }
        }
      add_device (self, rki_nut_ups_new (name, at + 1, (guint16) port, id), NULL);
    }
#endif
  if (config_bool (config, "udev", TRUE))
    start_udev (self);
  return TRUE;
}

void
rk_device_manager_stop (RkDeviceManager *self)
{
  g_clear_handle_id (&self->pcsc_timer, g_source_remove);
  g_clear_handle_id (&self->drop_idle, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->udev != NULL)
    g_signal_handlers_disconnect_by_data (self->udev, self);
  g_clear_object (&self->udev);
  g_hash_table_remove_all (self->devices);
  g_clear_object (&self->fp_context);
}
