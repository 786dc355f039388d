/* capture/iris: best frame per eye; see capture-iris.h. */
#include "capture/capture-iris.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-iris-record.h"
#include "afis/afis-iris.h"

typedef struct {
  bool have_best;
  CaptureImage best;                 /* owned gray copy */
  AfisIrisSegmentation segmentation; /* of @best */
  int best_quality;
  size_t best_index;
  size_t n_frames;
  bool have_last;                    /* iris centre of the previous frame */
  double last_x, last_y, last_radius;
} EyeState;

struct CaptureIrisSelector {
  CaptureIrisConfig config;
  EyeState eyes[2];                  /* [0] right, [1] left */
};

typedef enum {
  IRIS_CHECK_NO_EYE,
  IRIS_CHECK_MOVE_CLOSER,
  IRIS_CHECK_CENTRE_EYE,
  IRIS_CHECK_OPEN_WIDER,
  IRIS_CHECK_LOOK_AT_LIGHT,
  IRIS_CHECK_HOLD_STILL,
  IRIS_CHECK_LOW_QUALITY,
  IRIS_CHECK_QUALITY,
  IRIS_CHECK_COUNT
} IrisCheckId;

static const CaptureCheck iris_checks[IRIS_CHECK_COUNT] = {
  [IRIS_CHECK_NO_EYE] = { "iris.no_eye",
    "Mata tidak terlihat. Lihat ke dalam kamera iris.",
    "No eye found. Look into the iris camera." },
  [IRIS_CHECK_MOVE_CLOSER] = { "iris.move_closer",
    "Iris terlalu kecil. Mendekatlah ke kamera.",
    "Iris too small. Move closer to the camera." },
  [IRIS_CHECK_CENTRE_EYE] = { "iris.centre_eye",
    "Mata terpotong tepi gambar. Posisikan mata di tengah.",
    "Eye cut by the frame edge. Centre your eye." },
  [IRIS_CHECK_OPEN_WIDER] = { "iris.open_wider",
    "Iris tertutup kelopak. Buka mata lebih lebar.",
    "Iris hidden by the eyelids. Open your eyes wider." },
  [IRIS_CHECK_LOOK_AT_LIGHT] = { "iris.look_at_light",
    "Pandangan melirik. Lihat ke arah lampu kamera.",
    "Looking away. Look at the camera light." },
  [IRIS_CHECK_HOLD_STILL] = { "iris.hold_still",
    "Gambar goyang. Tahan kepala tetap diam.",
    "Image shaken. Hold your head still." },
  [IRIS_CHECK_LOW_QUALITY] = { "iris.low_quality",
    "Kualitas iris belum cukup. Coba lagi.",
    "Iris quality not yet enough. Try again." },
  [IRIS_CHECK_QUALITY] = { "iris.quality",
    "Skor kualitas iris.",
    "Iris quality score." },
};

void
capture_iris_config_init (CaptureIrisConfig *config)
{
  if (config == NULL)
    return;
  config->min_iris_radius = 70;
  config->min_usable_area = 50;
  config->max_gaze_deg = 20;
  config->min_sharpness = 25;
  config->min_margin = 30;
  config->max_motion = 0.5;
  config->min_quality = 40;
}

CaptureStatus
capture_iris_selector_new (const CaptureIrisConfig *config,
                           CaptureIrisSelector **ret_selector)
{
  CaptureIrisConfig defaults;
  if (ret_selector == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  capture_iris_config_init (&defaults);
  if (config == NULL)
    config = &defaults;
  if (config->min_iris_radius < 0 || config->max_motion <= 0 ||
      config->min_quality < 0 || config->min_quality > 100)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureIrisSelector *selector = calloc (1, sizeof *selector);
  if (selector == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  selector->config = *config;
  *ret_selector = selector;
  return CAPTURE_OK;
}

void
capture_iris_selector_free (CaptureIrisSelector *selector)
{
  if (selector == NULL)
    return;
  for (int i = 0; i < 2; i++)
    capture_image_clear (&selector->eyes[i].best);
  free (selector);
}

static EyeState *
eye_state (CaptureIrisSelector *selector, CaptureIrisEye eye)
{
  if (eye == CAPTURE_IRIS_EYE_RIGHT)
    return &selector->eyes[0];
  if (eye == CAPTURE_IRIS_EYE_LEFT)
    return &selector->eyes[1];
  return NULL;
}

static CaptureStatus
status_from_afis (AfisStatus status)
{
  switch (status)
    {
    case AFIS_OK:
      return CAPTURE_OK;
    case AFIS_ERROR_NO_MEMORY:
      return CAPTURE_ERROR_NO_MEMORY;
    case AFIS_ERROR_IMAGE_TOO_SMALL:
      return CAPTURE_ERROR_IMAGE_TOO_SMALL;
    case AFIS_ERROR_IMAGE_TOO_LARGE:
      return CAPTURE_ERROR_IMAGE_TOO_LARGE;
    case AFIS_ERROR_INVALID_ARGUMENT:
      return CAPTURE_ERROR_INVALID_ARGUMENT;
    case AFIS_ERROR_BUFFER_TOO_SMALL:
      return CAPTURE_ERROR_BUFFER_TOO_SMALL;
    default:
      return CAPTURE_ERROR_BACKEND;
    }
}

static void
fail (CaptureFeedback *feedback, IrisCheckId id, double value)
{
  capture_feedback_add_check (feedback, CAPTURE_SEVERITY_FAILURE, &iris_checks[id], value);
}

/* Feedback for a frame afis could not segment, from its reason. */
static void
judge_reject (AfisIrisReject reject, CaptureFeedback *feedback)
{
  switch (reject)
    {
    case AFIS_IRIS_REJECT_CLOSED_EYE:
      fail (feedback, IRIS_CHECK_OPEN_WIDER, 0);
      break;
    case AFIS_IRIS_REJECT_OFF_AXIS:
      fail (feedback, IRIS_CHECK_LOOK_AT_LIGHT, 0);
      break;
    case AFIS_IRIS_REJECT_BLUR:
      fail (feedback, IRIS_CHECK_HOLD_STILL, 0);
      break;
    case AFIS_IRIS_REJECT_TOO_SMALL:
      fail (feedback, IRIS_CHECK_MOVE_CLOSER, 0);
      break;
    case AFIS_IRIS_REJECT_OUT_OF_FRAME:
      fail (feedback, IRIS_CHECK_CENTRE_EYE, 0);
      break;
    case AFIS_IRIS_REJECT_NO_EYE:
    case AFIS_IRIS_REJECT_NONE:
    default:
      fail (feedback, IRIS_CHECK_NO_EYE, 0);
      break;
    }
}

static void
judge_quality (const CaptureIrisConfig *config, const EyeState *state,
               const CaptureIrisFrame *frame, CaptureFeedback *feedback)
{
  if (frame->iris_radius < config->min_iris_radius)
    fail (feedback, IRIS_CHECK_MOVE_CLOSER, frame->iris_radius);
  if (frame->margin < config->min_margin)
    fail (feedback, IRIS_CHECK_CENTRE_EYE, frame->margin);
  if (frame->usable_area < config->min_usable_area)
    fail (feedback, IRIS_CHECK_OPEN_WIDER, frame->usable_area);
  if (frame->gaze_deg > config->max_gaze_deg)
    fail (feedback, IRIS_CHECK_LOOK_AT_LIGHT, frame->gaze_deg);
  /* blur, or the eye jumping since the previous frame of the same eye:
   * both mean the head is moving */
  double motion = 0;
  if (state->have_last && state->last_radius > 0)
    motion = hypot (frame->iris_x - state->last_x, frame->iris_y - state->last_y) /
             state->last_radius;
  if (frame->sharpness < config->min_sharpness)
    fail (feedback, IRIS_CHECK_HOLD_STILL, frame->sharpness);
  else if (motion > config->max_motion)
    fail (feedback, IRIS_CHECK_HOLD_STILL, motion);
  if (capture_feedback_passed (feedback) && frame->quality < config->min_quality)
    fail (feedback, IRIS_CHECK_LOW_QUALITY, frame->quality);
  capture_feedback_add_check (feedback, CAPTURE_SEVERITY_INFO,
                              &iris_checks[IRIS_CHECK_QUALITY], frame->quality);
}

CaptureStatus
capture_iris_selector_add (CaptureIrisSelector *selector, CaptureIrisEye eye,
                           const CaptureImage *frame, CaptureIrisFrame *ret_frame,
                           CaptureFeedback *ret_feedback)
{
  CaptureImage gray;
  CaptureIrisFrame result;
  CaptureFeedback feedback;
  AfisIrisSegmentation segmentation;
  AfisIrisQuality quality;
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;

  if (selector == NULL || ret_frame == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  EyeState *state = eye_state (selector, eye);
  if (state == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureStatus status = capture_image_to_gray (frame, &gray);
  if (status != CAPTURE_OK)
    return status;
  if (gray.stride > (size_t) AFIS_IRIS_MAX_WIDTH)
    {
      capture_image_clear (&gray);
      return CAPTURE_ERROR_IMAGE_TOO_LARGE;
    }
  memset (&result, 0, sizeof result);
  capture_feedback_init (&feedback);
  AfisStatus afis = afis_iris_segment (gray.pixels, gray.width, gray.height,
                                       (int) gray.stride, &segmentation, &reject);
  if (afis == AFIS_OK)
    afis = afis_iris_quality (gray.pixels, gray.width, gray.height, (int) gray.stride,
                              &segmentation, &quality);
  if (afis == AFIS_ERROR_UNUSABLE_IMAGE)
    judge_reject (reject, &feedback);
  else if (afis != AFIS_OK)
    {
      capture_image_clear (&gray);
      return status_from_afis (afis);
    }
  else
    {
      result.found = true;
      result.iris_x = segmentation.iris.x;
      result.iris_y = segmentation.iris.y;
      result.iris_radius = segmentation.iris.radius;
      result.pupil_radius = segmentation.pupil.radius;
      result.usable_area = quality.usable_area;
      result.sharpness = quality.sharpness;
      result.gaze_deg = quality.gaze;
      result.margin = quality.margin;
      result.quality = quality.overall;
      judge_quality (&selector->config, state, &result, &feedback);
    }
  result.acceptable = capture_feedback_passed (&feedback);
  size_t index = state->n_frames++;
  state->have_last = result.found;
  state->last_x = result.iris_x;
  state->last_y = result.iris_y;
  state->last_radius = result.iris_radius;
  if (result.acceptable && (!state->have_best || result.quality > state->best_quality))
    {
      /* the copy is the frame itself: no second conversion, no copy */
      capture_image_clear (&state->best);
      state->best = gray;
      gray.pixels = NULL;
      state->segmentation = segmentation;
      state->best_quality = result.quality;
      state->best_index = index;
      state->have_best = true;
      result.best = true;
    }
  capture_image_clear (&gray);
  *ret_frame = result;
  if (ret_feedback != NULL)
    *ret_feedback = feedback;
  return CAPTURE_OK;
}

CaptureStatus
capture_iris_selector_best (const CaptureIrisSelector *selector, CaptureIrisEye eye,
                            int *ret_quality, size_t *ret_index)
{
  if (selector == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  const EyeState *state = eye_state ((CaptureIrisSelector *) selector, eye);
  if (state == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (!state->have_best)
    return CAPTURE_ERROR_NOT_FOUND;
  if (ret_quality != NULL)
    *ret_quality = state->best_quality;
  if (ret_index != NULL)
    *ret_index = state->best_index;
  return CAPTURE_OK;
}

CaptureStatus
capture_iris_selector_write_record (const CaptureIrisSelector *selector,
                                    uint8_t **ret_record, size_t *ret_size)
{
  AfisIrisRecordImage images[2];
  uint8_t *crops[2] = { NULL, NULL };
  size_t n = 0;
  CaptureStatus status = CAPTURE_OK;

  if (selector == NULL || ret_record == NULL || ret_size == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  for (int i = 0; i < 2 && status == CAPTURE_OK; i++)
    {
      const EyeState *state = &selector->eyes[i];
      if (!state->have_best)
        continue;
      /* the crop is 3.2 x 2.4 iris radii (afis-iris-record.h) */
      double r = state->segmentation.iris.radius;
      size_t capacity = (size_t) (3.2 * r + 4) * (size_t) (2.4 * r + 4);
      crops[n] = malloc (capacity);
      if (crops[n] == NULL)
        {
          status = CAPTURE_ERROR_NO_MEMORY;
          break;
        }
      status = status_from_afis (afis_iris_record_crop (state->best.pixels, state->best.width,
                                                        state->best.height,
                                                        (int) state->best.stride,
                                                        &state->segmentation, crops[n],
                                                        capacity, &images[n]));
      if (status != CAPTURE_OK)
        {
          n++;
          break;
        }
      images[n].eye = i == 0 ? CAPTURE_IRIS_EYE_RIGHT : CAPTURE_IRIS_EYE_LEFT;
      images[n].quality = (uint8_t) state->best_quality;
      n++;
    }
  if (status == CAPTURE_OK && n == 0)
    status = CAPTURE_ERROR_NOT_FOUND;
  uint8_t *record = NULL;
  size_t size = 0;
  if (status == CAPTURE_OK)
    {
      size_t capacity = afis_iris_record_size (images, n);
      record = malloc (capacity);
      if (record == NULL)
        status = CAPTURE_ERROR_NO_MEMORY;
      else
        status = status_from_afis (afis_iris_record_write (images, n, record, capacity, &size));
    }
  for (size_t i = 0; i < 2; i++)
    free (crops[i]);
  if (status != CAPTURE_OK)
    {
      free (record);
      return status;
    }
  *ret_record = record;
  *ret_size = size;
  return CAPTURE_OK;
}
