#include "rki-signature.h"

#define CORNER_TAPS 4

typedef struct {
  guint    stream_users;
  int      max_x, max_y, max_p;
  guint64  samples;
  gboolean was_touching;
  gboolean calibrating;
  guint    taps;
  int      tap_x[CORNER_TAPS];
  int      tap_y[CORNER_TAPS];
} RkiSignaturePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RkiSignature, rki_signature, RKI_TYPE_DEVICE)

enum { SIGNAL_PEN, N_SIGNALS };
static guint signals[N_SIGNALS];

gboolean
rki_signature_start_stream (RkiSignature *self, GError **error)
{
  RkiSignaturePrivate *priv = rki_signature_get_instance_private (self);
  RkiDevice *device = RKI_DEVICE (self);
  RkiDeviceState state = rki_device_get_state (device);

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (state != RKI_DEVICE_STATE_IDLE && state != RKI_DEVICE_STATE_BUSY)
    {
      g_set_error (error, RKI_DEVICE_ERROR,
                   state == RKI_DEVICE_STATE_REMOVED ? RKI_DEVICE_ERROR_REMOVED : RKI_DEVICE_ERROR_NOT_OPEN,
                   "device %s is %s", rki_device_get_id (device),
                   state == RKI_DEVICE_STATE_REMOVED ? "unplugged" : "not open");
      return FALSE;
    }
  if (priv->stream_users == 0)
    {
      RkiSignatureClass *klass = RKI_SIGNATURE_GET_CLASS (self);
      if (klass->start_stream != NULL && !klass->start_stream (self, error))
        return FALSE;
    }
  priv->stream_users++;
  return TRUE;
}

void
rki_signature_stop_stream (RkiSignature *self)
{
  RkiSignaturePrivate *priv = rki_signature_get_instance_private (self);

  if (priv->stream_users == 0)
    return;
  if (--priv->stream_users == 0 && RKI_SIGNATURE_GET_CLASS (self)->stop_stream != NULL)
    RKI_SIGNATURE_GET_CLASS (self)->stop_stream (self);
}

guint64
rki_signature_get_sample_count (RkiSignature *self)
{
  RkiSignaturePrivate *priv = rki_signature_get_instance_private (self);
  return priv->samples;
}

void
rki_signature_set_ranges (RkiSignature *self, int max_x, int max_y, int max_pressure)
{
  RkiSignaturePrivate *priv = rki_signature_get_instance_private (self);

  priv->max_x = MAX (max_x, 1);
  priv->max_y = MAX (max_y, 1);
  priv->max_p = MAX (max_pressure, 1);
}

static gboolean
lookup_int (GVariant *dict, const char *key, int *ret_value)
{
  gint32 v;
  if (dict == NULL || !g_variant_lookup (dict, key, "i", &v))
    return FALSE;
  *ret_value = v;
  return TRUE;
}

static double
clamp01 (double v)
{
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

static void
finish_calibration (RkiSignature *self)
{
  RkiSignaturePrivate *priv = rki_signature_get_instance_private (self);
  GVariantBuilder b;
  int x_min = G_MAXINT, x_max = G_MININT, y_min = G_MAXINT, y_max = G_MININT;

  priv->calibrating = FALSE;
  rki_signature_stop_stream (self);
  /* Taps land near the corners, not on them: the box spanned by the four
   * is the writable area. */
  for (guint i = 0; i < CORNER_TAPS; i++)
    {
      x_min = MIN (x_min, priv->tap_x[i]);
      x_max = MAX (x_max, priv->tap_x[i]);
      y_min = MIN (y_min, priv->tap_y[i]);
      y_max = MAX (y_max, priv->tap_y[i]);
    }
  if (x_max - x_min < priv->max_x / 10 || y_max - y_min < priv->max_y / 10)
    {
      rki_device_calibrate_complete (RKI_DEVICE (self), NULL,
                                     g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                                                  "corner taps on %s span only %dx%d of %dx%d units; "
                                                  "tap the four corners of the pad",
                                                  rki_device_get_id (RKI_DEVICE (self)),
                                                  x_max - x_min, y_max - y_min, priv->max_x, priv->max_y));
      return;
    }
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "x-min", g_variant_new_int32 (x_min));
  g_variant_builder_add (&b, "{sv}", "x-max", g_variant_new_int32 (x_max));
  g_variant_builder_add (&b, "{sv}", "y-min", g_variant_new_int32 (y_min));
  g_variant_builder_add (&b, "{sv}", "y-max", g_variant_new_int32 (y_max));
  rki_device_calibrate_complete (RKI_DEVICE (self), g_variant_builder_end (&b), NULL);
}

void
rki_signature_push_raw (RkiSignature *self, int x, int y, int pressure, gboolean touch)
{
  RkiSignaturePrivate *priv = rki_signature_get_instance_private (self);
  GVariant *cal = rki_device_get_calibration (RKI_DEVICE (self));
  int x0 = 0, x1 = priv->max_x, y0 = 0, y1 = priv->max_y;
  double nx, ny, np;

  priv->samples++;
  if (priv->calibrating && touch && !priv->was_touching && priv->taps < CORNER_TAPS)
    {
      priv->tap_x[priv->taps] = x;
      priv->tap_y[priv->taps] = y;
      priv->taps++;
    }
  priv->was_touching = touch;
  if (priv->calibrating && priv->taps == CORNER_TAPS)
    {
      finish_calibration (self);
      return;
    }
  if (lookup_int (cal, "x-min", &x0) && lookup_int (cal, "x-max", &x1) &&
      lookup_int (cal, "y-min", &y0) && lookup_int (cal, "y-max", &y1) && x1 > x0 && y1 > y0)
    ;
  else
    x0 = 0, x1 = priv->max_x, y0 = 0, y1 = priv->max_y;
  nx = clamp01 ((double) (x - x0) / (double) MAX (x1 - x0, 1));
  ny = clamp01 ((double) (y - y0) / (double) MAX (y1 - y0, 1));
  np = clamp01 ((double) pressure / (double) MAX (priv->max_p, 1));
  g_signal_emit (self, signals[SIGNAL_PEN], 0, nx, ny, np, touch, g_get_monotonic_time ());
}

static void
rki_signature_calibrate (RkiDevice *device)
{
  RkiSignature *self = RKI_SIGNATURE (device);
  RkiSignaturePrivate *priv = rki_signature_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  if (!rki_signature_start_stream (self, &error))
    {
      rki_device_calibrate_complete (device, NULL, g_steal_pointer (&error));
      return;
    }
  priv->calibrating = TRUE;
  priv->taps = 0;
}

static void
on_state_changed (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  RkiSignature *self = RKI_SIGNATURE (object);
  RkiSignaturePrivate *priv = rki_signature_get_instance_private (self);
  RkiDeviceState state = rki_device_get_state (RKI_DEVICE (self));

  if (priv->calibrating && state != RKI_DEVICE_STATE_BUSY)
    {
      priv->calibrating = FALSE; /* timed out or unplugged: give the stream back */
      rki_signature_stop_stream (self);
    }
  if (state == RKI_DEVICE_STATE_CLOSED || state == RKI_DEVICE_STATE_REMOVED)
    priv->stream_users = 0;
}

static void
rki_signature_class_init (RkiSignatureClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  device_class->device_class = "signature";
  device_class->calibrate = rki_signature_calibrate;
  signals[SIGNAL_PEN] = g_signal_new ("pen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                      NULL, NULL, G_TYPE_NONE, 5, G_TYPE_DOUBLE, G_TYPE_DOUBLE,
                                      G_TYPE_DOUBLE, G_TYPE_BOOLEAN, G_TYPE_INT64);
}

static void
rki_signature_init (RkiSignature *self)
{
  RkiSignaturePrivate *priv = rki_signature_get_instance_private (self);

  priv->max_x = priv->max_y = priv->max_p = 1;
  g_signal_connect (self, "notify::state", G_CALLBACK (on_state_changed), NULL);
}
