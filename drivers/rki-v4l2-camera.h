/* rki-v4l2-camera.h: UVC cameras and near-infrared iris cameras (V4L2).
 *
 * Streams with mmap buffers on the main loop (the fd is polled, never
 * blocked on): MJPEG frames pass through as JPEG, YUYV as YUYV, GREY (the
 * usual iris camera format) as GRAY8. Not tested on this build machine
 * (no /dev/video*): the camera and iris tests run on the replay backend.
 */
#pragma once

#include "rki-camera.h"

G_BEGIN_DECLS

/* @iris: make an RkiIris (prefers GREY) rather than an RkiCamera. */
RkiDevice *rki_v4l2_camera_new (const char *devnode, const char *id, gboolean iris,
                                guint width, guint height);

G_END_DECLS
