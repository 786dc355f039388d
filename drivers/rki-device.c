#include "rki-device-private.h"

typedef struct {
  char          *id;
  char          *serial;
  char          *firmware;
  char          *label;
  RkiDeviceState state;
  GTask         *task;             /* the caller's request, NULL when none */
  const char    *task_op;          /* static string */
  GCancellable  *task_cancellable; /* what the backend watches */
  GCancellable  *caller_cancellable;
  gulong         caller_handler;
  guint          timeout_id;
  guint          timeout_ms;
  gboolean       backend_pending;  /* the backend still owes a completion */
  GVariant      *calibration;
} RkiDevicePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RkiDevice, rki_device, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_STATE, N_PROPS };
static GParamSpec *props[N_PROPS];
enum { SIGNAL_REMOVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *const state_names[] = { "closed", "opening", "idle", "busy", "removed" };

const char *
rki_device_state_to_string (RkiDeviceState state)
{
  return (guint) state < G_N_ELEMENTS (state_names) ? state_names[state] : "unknown";
}

static void
set_state (RkiDevice *self, RkiDeviceState state)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);

  if (priv->state == state)
    return;
  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/* Detach the caller's task from the backend's work: the timeout, the
 * cancellation link. Returns the task (transfer full) or NULL. */
static GTask *
steal_task (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);

  g_clear_handle_id (&priv->timeout_id, g_source_remove);
  if (priv->caller_handler != 0)
    g_cancellable_disconnect (priv->caller_cancellable, priv->caller_handler);
  priv->caller_handler = 0;
  g_clear_object (&priv->caller_cancellable);
  return g_steal_pointer (&priv->task);
}

/* Fail the task in flight now, while the backend may still be working:
 * used by timeout, unplug and close. */
static void
abort_task (RkiDevice *self, GError *error)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  g_autoptr(GTask) task = steal_task (self);

  if (priv->task_cancellable != NULL)
    g_cancellable_cancel (priv->task_cancellable);
  if (task == NULL)
    {
      g_error_free (error);
      return;
    }
  if (priv->state == RKI_DEVICE_STATE_BUSY)
    set_state (self, RKI_DEVICE_STATE_IDLE);
  else if (priv->state == RKI_DEVICE_STATE_OPENING)
    set_state (self, RKI_DEVICE_STATE_CLOSED);
  g_task_return_error (task, error);
}

static gboolean
task_timeout_cb (gpointer user_data)
{
  RkiDevice *self = user_data;
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);

  priv->timeout_id = 0;
  abort_task (self, g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_TIMEOUT,
                                 "device %s did not answer %s within %u ms",
                                 priv->id, priv->task_op, priv->timeout_ms));
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  /* Runs in the cancelling thread; only forward the cancellation, the
   * backend completes (with G_IO_ERROR_CANCELLED) on the main loop. */
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

gboolean
rki_device_task_begin (RkiDevice *self, const char *op, gboolean supported,
                       gboolean needs_open, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data,
                       gpointer source_tag)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (!supported)
    {
      g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                               "device %s (%s) does not support %s", priv->id,
                               rki_device_get_driver (self), op);
      return FALSE;
    }
  if (priv->state == RKI_DEVICE_STATE_REMOVED)
    {
      g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_REMOVED,
                               "device %s is unplugged", priv->id);
      return FALSE;
    }
  if (priv->task != NULL || priv->backend_pending || priv->state == RKI_DEVICE_STATE_OPENING)
    {
      g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_BUSY,
                               "device %s is busy (%s in progress)", priv->id,
                               priv->task_op ? priv->task_op : "open");
      return FALSE;
    }
  if (needs_open && priv->state != RKI_DEVICE_STATE_IDLE)
    {
      g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_OPEN,
                               "device %s is not open", priv->id);
      return FALSE;
    }
  if (!needs_open && priv->state != RKI_DEVICE_STATE_CLOSED)
    {
      g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_ALREADY_OPEN,
                               "device %s is already open", priv->id);
      return FALSE;
    }

  priv->task = g_steal_pointer (&task);
  priv->task_op = op;
  priv->backend_pending = TRUE;
  g_clear_object (&priv->task_cancellable);
  priv->task_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      priv->caller_cancellable = g_object_ref (cancellable);
      priv->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    g_object_ref (priv->task_cancellable),
                                                    g_object_unref);
    }
  if (priv->timeout_ms > 0)
    priv->timeout_id = g_timeout_add (priv->timeout_ms, task_timeout_cb, self);
  set_state (self, needs_open ? RKI_DEVICE_STATE_BUSY : RKI_DEVICE_STATE_OPENING);
  return TRUE;
}

void
rki_device_task_complete (RkiDevice *self, gpointer result, GDestroyNotify destroy,
                          GError *error)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  gboolean opening = priv->state == RKI_DEVICE_STATE_OPENING;

  priv->backend_pending = FALSE;
  task = steal_task (self);
  if (task == NULL)
    {
      /* Already answered (timeout, unplug, close): drop the late result. */
      if (result != NULL && destroy != NULL)
        destroy (result);
      g_clear_error (&error);
      return;
    }
  if (priv->state != RKI_DEVICE_STATE_REMOVED)
    set_state (self, opening && error != NULL ? RKI_DEVICE_STATE_CLOSED : RKI_DEVICE_STATE_IDLE);
  if (error != NULL)
    {
      if (result != NULL && destroy != NULL)
        destroy (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, destroy);
}

gpointer
rki_device_task_finish (RkiDevice *self, GAsyncResult *result, gpointer source_tag,
                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GCancellable *
rki_device_get_task_cancellable (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  return priv->task_cancellable;
}

/* ---- open / close / test / calibrate ---- */

void
rki_device_open (RkiDevice *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                 gpointer user_data)
{
  RkiDeviceClass *klass = RKI_DEVICE_GET_CLASS (self);

  if (!rki_device_task_begin (self, "open", klass->open != NULL, FALSE, cancellable, callback,
                              user_data, rki_device_open))
    return;
  klass->open (self);
}

void
rki_device_open_complete (RkiDevice *self, GError *error)
{
  rki_device_task_complete (self, error ? NULL : GINT_TO_POINTER (1), NULL, error);
}

gboolean
rki_device_open_finish (RkiDevice *self, GAsyncResult *result, GError **error)
{
  return rki_device_task_finish (self, result, rki_device_open, error) != NULL;
}

void
rki_device_close (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  RkiDeviceClass *klass = RKI_DEVICE_GET_CLASS (self);

  if (priv->state == RKI_DEVICE_STATE_CLOSED)
    return;
  abort_task (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "device %s was closed during %s", priv->id,
                                 priv->task_op ? priv->task_op : "a request"));
  /* Whatever the backend still owes is dropped when it arrives. */
  priv->backend_pending = FALSE;
  if (klass->close != NULL)
    klass->close (self);
  set_state (self, RKI_DEVICE_STATE_CLOSED);
}

void
rki_device_test (RkiDevice *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                 gpointer user_data)
{
  RkiDeviceClass *klass = RKI_DEVICE_GET_CLASS (self);

  if (!rki_device_task_begin (self, "test", klass->test != NULL, TRUE, cancellable, callback,
                              user_data, rki_device_test))
    return;
  klass->test (self);
}

void
rki_device_test_complete (RkiDevice *self, GVariant *checks, GError *error)
{
  if (checks != NULL)
    g_variant_ref_sink (checks);
  rki_device_task_complete (self, checks, (GDestroyNotify) g_variant_unref, error);
}

GVariant *
rki_device_test_finish (RkiDevice *self, GAsyncResult *result, GError **error)
{
  return rki_device_task_finish (self, result, rki_device_test, error);
}

void
rki_device_calibrate (RkiDevice *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  RkiDeviceClass *klass = RKI_DEVICE_GET_CLASS (self);

  if (!rki_device_task_begin (self, "calibrate", klass->calibrate != NULL, TRUE, cancellable,
                              callback, user_data, rki_device_calibrate))
    return;
  klass->calibrate (self);
}

void
rki_device_calibrate_complete (RkiDevice *self, GVariant *calibration, GError *error)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);

  if (calibration != NULL)
    {
      g_variant_ref_sink (calibration);
      /* Only a calibration that reached the caller is kept. */
      if (error == NULL && priv->task != NULL)
        rki_device_set_calibration (self, calibration);
    }
  rki_device_task_complete (self, calibration, (GDestroyNotify) g_variant_unref, error);
}

GVariant *
rki_device_calibrate_finish (RkiDevice *self, GAsyncResult *result, GError **error)
{
  return rki_device_task_finish (self, result, rki_device_calibrate, error);
}

void
rki_device_set_removed (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);

  if (priv->state == RKI_DEVICE_STATE_REMOVED)
    return;
  abort_task (self, g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_REMOVED,
                                 "device %s (%s) was unplugged during %s", priv->id,
                                 priv->label ? priv->label : rki_device_get_full_name (self),
                                 priv->task_op ? priv->task_op : "use"));
  set_state (self, RKI_DEVICE_STATE_REMOVED);
  g_signal_emit (self, signals[SIGNAL_REMOVED], 0);
}

/* ---- identity ---- */

const char *rki_device_get_id (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  return priv->id;
}
const char *rki_device_get_serial (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  return priv->serial;
}
const char *rki_device_get_firmware (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  return priv->firmware;
}
const char *rki_device_get_label (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  return priv->label ? priv->label : rki_device_get_full_name (self);
}
RkiDeviceState rki_device_get_state (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  return priv->state;
}
const char *rki_device_get_busy_op (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  return priv->task != NULL ? priv->task_op : NULL;
}
const char *rki_device_get_class_name (RkiDevice *self)
{
  return RKI_DEVICE_GET_CLASS (self)->device_class;
}
const char *rki_device_get_driver (RkiDevice *self)
{
  return RKI_DEVICE_GET_CLASS (self)->driver;
}
const char *rki_device_get_full_name (RkiDevice *self)
{
  const char *name = RKI_DEVICE_GET_CLASS (self)->full_name;
  return name ? name : G_OBJECT_TYPE_NAME (self);
}

static void
set_string (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

void rki_device_set_id (RkiDevice *self, const char *id)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  set_string (&priv->id, id);
}
void rki_device_set_serial (RkiDevice *self, const char *serial)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  set_string (&priv->serial, serial);
}
void rki_device_set_firmware (RkiDevice *self, const char *firmware)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  set_string (&priv->firmware, firmware);
}
void rki_device_set_label (RkiDevice *self, const char *label)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  set_string (&priv->label, label);
}

void
rki_device_set_timeout (RkiDevice *self, guint timeout_ms)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  priv->timeout_ms = timeout_ms;
}

void
rki_device_set_calibration (RkiDevice *self, GVariant *calibration)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);

  g_return_if_fail (calibration == NULL || g_variant_is_of_type (calibration, G_VARIANT_TYPE_VARDICT));
  if (calibration != NULL)
    g_variant_ref_sink (calibration);
  g_clear_pointer (&priv->calibration, g_variant_unref);
  priv->calibration = calibration;
}

GVariant *
rki_device_get_calibration (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  return priv->calibration;
}

GVariant *
rki_device_get_info (RkiDevice *self)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);
  RkiDeviceClass *klass = RKI_DEVICE_GET_CLASS (self);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_string (priv->id ? priv->id : ""));
  g_variant_builder_add (&builder, "{sv}", "class", g_variant_new_string (klass->device_class));
  g_variant_builder_add (&builder, "{sv}", "driver", g_variant_new_string (klass->driver));
  g_variant_builder_add (&builder, "{sv}", "full_name",
                         g_variant_new_string (rki_device_get_full_name (self)));
  g_variant_builder_add (&builder, "{sv}", "label", g_variant_new_string (rki_device_get_label (self)));
  if (priv->serial != NULL)
    g_variant_builder_add (&builder, "{sv}", "serial", g_variant_new_string (priv->serial));
  if (priv->firmware != NULL)
    g_variant_builder_add (&builder, "{sv}", "firmware", g_variant_new_string (priv->firmware));
  g_variant_builder_add (&builder, "{sv}", "state",
                         g_variant_new_string (rki_device_state_to_string (priv->state)));
  g_variant_builder_add (&builder, "{sv}", "calibrated",
                         g_variant_new_boolean (priv->calibration != NULL));
  if (klass->add_info != NULL)
    klass->add_info (self, &builder);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

void
rki_checks_add (GVariantBuilder *builder, const char *name, gboolean passed,
                const char *format, ...)
{
  va_list args;
  g_autofree char *detail = NULL;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_variant_builder_add (builder, "(sbs)", name, passed, detail);
}

/* ---- GObject ---- */

static void
rki_device_dispose (GObject *object)
{
  RkiDevice *self = RKI_DEVICE (object);
  RkiDevicePrivate *priv = rki_device_get_instance_private (self);

  if (priv->state != RKI_DEVICE_STATE_CLOSED && priv->state != RKI_DEVICE_STATE_REMOVED)
    rki_device_close (self);
  else
    abort_task (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "device %s went away", priv->id));
  g_clear_object (&priv->task_cancellable);
  G_OBJECT_CLASS (rki_device_parent_class)->dispose (object);
}

static void
rki_device_finalize (GObject *object)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (RKI_DEVICE (object));

  g_free (priv->id);
  g_free (priv->serial);
  g_free (priv->firmware);
  g_free (priv->label);
  g_clear_pointer (&priv->calibration, g_variant_unref);
  G_OBJECT_CLASS (rki_device_parent_class)->finalize (object);
}

static void
rki_device_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (RKI_DEVICE (object));

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, priv->id); break;
    case PROP_STATE: g_value_set_int (value, priv->state); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rki_device_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RkiDevicePrivate *priv = rki_device_get_instance_private (RKI_DEVICE (object));

  switch (prop_id)
    {
    case PROP_ID: set_string (&priv->id, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rki_device_class_init (RkiDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rki_device_dispose;
  object_class->finalize = rki_device_finalize;
  object_class->get_property = rki_device_get_property;
  object_class->set_property = rki_device_set_property;

  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  props[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, RKI_DEVICE_STATE_REMOVED, 0,
                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  signals[SIGNAL_REMOVED] = g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rki_device_init (RkiDevice *self)
{
}
