/* capture: the one C++ shim over OpenCV, seen from C.
 *
 * OpenCV 4 has no C API left, so everything capture/ needs from it sits
 * behind this header: cascade face and eye detection on 8-bit grey
 * buffers. The rest of capture/ stays C11 and never sees a cv:: type.
 * Every function catches every C++ exception and turns it into a status;
 * on failure ret_ out-parameters are left untouched. */
#ifndef CAPTURE_CV_H
#define CAPTURE_CV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CAPTURE_CV_OK = 0,
  CAPTURE_CV_ERROR_INVALID_ARGUMENT, /* NULL, zero or oversized dimension */
  CAPTURE_CV_ERROR_CASCADE,          /* a cascade file is missing or invalid */
  CAPTURE_CV_ERROR_NO_MEMORY,        /* OpenCV could not allocate */
  CAPTURE_CV_ERROR_INTERNAL,         /* any other OpenCV exception */
} CaptureCvStatus;

/* Pixel rectangle, origin top-left. */
typedef struct {
  int x;
  int y;
  int width;
  int height;
} CaptureCvRect;

/* A borrowed 8-bit single-channel image. */
typedef struct {
  const uint8_t *pixels; /* row-major, not owned */
  int width;
  int height;
  size_t stride;         /* bytes between rows, >= width */
} CaptureCvGray;

/* Largest side accepted by the shim; larger buffers are refused before
 * OpenCV allocates anything for them. */
#define CAPTURE_CV_MAX_SIDE 16384

typedef struct CaptureCvDetector CaptureCvDetector;

/* Loads the face and eye cascades (OpenCV XML, Haar or LBP) from the two
 * paths. Returns CAPTURE_CV_ERROR_CASCADE when either cannot be loaded.
 * The caller owns *ret_detector and frees it with
 * capture_cv_detector_free(). */
CaptureCvStatus capture_cv_detector_new (const char *face_cascade_path,
                                         const char *eye_cascade_path,
                                         CaptureCvDetector **ret_detector);
void capture_cv_detector_free (CaptureCvDetector *detector);

/* Finds faces in @image after scaling it by @scale (0 < scale <= 1): the
 * detector's cost grows with the pixel count, so preview frames are
 * searched small. @min_side / @max_side bound the face box side in
 * @image's pixels (0 = no bound). Writes at most @max_faces boxes, in
 * @image's coordinates, largest first, and the number found (which may
 * exceed @max_faces) to *ret_n_found. */
CaptureCvStatus capture_cv_detect_faces (CaptureCvDetector *detector,
                                         const CaptureCvGray *image,
                                         double scale,
                                         int min_side,
                                         int max_side,
                                         CaptureCvRect *ret_faces,
                                         size_t max_faces,
                                         size_t *ret_n_found);

/* Finds eyes inside @roi of @image, after scaling the ROI so that it is
 * about @work_width pixels wide (the eye cascade is trained on small
 * windows; searching a large ROI at full size only costs time). Boxes are
 * returned in @image's coordinates, as for capture_cv_detect_faces(). */
CaptureCvStatus capture_cv_detect_eyes (CaptureCvDetector *detector,
                                        const CaptureCvGray *image,
                                        const CaptureCvRect *roi,
                                        int work_width,
                                        CaptureCvRect *ret_eyes,
                                        size_t max_eyes,
                                        size_t *ret_n_found);

#ifdef __cplusplus
}
#endif

#endif
