/* capture/face: helpers shared inside the face pipeline (not installed). */
#ifndef CAPTURE_FACE_PRIVATE_H
#define CAPTURE_FACE_PRIVATE_H

#include "capture/capture-face.h"

/* The similarity transform from crop coordinates (u, v) to frame
 * coordinates (x, y): the crop's eye midpoint lands on the frame's, the
 * crop's eye distance on the frame's, and the crop's x axis along the
 * frame's eye line. Coordinates are continuous: pixel i covers [i, i+1). */
typedef struct {
  double mid_x, mid_y;   /* eye midpoint in the frame */
  double scale;          /* frame px per crop px */
  double cos_t, sin_t;   /* eye-line rotation */
  double crop_cx;        /* crop eye midpoint: width / 2 */
  double crop_cy;        /* crop eye line: 0.6 width */
  int crop_width, crop_height;
  double crop_ied;
} FaceWarp;

void face_warp_init (FaceWarp *warp, const CaptureFaceConfig *config,
                     CapturePoint eye_left, CapturePoint eye_right);
void face_warp_point (const FaceWarp *warp, double u, double v, double *ret_x,
                      double *ret_y);

/* Renders the crop-space rectangle whose top-left is (u0, v0) into @dst
 * (already allocated, same channel count as @src): each destination
 * pixel averages n x n bilinear samples, n = ceil(scale), so shrinking
 * does not alias. Samples outside @src repeat its edge. */
void face_warp_render (const FaceWarp *warp, const CaptureImage *src, int u0,
                       int v0, CaptureImage *dst);

/* The feedback table, one entry per code (see capture-face.h). */
typedef enum {
  FACE_CHECK_NONE,
  FACE_CHECK_MULTIPLE,
  FACE_CHECK_EYES_NOT_FOUND,
  FACE_CHECK_TOO_SMALL,
  FACE_CHECK_TOO_CLOSE,
  FACE_CHECK_OFF_CENTRE,
  FACE_CHECK_TOO_HIGH,
  FACE_CHECK_TOO_LOW,
  FACE_CHECK_ROLL,
  FACE_CHECK_HEAD_WIDTH,
  FACE_CHECK_HEAD_HEIGHT,
  FACE_CHECK_BLURRED,
  FACE_CHECK_UNDEREXPOSED,
  FACE_CHECK_OVEREXPOSED,
  FACE_CHECK_LOW_CONTRAST,
  FACE_CHECK_SHADOW,
  FACE_CHECK_GLARE,
  FACE_CHECK_BACKGROUND_WRONG_COLOUR,
  FACE_CHECK_BACKGROUND_NOT_UNIFORM,
  FACE_CHECK_BACKGROUND_COLOUR,
  FACE_CHECK_COUNT
} FaceCheckId;

extern const CaptureCheck face_checks[FACE_CHECK_COUNT];

/* Quality and background measures on a frame whose eyes are known; fill
 * the corresponding fields of @measures. NO_MEMORY is the only failure. */
CaptureStatus face_measure_quality (const FaceWarp *warp, const CaptureImage *frame,
                                    const CaptureImage *gray,
                                    CaptureFaceMeasures *measures);
CaptureStatus face_measure_background (const FaceWarp *warp,
                                       const CaptureImage *frame,
                                       CaptureFaceMeasures *measures);

#endif
