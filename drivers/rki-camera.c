#include "rki-camera.h"
#include "rki-checks.h"

typedef struct {
  guint    stream_users;
  gboolean capture_holds_stream; /* the task in flight added a user */
  RkiImageOp op;                 /* what the next frame answers */
  guint64  frames;
} RkiCameraPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RkiCamera, rki_camera, RKI_TYPE_DEVICE)
G_DEFINE_ABSTRACT_TYPE (RkiIris, rki_iris, RKI_TYPE_CAMERA)

enum { SIGNAL_FRAME, N_SIGNALS };
static guint signals[N_SIGNALS];

gboolean
rki_camera_start_stream (RkiCamera *self, GError **error)
{
  RkiCameraPrivate *priv = rki_camera_get_instance_private (self);
  RkiDevice *device = RKI_DEVICE (self);
  RkiDeviceState state = rki_device_get_state (device);

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (state == RKI_DEVICE_STATE_REMOVED)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_REMOVED,
                   "device %s is unplugged", rki_device_get_id (device));
      return FALSE;
    }
  if (state != RKI_DEVICE_STATE_IDLE && state != RKI_DEVICE_STATE_BUSY)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_OPEN,
                   "device %s is not open", rki_device_get_id (device));
      return FALSE;
    }
  if (priv->stream_users == 0)
    {
      RkiCameraClass *klass = RKI_CAMERA_GET_CLASS (self);
      if (klass->start_stream == NULL)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                       "device %s cannot stream", rki_device_get_id (device));
          return FALSE;
        }
      if (!klass->start_stream (self, error))
        return FALSE;
    }
  priv->stream_users++;
  return TRUE;
}

void
rki_camera_stop_stream (RkiCamera *self)
{
  RkiCameraPrivate *priv = rki_camera_get_instance_private (self);

  if (priv->stream_users == 0)
    return;
  if (--priv->stream_users == 0 && RKI_CAMERA_GET_CLASS (self)->stop_stream != NULL)
    RKI_CAMERA_GET_CLASS (self)->stop_stream (self);
}

gboolean
rki_camera_is_streaming (RkiCamera *self)
{
  RkiCameraPrivate *priv = rki_camera_get_instance_private (self);
  return priv->stream_users > 0;
}

guint64
rki_camera_get_frame_count (RkiCamera *self)
{
  RkiCameraPrivate *priv = rki_camera_get_instance_private (self);
  return priv->frames;
}

static void
release_capture_stream (RkiCamera *self)
{
  RkiCameraPrivate *priv = rki_camera_get_instance_private (self);

  if (priv->capture_holds_stream)
    {
      priv->capture_holds_stream = FALSE;
      rki_camera_stop_stream (self);
    }
}

void
rki_camera_capture (RkiCamera *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                    gpointer user_data)
{
  RkiCameraPrivate *priv = rki_camera_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  if (!rki_device_task_begin (RKI_DEVICE (self), "capture", TRUE, TRUE, cancellable, callback,
                              user_data, rki_camera_capture))
    return;
  if (!rki_camera_start_stream (self, &error))
    {
      rki_device_task_complete (RKI_DEVICE (self), NULL, NULL, g_steal_pointer (&error));
      return;
    }
  priv->op = RKI_IMAGE_OP_CAPTURE;
  priv->capture_holds_stream = TRUE;
}

/* test and calibrate judge the next frame (rki-checks.c). */
static void
begin_frame_op (RkiDevice *device, RkiImageOp op)
{
  RkiCamera *self = RKI_CAMERA (device);
  RkiCameraPrivate *priv = rki_camera_get_instance_private (self);
  GError *error = NULL;

  if (!rki_camera_start_stream (self, &error))
    {
      rki_image_op_complete (device, RKI_CHECK_CAMERA, op, NULL, error);
      return;
    }
  priv->op = op;
  priv->capture_holds_stream = TRUE;
}

static void
rki_camera_test (RkiDevice *device)
{
  begin_frame_op (device, RKI_IMAGE_OP_TEST);
}

static void
rki_camera_calibrate (RkiDevice *device)
{
  begin_frame_op (device, RKI_IMAGE_OP_CALIBRATE);
}

/* Applies the stored white balance and exposure to an RGB24 frame; other
 * formats pass unchanged (a V4L2 backend sets the device's own controls).
 * Returns a new reference. */
static RkiImage *
apply_calibration (RkiCamera *self, RkiImage *frame)
{
  GVariant *cal = rki_device_get_calibration (RKI_DEVICE (self));
  double gain[3] = { 1, 1, 1 }, exposure = 1;
  gsize len = 0;
  const guint8 *src;
  guint8 *dst;
  g_autoptr(GBytes) bytes = NULL;

  if (cal == NULL || rki_image_get_format (frame) != RKI_PIXEL_RGB24 ||
      !g_variant_lookup (cal, "gain-r", "d", &gain[0]) || !g_variant_lookup (cal, "gain-g", "d", &gain[1]) ||
      !g_variant_lookup (cal, "gain-b", "d", &gain[2]) || !g_variant_lookup (cal, "exposure", "d", &exposure))
    return rki_image_ref (frame);
  src = g_bytes_get_data (rki_image_get_bytes (frame), &len);
  dst = g_malloc (len);
  for (gsize i = 0; i < len; i++)
    {
      double v = src[i] * gain[i % 3] * exposure;
      dst[i] = (guint8) (v > 255 ? 255 : v);
    }
  bytes = g_bytes_new_take (dst, len);
  return rki_image_new (RKI_PIXEL_RGB24, rki_image_get_width (frame), rki_image_get_height (frame),
                        rki_image_get_ppi (frame), bytes, NULL);
}

RkiImage *
rki_camera_capture_finish (RkiCamera *self, GAsyncResult *result, GError **error)
{
  return rki_device_task_finish (RKI_DEVICE (self), result, rki_camera_capture, error);
}

void
rki_camera_push_frame (RkiCamera *self, RkiImage *frame)
{
  RkiCameraPrivate *priv = rki_camera_get_instance_private (self);
  RkiDevice *device = RKI_DEVICE (self);

  g_autoptr(RkiImage) adjusted = apply_calibration (self, frame);

  priv->frames++;
  g_signal_emit (self, signals[SIGNAL_FRAME], 0, adjusted);
  if (rki_device_get_busy_op (device) != NULL && priv->capture_holds_stream)
    {
      RkiImageOp op = priv->op;
      release_capture_stream (self);
      priv->op = RKI_IMAGE_OP_CAPTURE;
      /* Calibration measures the raw frame, everything else the adjusted one. */
      rki_image_op_complete (device, RKI_IS_IRIS (self) ? RKI_CHECK_IRIS : RKI_CHECK_CAMERA, op,
                             rki_image_ref (op == RKI_IMAGE_OP_CALIBRATE ? frame : adjusted), NULL);
    }
}

static void
on_state_changed (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  RkiCamera *self = RKI_CAMERA (object);
  RkiCameraPrivate *priv = rki_camera_get_instance_private (self);
  RkiDeviceState state = rki_device_get_state (RKI_DEVICE (self));

  /* A capture that ended without a frame (timeout, unplug, close) gives
   * its stream use back. */
  if (priv->capture_holds_stream && state != RKI_DEVICE_STATE_BUSY)
    release_capture_stream (self);
  if (state == RKI_DEVICE_STATE_CLOSED || state == RKI_DEVICE_STATE_REMOVED)
    priv->stream_users = 0;
}

static void
rki_camera_class_init (RkiCameraClass *klass)
{
  RKI_DEVICE_CLASS (klass)->device_class = "camera";
  RKI_DEVICE_CLASS (klass)->test = rki_camera_test;
  RKI_DEVICE_CLASS (klass)->calibrate = rki_camera_calibrate;
  signals[SIGNAL_FRAME] = g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        RKI_TYPE_IMAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
rki_camera_init (RkiCamera *self)
{
  g_signal_connect (self, "notify::state", G_CALLBACK (on_state_changed), NULL);
}

static void
rki_iris_class_init (RkiIrisClass *klass)
{
  RKI_DEVICE_CLASS (klass)->device_class = "iris";
}

static void
rki_iris_init (RkiIris *self)
{
}
