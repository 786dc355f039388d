/* capture/face: the frame verdict, the crop and its JPEG; see
 * capture-face.h. */
#include "capture/capture-face.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture-jpeg.h"
#include "face/capture-face-private.h"

#define PI 3.14159265358979323846
/* JPEG quality range tried for the size budget: below 50 blocking shows
 * on skin; above 95 only the file grows. */
#define JPEG_MIN_QUALITY 50
#define JPEG_MAX_QUALITY 95

struct CaptureFaceChecker {
  CaptureFaceConfig config;
  CaptureFaceDetector *detector;
};

void
capture_face_config_init (CaptureFaceConfig *config)
{
  if (config == NULL)
    return;
  memset (config, 0, sizeof *config);
  config->crop_width = 480;
  config->max_upscale = 1.0;
  config->max_roll_deg = 8.0;
  config->max_centre_offset = 0.2;
  config->head_width_min = 0.5;
  config->head_width_max = 0.75;
  config->head_height_min = 0.6;
  config->head_height_max = 0.9;
  config->min_sharpness = 0.2;
  config->min_luma = 40;
  config->max_luma = 210;
  config->min_contrast = 15;
  config->max_dark_fraction = 0.05;
  config->max_bright_fraction = 0.03;
  config->max_shadow = 0.35;
  config->max_glare = 0.06;
  capture_background_rule_init (&config->rule);
  config->min_background_share = 0.8;
  config->min_background_uniformity = 0.8;
}

int
capture_face_crop_height (const CaptureFaceConfig *config)
{
  return (config->crop_width * 4 + 2) / 3;
}

double
capture_face_crop_ied (const CaptureFaceConfig *config)
{
  return config->crop_width * 0.25;
}

static bool
config_is_valid (const CaptureFaceConfig *config)
{
  /* token geometry needs W >= 240 (eye distance 60 px, ISO 19794-5) */
  return config->crop_width >= 240 && config->crop_width <= 4096 &&
         config->max_upscale >= 1.0 && config->max_upscale <= 4.0 &&
         config->max_roll_deg > 0 && config->max_centre_offset > 0 &&
         config->head_width_min < config->head_width_max &&
         config->head_height_min < config->head_height_max &&
         config->min_luma < config->max_luma;
}

CaptureStatus
capture_face_checker_new (const CaptureFaceConfig *config,
                          const CaptureFaceDetectorConfig *detector_config,
                          CaptureFaceChecker **ret_checker)
{
  CaptureFaceConfig defaults;
  if (ret_checker == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  capture_face_config_init (&defaults);
  if (config == NULL)
    config = &defaults;
  if (!config_is_valid (config))
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureFaceChecker *checker = calloc (1, sizeof *checker);
  if (checker == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  CaptureStatus status = capture_face_detector_new (detector_config, &checker->detector);
  if (status != CAPTURE_OK)
    {
      free (checker);
      return status;
    }
  checker->config = *config;
  *ret_checker = checker;
  return CAPTURE_OK;
}

void
capture_face_checker_free (CaptureFaceChecker *checker)
{
  if (checker == NULL)
    return;
  capture_face_detector_free (checker->detector);
  free (checker);
}

const CaptureFaceConfig *
capture_face_checker_get_config (const CaptureFaceChecker *checker)
{
  return checker != NULL ? &checker->config : NULL;
}

static void
fail (CaptureFeedback *feedback, FaceCheckId id, double value)
{
  capture_feedback_add_check (feedback, CAPTURE_SEVERITY_FAILURE, &face_checks[id], value);
}

static CaptureStatus
validate_frame (const CaptureImage *frame)
{
  CaptureStatus status = capture_image_validate (frame);
  if (status != CAPTURE_OK)
    return status;
  if (frame->channels != 3)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (frame->width < CAPTURE_FACE_MIN_FRAME_SIDE || frame->height < CAPTURE_FACE_MIN_FRAME_SIDE)
    return CAPTURE_ERROR_IMAGE_TOO_SMALL;
  return CAPTURE_OK;
}

/* Geometry of the crop inside the frame: margins, then the position and
 * pose failures. */
static void
judge_geometry (const CaptureFaceConfig *config, const FaceWarp *warp,
                const CaptureImage *frame, CaptureFaceMeasures *m,
                CaptureFeedback *feedback)
{
  double xs[4], ys[4];
  double corners[4][2] = { { 0, 0 }, { warp->crop_width, 0 },
                           { 0, warp->crop_height },
                           { warp->crop_width, warp->crop_height } };
  double min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY, max_y = -INFINITY;
  for (int i = 0; i < 4; i++)
    {
      face_warp_point (warp, corners[i][0], corners[i][1], &xs[i], &ys[i]);
      min_x = fmin (min_x, xs[i]);
      max_x = fmax (max_x, xs[i]);
      min_y = fmin (min_y, ys[i]);
      max_y = fmax (max_y, ys[i]);
    }
  m->crop_scale = warp->scale;
  m->margin_left = min_x;
  m->margin_right = frame->width - max_x;
  m->margin_top = min_y;
  m->margin_bottom = frame->height - max_y;

  if (m->ied_px * config->max_upscale < warp->crop_ied)
    fail (feedback, FACE_CHECK_TOO_SMALL, m->ied_px);
  if (max_x - min_x > frame->width || max_y - min_y > frame->height)
    fail (feedback, FACE_CHECK_TOO_CLOSE, m->ied_px);
  else
    {
      if (m->margin_left < 0 || m->margin_right < 0 ||
          fabs (m->centre_offset) > config->max_centre_offset)
        fail (feedback, FACE_CHECK_OFF_CENTRE, m->centre_offset);
      if (m->margin_top < 0)
        fail (feedback, FACE_CHECK_TOO_HIGH, m->margin_top);
      if (m->margin_bottom < 0)
        fail (feedback, FACE_CHECK_TOO_LOW, m->margin_bottom);
    }
  if (fabs (m->roll_deg) > config->max_roll_deg)
    fail (feedback, FACE_CHECK_ROLL, m->roll_deg);
}

static void
judge_quality (const CaptureFaceConfig *config, const CaptureFaceMeasures *m,
               CaptureFeedback *feedback)
{
  if (m->sharpness < config->min_sharpness)
    fail (feedback, FACE_CHECK_BLURRED, m->sharpness);
  if (m->luma_mean < config->min_luma || m->dark_fraction > config->max_dark_fraction)
    fail (feedback, FACE_CHECK_UNDEREXPOSED, m->luma_mean);
  if (m->luma_mean > config->max_luma || m->bright_fraction > config->max_bright_fraction)
    fail (feedback, FACE_CHECK_OVEREXPOSED, m->luma_mean);
  if (m->luma_std < config->min_contrast)
    fail (feedback, FACE_CHECK_LOW_CONTRAST, m->luma_std);
  if (m->shadow > config->max_shadow)
    fail (feedback, FACE_CHECK_SHADOW, m->shadow);
  if (m->glare > config->max_glare)
    fail (feedback, FACE_CHECK_GLARE, m->glare);
  /* With the eye distance fixed by the token geometry, the head ratios
   * measure the person (and the hair), not the framing, and the chin is
   * estimated: they warn, they do not fail. */
  if (m->head_measured)
    {
      if (m->head_width_ratio < config->head_width_min ||
          m->head_width_ratio > config->head_width_max)
        capture_feedback_add_check (feedback, CAPTURE_SEVERITY_WARNING,
                                    &face_checks[FACE_CHECK_HEAD_WIDTH],
                                    m->head_width_ratio);
      if (m->head_height_ratio < config->head_height_min ||
          m->head_height_ratio > config->head_height_max)
        capture_feedback_add_check (feedback, CAPTURE_SEVERITY_WARNING,
                                    &face_checks[FACE_CHECK_HEAD_HEIGHT],
                                    m->head_height_ratio);
    }
}

static void
judge_background (const CaptureFaceConfig *config, int birth_year,
                  CaptureFaceMeasures *m, CaptureFeedback *feedback)
{
  if (birth_year != CAPTURE_FACE_NO_BIRTH_YEAR &&
      capture_background_rule_colour (&config->rule, birth_year,
                                      &m->background_expected) == CAPTURE_OK)
    {
      m->background_checked = true;
      if (m->background != m->background_expected ||
          m->background_share < config->min_background_share * 0.5)
        fail (feedback, FACE_CHECK_BACKGROUND_WRONG_COLOUR, m->background_share);
      else if (m->background_share < config->min_background_share)
        fail (feedback, FACE_CHECK_BACKGROUND_NOT_UNIFORM, m->background_share);
    }
  else
    capture_feedback_add_check (feedback, CAPTURE_SEVERITY_INFO,
                                &face_checks[FACE_CHECK_BACKGROUND_COLOUR],
                                (double) m->background);
  if (m->background_uniformity < config->min_background_uniformity &&
      !capture_feedback_find (feedback, "face.background_not_uniform"))
    fail (feedback, FACE_CHECK_BACKGROUND_NOT_UNIFORM, m->background_uniformity);
}

static CaptureStatus
check_with_gray (const CaptureFaceConfig *config, const CaptureImage *frame,
                 const CaptureImage *gray, const CaptureFaceDetection *detection,
                 int birth_year, CaptureFaceMeasures *ret_measures,
                 CaptureFeedback *ret_feedback)
{
  CaptureFaceMeasures m;
  CaptureFeedback feedback;
  memset (&m, 0, sizeof m);
  capture_feedback_init (&feedback);

  if (birth_year != CAPTURE_FACE_NO_BIRTH_YEAR && (birth_year < 1800 || birth_year > 9999))
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  m.n_faces = detection->n_faces;
  m.eyes_found = detection->eyes_found;
  if (detection->n_boxes > 0)
    m.face_box = detection->faces[0];
  if (detection->n_faces == 0)
    fail (&feedback, FACE_CHECK_NONE, 0);
  else if (detection->n_faces > 1)
    fail (&feedback, FACE_CHECK_MULTIPLE, (double) detection->n_faces);
  else if (!detection->eyes_found)
    fail (&feedback, FACE_CHECK_EYES_NOT_FOUND, 0);
  else
    {
      FaceWarp warp;
      m.eye_left = detection->eye_left;
      m.eye_right = detection->eye_right;
      double dx = m.eye_right.x - m.eye_left.x, dy = m.eye_right.y - m.eye_left.y;
      m.ied_px = sqrt (dx * dx + dy * dy);
      if (!(m.ied_px >= 2.0) || dx <= 0)
        return CAPTURE_ERROR_INVALID_ARGUMENT; /* eyes swapped or merged */
      m.roll_deg = atan2 (dy, dx) * 180.0 / PI;
      m.centre_offset = (m.eye_left.x + m.eye_right.x) / 2.0 / frame->width - 0.5;
      m.eye_height = (m.eye_left.y + m.eye_right.y) / 2.0 / frame->height;
      face_warp_init (&warp, config, m.eye_left, m.eye_right);
      judge_geometry (config, &warp, frame, &m, &feedback);
      CaptureStatus status = face_measure_quality (&warp, frame, gray, &m);
      if (status == CAPTURE_OK)
        status = face_measure_background (&warp, frame, &m);
      if (status != CAPTURE_OK)
        return status;
      judge_quality (config, &m, &feedback);
      judge_background (config, birth_year, &m, &feedback);
    }
  m.compliant = capture_feedback_passed (&feedback);
  *ret_measures = m;
  if (ret_feedback != NULL)
    *ret_feedback = feedback;
  return CAPTURE_OK;
}

CaptureStatus
capture_face_check_detection (const CaptureFaceConfig *config,
                              const CaptureImage *frame,
                              const CaptureFaceDetection *detection, int birth_year,
                              CaptureFaceMeasures *ret_measures,
                              CaptureFeedback *ret_feedback)
{
  CaptureImage gray;
  if (config == NULL || detection == NULL || ret_measures == NULL ||
      !config_is_valid (config))
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureStatus status = validate_frame (frame);
  if (status != CAPTURE_OK)
    return status;
  status = capture_image_to_gray (frame, &gray);
  if (status != CAPTURE_OK)
    return status;
  status = check_with_gray (config, frame, &gray, detection, birth_year,
                            ret_measures, ret_feedback);
  capture_image_clear (&gray);
  return status;
}

CaptureStatus
capture_face_check (CaptureFaceChecker *checker, const CaptureImage *frame,
                    int birth_year, CaptureFaceMeasures *ret_measures,
                    CaptureFeedback *ret_feedback)
{
  CaptureImage gray;
  CaptureFaceDetection detection;
  if (checker == NULL || ret_measures == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureStatus status = validate_frame (frame);
  if (status != CAPTURE_OK)
    return status;
  /* one gray copy serves both the detector and the quality measures */
  status = capture_image_to_gray (frame, &gray);
  if (status != CAPTURE_OK)
    return status;
  status = capture_face_detect_gray (checker->detector, &gray, &detection);
  if (status == CAPTURE_OK)
    status = check_with_gray (&checker->config, frame, &gray, &detection,
                              birth_year, ret_measures, ret_feedback);
  capture_image_clear (&gray);
  return status;
}

CaptureStatus
capture_face_crop (const CaptureFaceConfig *config, const CaptureImage *frame,
                   const CaptureFaceMeasures *measures, CaptureImage *ret_photo)
{
  FaceWarp warp;
  CaptureImage photo;
  if (config == NULL || measures == NULL || ret_photo == NULL || !config_is_valid (config))
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureStatus status = validate_frame (frame);
  if (status != CAPTURE_OK)
    return status;
  if (!measures->eyes_found || measures->ied_px < 2.0)
    return CAPTURE_ERROR_NOT_FOUND;
  if (measures->margin_left < 0 || measures->margin_right < 0 ||
      measures->margin_top < 0 || measures->margin_bottom < 0 ||
      measures->ied_px * config->max_upscale < capture_face_crop_ied (config))
    return CAPTURE_ERROR_IMAGE_TOO_SMALL;
  face_warp_init (&warp, config, measures->eye_left, measures->eye_right);
  status = capture_image_init (&photo, config->crop_width,
                               capture_face_crop_height (config), 3);
  if (status != CAPTURE_OK)
    return status;
  face_warp_render (&warp, frame, 0, 0, &photo);
  *ret_photo = photo;
  return CAPTURE_OK;
}

CaptureStatus
capture_face_encode_jpeg (const CaptureImage *photo, size_t max_bytes,
                          uint8_t **ret_jpeg, size_t *ret_size, int *ret_quality)
{
  if (photo == NULL || ret_jpeg == NULL || ret_size == NULL || max_bytes == 0)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  return capture_jpeg_encode_budget (photo, max_bytes, JPEG_MIN_QUALITY,
                                     JPEG_MAX_QUALITY, ret_jpeg, ret_size,
                                     ret_quality);
}
