#include "rki-finger.h"
#include "rki-checks.h"

typedef struct {
  RkiImageOp op; /* what the backend's next image answers */
} RkiFingerPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RkiFinger, rki_finger, RKI_TYPE_DEVICE)

enum { SIGNAL_AWAITING_FINGER, N_SIGNALS };
static guint signals[N_SIGNALS];

void
rki_finger_capture (RkiFinger *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                    gpointer user_data)
{
  RkiFingerClass *klass = RKI_FINGER_GET_CLASS (self);

  if (!rki_device_task_begin (RKI_DEVICE (self), "capture", klass->capture != NULL, TRUE,
                              cancellable, callback, user_data, rki_finger_capture))
    return;
  ((RkiFingerPrivate *) rki_finger_get_instance_private (self))->op = RKI_IMAGE_OP_CAPTURE;
  klass->capture (self);
}

void
rki_finger_capture_complete (RkiFinger *self, RkiImage *image, GError *error)
{
  RkiFingerPrivate *priv = rki_finger_get_instance_private (self);
  RkiImageOp op = priv->op;

  priv->op = RKI_IMAGE_OP_CAPTURE;
  rki_image_op_complete (RKI_DEVICE (self), RKI_CHECK_PRINT, op, image, error);
}

/* test and calibrate: one capture judged by rki-checks.c */
static void
rki_finger_test (RkiDevice *device)
{
  RkiFingerPrivate *priv = rki_finger_get_instance_private (RKI_FINGER (device));

  priv->op = RKI_IMAGE_OP_TEST;
  RKI_FINGER_GET_CLASS (device)->capture (RKI_FINGER (device));
}

static void
rki_finger_calibrate (RkiDevice *device)
{
  RkiFingerPrivate *priv = rki_finger_get_instance_private (RKI_FINGER (device));

  priv->op = RKI_IMAGE_OP_CALIBRATE;
  RKI_FINGER_GET_CLASS (device)->capture (RKI_FINGER (device));
}

RkiImage *
rki_finger_capture_finish (RkiFinger *self, GAsyncResult *result, GError **error)
{
  return rki_device_task_finish (RKI_DEVICE (self), result, rki_finger_capture, error);
}

void
rki_finger_awaiting_finger (RkiFinger *self)
{
  g_signal_emit (self, signals[SIGNAL_AWAITING_FINGER], 0);
}

static void
rki_finger_class_init (RkiFingerClass *klass)
{
  RKI_DEVICE_CLASS (klass)->device_class = "finger";
  RKI_DEVICE_CLASS (klass)->test = rki_finger_test;
  RKI_DEVICE_CLASS (klass)->calibrate = rki_finger_calibrate;
  signals[SIGNAL_AWAITING_FINGER] =
    g_signal_new ("awaiting-finger", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
rki_finger_init (RkiFinger *self)
{
}
