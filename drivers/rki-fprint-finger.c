/* rki-fprint-finger.c: the finger class on libfprint. */
#include "rki-fprint-finger.h"

#include <fprint.h>

#define RKI_TYPE_FPRINT_FINGER (rki_fprint_finger_get_type ())
G_DECLARE_FINAL_TYPE (RkiFprintFinger, rki_fprint_finger, RKI, FPRINT_FINGER, RkiFinger)

struct _RkiFprintFinger {
  RkiFinger  parent;
  FpContext *context; /* keeps the device list alive */
  FpDevice  *device;
  gulong     status_id;
  gulong     removed_id;
};

G_DEFINE_TYPE (RkiFprintFinger, rki_fprint_finger, RKI_TYPE_FINGER)

/* libfprint errors to ours; takes @error. */
static GError *
map_error (RkiFprintFinger *self, GError *error)
{
  const char *id = rki_device_get_id (RKI_DEVICE (self));
  GError *mapped;

  if (error->domain == G_IO_ERROR)
    return error;
  if (g_error_matches (error, FP_DEVICE_ERROR, FP_DEVICE_ERROR_REMOVED))
    mapped = g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_REMOVED, "device %s was unplugged", id);
  else if (error->domain == FP_DEVICE_RETRY)
    mapped = g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_PROTOCOL,
                          "device %s asks to place the finger again: %s", id, error->message);
  else if (g_error_matches (error, FP_DEVICE_ERROR, FP_DEVICE_ERROR_BUSY))
    mapped = g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_BUSY, "device %s: %s", id, error->message);
  else
    mapped = g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_FAILED, "device %s: %s", id, error->message);
  g_error_free (error);
  return mapped;
}

static void
open_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RkiFprintFinger) self = user_data;
  GError *error = NULL;

  if (!fp_device_open_finish (FP_DEVICE (source), result, &error))
    error = map_error (self, error);
  rki_device_open_complete (RKI_DEVICE (self), error);
}

static void
fprint_open (RkiDevice *device)
{
  RkiFprintFinger *self = RKI_FPRINT_FINGER (device);

  fp_device_open (self->device, rki_device_get_task_cancellable (device), open_cb, g_object_ref (self));
}

static void
close_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fp_device_close_finish (FP_DEVICE (source), result, &error))
    g_debug ("closing %s: %s", fp_device_get_name (FP_DEVICE (source)), error->message);
}

static void
fprint_close (RkiDevice *device)
{
  RkiFprintFinger *self = RKI_FPRINT_FINGER (device);

  if (fp_device_is_open (self->device))
    fp_device_close (self->device, NULL, close_cb, NULL);
}

static void
capture_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RkiFprintFinger) self = user_data;
  g_autoptr(FpImage) fp_image = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  const guchar *data;
  gsize len = 0;
  RkiImage *image;

  fp_image = fp_device_capture_finish (FP_DEVICE (source), result, &error);
  if (fp_image == NULL)
    {
      rki_finger_capture_complete (RKI_FINGER (self), NULL, map_error (self, error));
      return;
    }
  data = fp_image_get_data (fp_image, &len);
  bytes = g_bytes_new (data, len);
  image = rki_image_new (RKI_PIXEL_GRAY8, fp_image_get_width (fp_image), fp_image_get_height (fp_image),
                         (guint) (fp_image_get_ppmm (fp_image) * 25.4 + 0.5), bytes, &error);
  rki_finger_capture_complete (RKI_FINGER (self), image, error);
}

static void
on_finger_status (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  RkiFprintFinger *self = user_data;

  if ((fp_device_get_finger_status (self->device) & FP_FINGER_STATUS_NEEDED) &&
      rki_device_get_busy_op (RKI_DEVICE (self)) != NULL)
    rki_finger_awaiting_finger (RKI_FINGER (self));
}

static void
fprint_capture (RkiFinger *finger)
{
  RkiFprintFinger *self = RKI_FPRINT_FINGER (finger);

  fp_device_capture (self->device, TRUE, rki_device_get_task_cancellable (RKI_DEVICE (self)),
                     capture_cb, g_object_ref (self));
}

static void
on_removed (FpDevice *device, gpointer user_data)
{
  rki_device_set_removed (RKI_DEVICE (user_data));
}

static void
rki_fprint_finger_dispose (GObject *object)
{
  RkiFprintFinger *self = RKI_FPRINT_FINGER (object);

  if (self->device != NULL)
    {
      g_clear_signal_handler (&self->status_id, self->device);
      g_clear_signal_handler (&self->removed_id, self->device);
    }
  G_OBJECT_CLASS (rki_fprint_finger_parent_class)->dispose (object);
  g_clear_object (&self->device);
  g_clear_object (&self->context);
}

static void
rki_fprint_finger_class_init (RkiFprintFingerClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = rki_fprint_finger_dispose;
  device_class->driver = "libfprint";
  device_class->full_name = "Fingerprint scanner (libfprint)";
  device_class->open = fprint_open;
  device_class->close = fprint_close;
  RKI_FINGER_CLASS (klass)->capture = fprint_capture;
}

static void
rki_fprint_finger_init (RkiFprintFinger *self)
{
}

GPtrArray *
rki_fprint_finger_enumerate (GObject *context, const char *prefix)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *devices;

  g_return_val_if_fail (FP_IS_CONTEXT (context), out);
  devices = fp_context_get_devices (FP_CONTEXT (context));
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      FpDevice *fp = g_ptr_array_index (devices, i);
      g_autofree char *id = NULL;
      RkiFprintFinger *self;

      if (!fp_device_has_feature (fp, FP_DEVICE_FEATURE_CAPTURE))
        continue;
      id = g_strdup_printf ("%s%u", prefix, out->len);
      self = g_object_new (RKI_TYPE_FPRINT_FINGER, "id", id, NULL);
      self->context = g_object_ref (FP_CONTEXT (context));
      self->device = g_object_ref (fp);
      rki_device_set_label (RKI_DEVICE (self), fp_device_get_name (fp));
      rki_device_set_serial (RKI_DEVICE (self), fp_device_get_device_id (fp));
      self->status_id = g_signal_connect (fp, "notify::finger-status", G_CALLBACK (on_finger_status), self);
      self->removed_id = g_signal_connect (fp, "removed", G_CALLBACK (on_removed), self);
      g_ptr_array_add (out, self);
    }
  return out;
}
