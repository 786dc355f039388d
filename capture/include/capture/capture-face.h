/* capture: judging a camera frame for the e-KTP face photo.
 *
 * capture_face_check() answers the capture screen's question for one
 * frame: does it hold exactly one face from which a compliant e-KTP photo
 * can be cropped? It measures the ISO/IEC 19794-5 / ICAO 9303 full-frontal
 * geometry, image quality and the background, and returns every measure
 * plus a CaptureFeedback with one machine code and a message in Bahasa
 * Indonesia and English per problem. capture_face_crop() then cuts the
 * photo: ISO/IEC 19794-5 token-frontal geometry (eye distance 1/4 of the
 * width, eye line 0.6 width from the top, 3:4), so the ICAO ratios hold
 * exactly, rotated so that the eye line is level.
 *
 * Feedback codes (all "face.*"; FAILURE unless noted):
 *   face.none, face.multiple, face.eyes_not_found, face.too_small,
 *   face.too_close, face.off_centre, face.too_high, face.too_low,
 *   face.roll, face.head_width and face.head_height (WARNINGs: with the
 *   eye distance fixed they measure the person, and the chin is
 *   estimated), face.blurred, face.underexposed, face.overexposed,
 *   face.low_contrast, face.shadow, face.glare,
 *   face.background_wrong_colour, face.background_not_uniform,
 *   face.background_colour (INFO, without a birth year). */
#ifndef CAPTURE_FACE_H
#define CAPTURE_FACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture-face-background.h"
#include "capture/capture-face-detect.h"
#include "capture/capture-feedback.h"
#include "capture/capture-image.h"
#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Frames smaller than this on either side are refused outright. */
#define CAPTURE_FACE_MIN_FRAME_SIDE 64
/* Passing no birth year to capture_face_check(). */
#define CAPTURE_FACE_NO_BIRTH_YEAR 0

typedef struct {
  /* The photo to be cropped (ISO 19794-5 token frontal geometry). */
  int crop_width;                /* px, default 480 (so 640 high) */
  double max_upscale;            /* how far the frame's eye distance may be
                                    enlarged to reach the crop's (1.0: the
                                    frame must hold at least 120 px) */
  /* Pose and position. */
  double max_roll_deg;           /* eye-line tilt, default 8 (BSI TR-03121) */
  double max_centre_offset;      /* |eye midpoint x / width - 0.5| in the
                                    frame, default 0.2; the crop must also
                                    fit inside the frame */
  double head_width_min, head_width_max;   /* of the crop width, 0.5-0.75 */
  double head_height_min, head_height_max; /* of the crop height, 0.6-0.9 */
  /* Image quality, measured on the face at the crop's scale. */
  double min_sharpness;          /* see CaptureFaceMeasures.sharpness */
  double min_luma, max_luma;     /* face mean, 0-255: 40..210 (low: dark
                                    skin under good light is not dark) */
  double min_contrast;           /* face luma standard deviation, 15 */
  double max_dark_fraction;      /* face pixels <= 15, default 0.05 */
  double max_bright_fraction;    /* face pixels >= 250, default 0.03 */
  double max_shadow;             /* 1 - darker/brighter face half, 0.35 */
  double max_glare;              /* saturated share of an eye region, 0.06 */
  /* Background. */
  CaptureBackgroundRule rule;
  double min_background_share;   /* share of background samples of the
                                    expected colour, default 0.8 */
  double min_background_uniformity; /* share within a small colour distance
                                       of the median, default 0.8 */
} CaptureFaceConfig;

typedef struct {
  /* Detection. */
  size_t n_faces;
  bool eyes_found;
  CaptureRect face_box;
  CapturePoint eye_left;         /* image-left eye (subject's right) */
  CapturePoint eye_right;
  /* Geometry in the frame. */
  double ied_px;                 /* inter-eye distance */
  double roll_deg;               /* eye-line angle, y down, + = clockwise */
  double centre_offset;          /* eye midpoint x / width - 0.5 */
  double eye_height;             /* eye midpoint y / height, from the top */
  double crop_scale;             /* frame px per crop px */
  double margin_left, margin_right, margin_top, margin_bottom;
                                 /* frame px between the crop and the frame
                                    edge; negative = the crop sticks out */
  /* Geometry of the photo that would be cropped (ratios of the crop). */
  double head_width_ratio;       /* measured against the background */
  double head_height_ratio;      /* crown measured, chin estimated */
  bool head_measured;            /* false when the background did not let
                                    the head's outline be found */
  /* Quality of the face region, at the crop's scale. */
  double sharpness;              /* RMS Laplacian / luma standard deviation */
  double luma_mean, luma_std;
  double dark_fraction, bright_fraction;
  double shadow;                 /* 1 - darker half mean / brighter half */
  double glare;                  /* larger of the two eye regions' share */
  /* Background around the head. */
  CaptureBackgroundColour background;
  double background_share;       /* share of samples of that colour */
  double background_uniformity;
  double background_rgb[3];      /* median colour */
  size_t background_samples;
  /* Verdict. */
  bool background_checked;       /* a birth year was given */
  CaptureBackgroundColour background_expected;
  bool compliant;                /* no FAILURE in the feedback */
} CaptureFaceMeasures;

/* A checker owns OpenCV cascade classifiers, which keep per-call state:
 * use one checker per thread (the daemon's worker pool gives each worker
 * its own). capture_face_check_detection() and capture_face_crop() keep
 * no state and may run anywhere. */
typedef struct CaptureFaceChecker CaptureFaceChecker;

void capture_face_config_init (CaptureFaceConfig *config);

/* The crop's height and the ideal inter-eye distance in crop pixels
 * (token geometry: 4/3 and 1/4 of the width). */
int capture_face_crop_height (const CaptureFaceConfig *config);
double capture_face_crop_ied (const CaptureFaceConfig *config);

/* A checker owns a face detector. @config and @detector_config may be
 * NULL for the defaults. NOT_FOUND when the cascades are missing. */
CaptureStatus capture_face_checker_new (const CaptureFaceConfig *config,
                                        const CaptureFaceDetectorConfig *detector_config,
                                        CaptureFaceChecker **ret_checker);
void capture_face_checker_free (CaptureFaceChecker *checker);
const CaptureFaceConfig *capture_face_checker_get_config (const CaptureFaceChecker *checker);

/* Judges one RGB frame. @birth_year is the applicant's (1800..9999) to
 * check the background rule, or CAPTURE_FACE_NO_BIRTH_YEAR. Returns
 * CAPTURE_OK whenever the frame could be judged, compliant or not (see
 * ret_measures->compliant and the feedback); INVALID_ARGUMENT for a gray
 * or malformed image, IMAGE_TOO_SMALL below CAPTURE_FACE_MIN_FRAME_SIDE. */
CaptureStatus capture_face_check (CaptureFaceChecker *checker,
                                  const CaptureImage *frame,
                                  int birth_year,
                                  CaptureFaceMeasures *ret_measures,
                                  CaptureFeedback *ret_feedback);

/* Same with a detection supplied by the caller (a tracker, a test, or a
 * detector run earlier): only the checks run. @detection's eyes must be
 * found for anything beyond face.none/face.multiple/eyes_not_found. */
CaptureStatus capture_face_check_detection (const CaptureFaceConfig *config,
                                            const CaptureImage *frame,
                                            const CaptureFaceDetection *detection,
                                            int birth_year,
                                            CaptureFaceMeasures *ret_measures,
                                            CaptureFeedback *ret_feedback);

/* Cuts the e-KTP photo (config->crop_width x crop height, RGB) out of
 * @frame around the eyes in @measures: rotated to level the eye line,
 * scaled with area averaging. IMAGE_TOO_SMALL when the crop does not fit
 * inside the frame or would need more upscaling than max_upscale;
 * NOT_FOUND without eyes. The caller clears *ret_photo. */
CaptureStatus capture_face_crop (const CaptureFaceConfig *config,
                                 const CaptureImage *frame,
                                 const CaptureFaceMeasures *measures,
                                 CaptureImage *ret_photo);

/* Encodes @photo as JPEG at the best quality (50..95) within @max_bytes.
 * SIZE_BUDGET when even quality 50 is too big. */
CaptureStatus capture_face_encode_jpeg (const CaptureImage *photo,
                                        size_t max_bytes,
                                        uint8_t **ret_jpeg,
                                        size_t *ret_size,
                                        int *ret_quality);

#ifdef __cplusplus
}
#endif

#endif
