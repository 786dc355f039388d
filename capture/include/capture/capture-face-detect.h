/* capture: face and eye detection on camera frames.
 *
 * A CaptureFaceDetector wraps the OpenCV cascades (through the C++ shim)
 * that Debian ships in opencv-data. It finds every face in a frame and
 * the two eye centres of the largest one. Detection runs on a downscaled
 * copy of the frame and the eye search is restricted to the upper part of
 * the face box, so a 1280x720 preview frame costs a few milliseconds.
 *
 * Policy (exactly one face, where the eyes must be) is not decided here;
 * see capture-face.h. */
#ifndef CAPTURE_FACE_DETECT_H
#define CAPTURE_FACE_DETECT_H

#include <stdbool.h>

#include "capture/capture-image.h"
#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where Debian's opencv-data installs the cascades. */
#define CAPTURE_FACE_DEFAULT_CASCADE_DIR "/usr/share/opencv4"
/* At most this many face boxes are kept per frame. */
#define CAPTURE_FACE_MAX_FACES 16

typedef struct {
  double x;
  double y;
} CapturePoint;

typedef struct {
  int x;
  int y;
  int width;
  int height;
} CaptureRect;

typedef struct {
  const char *cascade_dir; /* folder holding haarcascades/ and lbpcascades/;
                              NULL = CAPTURE_FACE_DEFAULT_CASCADE_DIR */
  int detect_width;        /* frames wider than this are searched at this
                              width (default 320) */
  double min_face_fraction; /* smallest face box side searched for, as a
                               fraction of the frame's shorter side
                               (default 0.12: an applicant close enough
                               for the photo is far larger) */
  int small_detect_width;  /* second, finer pass (default 480) ... */
  double small_min_face_fraction; /* ... down to this size (default 0.05),
                                     run only when the first pass found no
                                     face or one so small that a second face
                                     worth counting could have slipped below
                                     its minimum: a group photo must say
                                     "several faces", not "no face" */
  double other_face_ratio; /* a second face counts when its side is at
                              least this fraction of the largest face's
                              (default 0.4): a distant passer-by far
                              smaller than the applicant is ignored */
} CaptureFaceDetectorConfig;

typedef struct {
  size_t n_faces;               /* faces counted (after other_face_ratio) */
  size_t n_boxes;               /* boxes kept in @faces (<= MAX_FACES) */
  CaptureRect faces[CAPTURE_FACE_MAX_FACES]; /* largest first */
  bool eyes_found;              /* both eyes of faces[0] located */
  CapturePoint eye_left;        /* image-left eye (the subject's right) */
  CapturePoint eye_right;       /* image-right eye (the subject's left) */
} CaptureFaceDetection;

typedef struct CaptureFaceDetector CaptureFaceDetector;

/* Fills @config with the defaults above. */
void capture_face_detector_config_init (CaptureFaceDetectorConfig *config);

/* Loads the cascades. NOT_FOUND when the cascade files are missing
 * (opencv-data not installed), BACKEND when OpenCV rejects them. @config
 * may be NULL for the defaults; cascade_dir is copied. */
CaptureStatus capture_face_detector_new (const CaptureFaceDetectorConfig *config,
                                         CaptureFaceDetector **ret_detector);
void capture_face_detector_free (CaptureFaceDetector *detector);

/* Detects faces and the eyes of the largest one in @image (gray or RGB).
 * Finding no face is not an error: ret_detection->n_faces is 0. */
CaptureStatus capture_face_detect (CaptureFaceDetector *detector,
                                   const CaptureImage *image,
                                   CaptureFaceDetection *ret_detection);

/* Same on an already gray image (skips the conversion when the caller
 * has a gray copy anyway). */
CaptureStatus capture_face_detect_gray (CaptureFaceDetector *detector,
                                        const CaptureImage *gray,
                                        CaptureFaceDetection *ret_detection);

#ifdef __cplusplus
}
#endif

#endif
