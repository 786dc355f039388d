/* capture: choosing the best near-infrared frame per eye.
 *
 * The iris camera streams frames while the applicant looks into it. A
 * CaptureIrisSelector judges each frame with afis's segmentation and
 * ISO/IEC 29794-6 style quality (afis-iris.h), says what the applicant
 * should do (move closer, open wider, look at the light, hold still),
 * keeps a copy of the best frame seen for each eye, and writes the
 * ISO/IEC 19794-6 record of the chosen frames with afis's record codec.
 *
 * Feedback codes ("iris.*", FAILURE unless noted): iris.no_eye,
 * iris.move_closer, iris.centre_eye, iris.open_wider, iris.look_at_light,
 * iris.hold_still, iris.low_quality; iris.quality (INFO, the score). */
#ifndef CAPTURE_IRIS_H
#define CAPTURE_IRIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture-feedback.h"
#include "capture/capture-image.h"
#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ISO/IEC 19794-6 eye labels. */
typedef enum {
  CAPTURE_IRIS_EYE_RIGHT = 1,
  CAPTURE_IRIS_EYE_LEFT = 2,
} CaptureIrisEye;

typedef struct {
  double min_iris_radius;  /* px; default 70 (a 140 px iris: ISO 19794-6
                              calls 150+ px "medium" quality, afis's
                              score is full from 80) */
  double min_usable_area;  /* % of the iris not hidden by lids/lashes, 50 */
  double max_gaze_deg;     /* off-axis gaze, default 20 */
  double min_sharpness;    /* afis sharpness 0..100, default 25 (afis
                              scores sharpness fully from 30) */
  double min_margin;       /* afis margin 0..100, default 30 */
  double max_motion;       /* iris centre shift between two frames of one
                              eye, in iris radii, default 0.5 */
  int min_quality;         /* afis overall 0..100 for a frame to be kept,
                              default 40 */
} CaptureIrisConfig;

typedef struct {
  bool found;              /* an iris was segmented */
  double iris_x, iris_y, iris_radius, pupil_radius;
  double usable_area, sharpness, gaze_deg, margin;
  int quality;             /* afis overall, 0..100; 0 when not found */
  bool acceptable;         /* no FAILURE feedback: may become the best */
  bool best;               /* it is now the best frame of its eye */
} CaptureIrisFrame;

typedef struct CaptureIrisSelector CaptureIrisSelector;

void capture_iris_config_init (CaptureIrisConfig *config);

CaptureStatus capture_iris_selector_new (const CaptureIrisConfig *config,
                                         CaptureIrisSelector **ret_selector);
void capture_iris_selector_free (CaptureIrisSelector *selector);

/* Judges one frame of @eye (gray, or RGB converted to gray) and keeps a
 * copy when it is acceptable and better than the eye's best so far.
 * CAPTURE_OK whenever the frame could be judged; IMAGE_TOO_SMALL/LARGE
 * for frames afis cannot take; NO_MEMORY. */
CaptureStatus capture_iris_selector_add (CaptureIrisSelector *selector,
                                         CaptureIrisEye eye,
                                         const CaptureImage *frame,
                                         CaptureIrisFrame *ret_frame,
                                         CaptureFeedback *ret_feedback);

/* Quality of the best frame kept for @eye and its index among the frames
 * added for that eye (0-based); NOT_FOUND when none was acceptable. */
CaptureStatus capture_iris_selector_best (const CaptureIrisSelector *selector,
                                          CaptureIrisEye eye, int *ret_quality,
                                          size_t *ret_index);

/* Writes the ISO/IEC 19794-6 record (cropped and masked images, afis's
 * codec) of the best frame of each eye that has one, right eye first, into
 * a new malloc'ed buffer. NOT_FOUND when no eye has a frame. */
CaptureStatus capture_iris_selector_write_record (const CaptureIrisSelector *selector,
                                                  uint8_t **ret_record,
                                                  size_t *ret_size);

#ifdef __cplusplus
}
#endif

#endif
