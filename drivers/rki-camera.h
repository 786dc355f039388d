/* rki-camera.h: a camera that streams frames (driver-facing).
 *
 * Backends implement start_stream/stop_stream and push each frame with
 * rki_camera_push_frame() on the main loop. The class turns the stream
 * into the other operations: "frame" for live previews, capture (the next
 * frame), and several consumers sharing one stream (a use count).
 * RkiIris is the same class for near-infrared iris cameras.
 */
#pragma once

#include "rki-device-private.h"

G_BEGIN_DECLS

#define RKI_TYPE_CAMERA (rki_camera_get_type ())
G_DECLARE_DERIVABLE_TYPE (RkiCamera, rki_camera, RKI, CAMERA, RkiDevice)

struct _RkiCameraClass {
  RkiDeviceClass parent_class;
  gboolean (*start_stream) (RkiCamera *self, GError **error);
  void     (*stop_stream)  (RkiCamera *self);
};

/* Add/remove a stream user; the device streams while the count is > 0. */
gboolean  rki_camera_start_stream   (RkiCamera *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void      rki_camera_stop_stream    (RkiCamera *self);
gboolean  rki_camera_is_streaming   (RkiCamera *self);
guint64   rki_camera_get_frame_count (RkiCamera *self);

/* The next frame of the stream (starting it for the duration if needed). */
void      rki_camera_capture        (RkiCamera *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
RkiImage *rki_camera_capture_finish (RkiCamera *self, GAsyncResult *result, GError **error);

/* Backend side: deliver a frame (transfer none). */
void      rki_camera_push_frame     (RkiCamera *self, RkiImage *frame);

#define RKI_TYPE_IRIS (rki_iris_get_type ())
G_DECLARE_DERIVABLE_TYPE (RkiIris, rki_iris, RKI, IRIS, RkiCamera)

struct _RkiIrisClass {
  RkiCameraClass parent_class;
};

G_END_DECLS
