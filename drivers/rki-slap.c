#include "rki-slap.h"
#include "rki-checks.h"

typedef struct {
  RkiImageOp op; /* what the backend's next image answers */
} RkiSlapPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RkiSlap, rki_slap, RKI_TYPE_DEVICE)

static const char *const position_names[] = { "left-four", "right-four", "thumbs" };

const char *
rki_slap_position_to_string (RkiSlapPosition position)
{
  return (guint) position < G_N_ELEMENTS (position_names) ? position_names[position] : "unknown";
}

gboolean
rki_slap_position_from_string (const char *text, RkiSlapPosition *ret_position)
{
  for (guint i = 0; i < G_N_ELEMENTS (position_names); i++)
    if (g_strcmp0 (text, position_names[i]) == 0)
      {
        *ret_position = (RkiSlapPosition) i;
        return TRUE;
      }
  return FALSE;
}

void
rki_slap_capture (RkiSlap *self, RkiSlapPosition position, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  RkiSlapClass *klass = RKI_SLAP_GET_CLASS (self);

  if (!rki_device_task_begin (RKI_DEVICE (self), "capture", klass->capture != NULL, TRUE,
                              cancellable, callback, user_data, rki_slap_capture))
    return;
  ((RkiSlapPrivate *) rki_slap_get_instance_private (self))->op = RKI_IMAGE_OP_CAPTURE;
  klass->capture (self, position);
}

void
rki_slap_capture_complete (RkiSlap *self, RkiImage *image, GError *error)
{
  RkiSlapPrivate *priv = rki_slap_get_instance_private (self);
  RkiImageOp op = priv->op;

  priv->op = RKI_IMAGE_OP_CAPTURE;
  rki_image_op_complete (RKI_DEVICE (self), RKI_CHECK_PRINT, op, image, error);
}

/* test and calibrate: one capture judged by rki-checks.c */
static void
rki_slap_test (RkiDevice *device)
{
  RkiSlapPrivate *priv = rki_slap_get_instance_private (RKI_SLAP (device));

  priv->op = RKI_IMAGE_OP_TEST;
  RKI_SLAP_GET_CLASS (device)->capture (RKI_SLAP (device), RKI_SLAP_RIGHT_FOUR);
}

static void
rki_slap_calibrate (RkiDevice *device)
{
  RkiSlapPrivate *priv = rki_slap_get_instance_private (RKI_SLAP (device));

  priv->op = RKI_IMAGE_OP_CALIBRATE;
  RKI_SLAP_GET_CLASS (device)->capture (RKI_SLAP (device), RKI_SLAP_RIGHT_FOUR);
}

RkiImage *
rki_slap_capture_finish (RkiSlap *self, GAsyncResult *result, GError **error)
{
  return rki_device_task_finish (RKI_DEVICE (self), result, rki_slap_capture, error);
}

static void
rki_slap_class_init (RkiSlapClass *klass)
{
  RKI_DEVICE_CLASS (klass)->device_class = "slap";
  RKI_DEVICE_CLASS (klass)->test = rki_slap_test;
  RKI_DEVICE_CLASS (klass)->calibrate = rki_slap_calibrate;
}

static void
rki_slap_init (RkiSlap *self)
{
}
