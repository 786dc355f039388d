/* rki-checks.h: diagnostics and calibrations computed from one image,
 * shared by the classes whose test/calibrate is "take one image and look
 * at it" (finger, slap, scanner, camera, iris). */
#pragma once

#include "rki-device-private.h"

G_BEGIN_DECLS

typedef enum {
  RKI_CHECK_PRINT,   /* finger and slap images: ridges on a platen */
  RKI_CHECK_PAGE,    /* scanned page */
  RKI_CHECK_CAMERA,  /* colour camera against the red/blue background */
  RKI_CHECK_IRIS,    /* near-infrared eye image: focus, illumination */
} RkiCheckKind;

/* Diagnostics a(sbs) for @image (may be NULL when none arrived). */
GVariant *rki_checks_for_image      (RkiDevice *device, RkiCheckKind kind, RkiImage *image);
/* Calibration a{sv} from @image, or NULL with @error when the image cannot
 * serve as a reference (e.g. a finger left on the platen). */
GVariant *rki_calibration_for_image (RkiDevice *device, RkiCheckKind kind, RkiImage *image,
                                     GError **error);

G_END_DECLS

G_BEGIN_DECLS

/* Which request an image answers: the class's own capture, or the test
 * or calibrate the class runs on top of a capture. */
typedef enum {
  RKI_IMAGE_OP_CAPTURE,
  RKI_IMAGE_OP_TEST,
  RKI_IMAGE_OP_CALIBRATE,
} RkiImageOp;

/* Complete the task in flight with @image/@error as @op; takes both. */
void rki_image_op_complete (RkiDevice *device, RkiCheckKind kind, RkiImageOp op,
                            RkiImage *image, GError *error);

G_END_DECLS
