#include "rki-ups.h"

#include <string.h>

typedef struct {
  GMutex       read_lock;    /* read_status runs in one thread at a time */
  guint        monitor_id;
  guint        monitor_ms;
  gboolean     monitor_busy;
  gboolean     have_status;
  RkiUpsStatus last;
  GCancellable *monitor_cancellable;
} RkiUpsPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RkiUps, rki_ups, RKI_TYPE_DEVICE)

enum { SIGNAL_STATUS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
rki_ups_status_parse (RkiUpsStatus *status, const char *words)
{
  g_auto(GStrv) parts = g_strsplit (words ? words : "", " ", -1);

  status->online = status->on_battery = status->low_battery = FALSE;
  g_strlcpy (status->status, words ? words : "", sizeof status->status);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (strcmp (parts[i], "OL") == 0)
        status->online = TRUE;
      else if (strcmp (parts[i], "OB") == 0)
        status->on_battery = TRUE;
      else if (strcmp (parts[i], "LB") == 0)
        status->low_battery = TRUE;
    }
}

static void
read_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RkiUps *self = RKI_UPS (source);
  RkiUpsPrivate *priv = rki_ups_get_instance_private (self);
  g_autofree RkiUpsStatus *status = g_new0 (RkiUpsStatus, 1);
  GError *error = NULL;
  gboolean ok;

  status->charge = status->runtime = -1;
  g_mutex_lock (&priv->read_lock);
  ok = RKI_UPS_GET_CLASS (self)->read_status (self, status, cancellable, &error);
  g_mutex_unlock (&priv->read_lock);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&status), g_free);
}

static void
remember_status (RkiUps *self, const RkiUpsStatus *status)
{
  RkiUpsPrivate *priv = rki_ups_get_instance_private (self);
  gboolean changed = !priv->have_status || priv->last.online != status->online ||
                     priv->last.on_battery != status->on_battery ||
                     priv->last.low_battery != status->low_battery;

  priv->last = *status;
  priv->have_status = TRUE;
  if (changed)
    g_signal_emit (self, signals[SIGNAL_STATUS_CHANGED], 0, &priv->last);
}

static void
poll_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RkiUps *self = RKI_UPS (source);
  GError *error = NULL;
  RkiUpsStatus *status = g_task_propagate_pointer (G_TASK (result), &error);

  if (status != NULL)
    remember_status (self, status);
  rki_device_task_complete (RKI_DEVICE (self), status, g_free, error);
}

void
rki_ups_poll (RkiUps *self, GCancellable *cancellable, GAsyncReadyCallback callback,
              gpointer user_data)
{
  RkiUpsClass *klass = RKI_UPS_GET_CLASS (self);
  g_autoptr(GTask) inner = NULL;

  if (!rki_device_task_begin (RKI_DEVICE (self), "poll", klass->read_status != NULL, TRUE,
                              cancellable, callback, user_data, rki_ups_poll))
    return;
  inner = g_task_new (self, rki_device_get_task_cancellable (RKI_DEVICE (self)), poll_read_cb, NULL);
  g_task_run_in_thread (inner, read_thread);
}

RkiUpsStatus *
rki_ups_poll_finish (RkiUps *self, GAsyncResult *result, GError **error)
{
  return rki_device_task_finish (RKI_DEVICE (self), result, rki_ups_poll, error);
}

static void
monitor_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RkiUps *self = RKI_UPS (source);
  RkiUpsPrivate *priv = rki_ups_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  g_autofree RkiUpsStatus *status = g_task_propagate_pointer (G_TASK (result), &error);

  priv->monitor_busy = FALSE;
  if (status != NULL)
    remember_status (self, status);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("UPS %s: %s", rki_device_get_id (RKI_DEVICE (self)), error->message);
}

static gboolean
monitor_tick (gpointer user_data)
{
  RkiUps *self = RKI_UPS (user_data);
  RkiUpsPrivate *priv = rki_ups_get_instance_private (self);
  RkiDeviceState state = rki_device_get_state (RKI_DEVICE (self));
  g_autoptr(GTask) inner = NULL;

  if (priv->monitor_busy || (state != RKI_DEVICE_STATE_IDLE && state != RKI_DEVICE_STATE_BUSY))
    return G_SOURCE_CONTINUE;
  priv->monitor_busy = TRUE;
  inner = g_task_new (self, priv->monitor_cancellable, monitor_read_cb, NULL);
  g_task_run_in_thread (inner, read_thread);
  return G_SOURCE_CONTINUE;
}

void
rki_ups_set_monitor_interval (RkiUps *self, guint interval_ms)
{
  RkiUpsPrivate *priv = rki_ups_get_instance_private (self);

  g_clear_handle_id (&priv->monitor_id, g_source_remove);
  priv->monitor_ms = interval_ms;
  if (interval_ms > 0)
    {
      priv->monitor_id = g_timeout_add (interval_ms, monitor_tick, self);
      monitor_tick (self);
    }
}

const RkiUpsStatus *
rki_ups_get_last_status (RkiUps *self)
{
  RkiUpsPrivate *priv = rki_ups_get_instance_private (self);
  return priv->have_status ? &priv->last : NULL;
}

static void
rki_ups_add_info (RkiDevice *device, GVariantBuilder *builder)
{
  RkiUpsPrivate *priv = rki_ups_get_instance_private (RKI_UPS (device));

  if (!priv->have_status)
    return;
  g_variant_builder_add (builder, "{sv}", "ups_status", g_variant_new_string (priv->last.status));
  g_variant_builder_add (builder, "{sv}", "on_battery", g_variant_new_boolean (priv->last.on_battery));
  g_variant_builder_add (builder, "{sv}", "low_battery", g_variant_new_boolean (priv->last.low_battery));
  g_variant_builder_add (builder, "{sv}", "charge", g_variant_new_int32 (priv->last.charge));
  g_variant_builder_add (builder, "{sv}", "runtime", g_variant_new_int32 (priv->last.runtime));
}

static void
on_state_changed (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  RkiUps *self = RKI_UPS (object);
  RkiUpsPrivate *priv = rki_ups_get_instance_private (self);
  RkiDeviceState state = rki_device_get_state (RKI_DEVICE (self));

  if (state == RKI_DEVICE_STATE_CLOSED || state == RKI_DEVICE_STATE_REMOVED)
    {
      g_clear_handle_id (&priv->monitor_id, g_source_remove);
      g_cancellable_cancel (priv->monitor_cancellable);
      g_clear_object (&priv->monitor_cancellable);
      priv->monitor_cancellable = g_cancellable_new ();
    }
  else if (state == RKI_DEVICE_STATE_IDLE && priv->monitor_ms > 0 && !priv->have_status)
    rki_ups_set_monitor_interval (self, priv->monitor_ms); /* first read right after open */
  else if (state == RKI_DEVICE_STATE_IDLE && priv->monitor_ms > 0 && priv->monitor_id == 0)
    rki_ups_set_monitor_interval (self, priv->monitor_ms);
}

static void
rki_ups_dispose (GObject *object)
{
  RkiUpsPrivate *priv = rki_ups_get_instance_private (RKI_UPS (object));

  g_clear_handle_id (&priv->monitor_id, g_source_remove);
  if (priv->monitor_cancellable)
    g_cancellable_cancel (priv->monitor_cancellable);
  G_OBJECT_CLASS (rki_ups_parent_class)->dispose (object);
}

static void
rki_ups_finalize (GObject *object)
{
  RkiUpsPrivate *priv = rki_ups_get_instance_private (RKI_UPS (object));

  g_clear_object (&priv->monitor_cancellable);
  g_mutex_clear (&priv->read_lock);
  G_OBJECT_CLASS (rki_ups_parent_class)->finalize (object);
}

static void
rki_ups_class_init (RkiUpsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rki_ups_dispose;
  G_OBJECT_CLASS (klass)->finalize = rki_ups_finalize;
  RKI_DEVICE_CLASS (klass)->device_class = "ups";
  RKI_DEVICE_CLASS (klass)->add_info = rki_ups_add_info;
  signals[SIGNAL_STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
rki_ups_init (RkiUps *self)
{
  RkiUpsPrivate *priv = rki_ups_get_instance_private (self);

  g_mutex_init (&priv->read_lock);
  priv->monitor_cancellable = g_cancellable_new ();
  g_signal_connect (self, "notify::state", G_CALLBACK (on_state_changed), NULL);
}
