/* Finger positions, exceptions, quality and the sequence check. The
 * fingerprint work itself (extraction, quality, matching) is afis's. */
#include "capture/capture-finger.h"

#include <stdlib.h>
#include <string.h>

#include "afis/afis-finger.h"

const char *
capture_finger_exception_code (CaptureFingerException exception)
{
  switch (exception)
    {
    case CAPTURE_FINGER_AMPUTATED: return "XX";
    case CAPTURE_FINGER_UNPRINTABLE: return "UP";
    case CAPTURE_FINGER_CAPTURED: return NULL;
    }
  return NULL;
}

int
capture_slap_n_fingers (CaptureSlapKind kind)
{
  switch (kind)
    {
    case CAPTURE_SLAP_RIGHT_FOUR:
    case CAPTURE_SLAP_LEFT_FOUR: return 4;
    case CAPTURE_SLAP_THUMBS: return 2;
    }
  return 0;
}

int
capture_slap_position (CaptureSlapKind kind, int index)
{
  static const int right[4] = { 2, 3, 4, 5 }, left[4] = { 10, 9, 8, 7 }, thumbs[2] = { 6, 1 };
  if (index < 0 || index >= capture_slap_n_fingers (kind))
    return 0;
  switch (kind)
    {
    case CAPTURE_SLAP_RIGHT_FOUR: return right[index];
    case CAPTURE_SLAP_LEFT_FOUR: return left[index];
    case CAPTURE_SLAP_THUMBS: return thumbs[index];
    }
  return 0;
}

/* Extracts the afis print of a gray image; false when afis finds none. */
static bool
extract (const CaptureImage *image, AfisFingerprint *print)
{
  CaptureImage gray = { 0 };
  const CaptureImage *source = image;
  if (image->channels != 1)
    {
      if (capture_image_to_gray (image, &gray) != CAPTURE_OK)
        return false;
      source = &gray;
    }
  AfisStatus status = afis_finger_extract (source->pixels, source->width, source->height,
                                           source->stride, CAPTURE_FINGER_PPI, print);
  capture_image_clear (&gray);
  return status == AFIS_OK;
}

CaptureStatus
capture_finger_quality (const CaptureImage *image, int *ret_quality)
{
  CaptureStatus status = capture_image_validate (image);
  if (status != CAPTURE_OK)
    return status;
  if (ret_quality == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  AfisFingerprint *print = malloc (sizeof *print);
  if (print == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  *ret_quality = extract (image, print) ? print->quality : -1;
  free (print);
  return CAPTURE_OK;
}

static const CaptureCheck check_mismatch = {
  "finger.sequence_mismatch",
  "Jari yang direkam tidak sesuai urutan (tertukar atau diulang). Silakan rekam jari yang benar.",
  "This finger does not match its place in the slap (swapped or repeated). Please capture the right finger."
};
static const CaptureCheck check_unverified = {
  "finger.sequence_unverified",
  "Jari ini tidak dapat dicocokkan dengan rekaman empat jari. Silakan ulangi.",
  "This finger could not be matched with the slap. Please capture it again."
};
static const CaptureCheck check_verified = {
  "finger.sequence_score", "Skor kecocokan dengan rekaman empat jari",
  "Match score against the slap"
};

CaptureStatus
capture_finger_sequence_check (const CaptureImage *flat, int position,
                               const CaptureSlapResult *slap, int *ret_matched_position,
                               CaptureFeedback *feedback)
{
  CaptureStatus status = capture_image_validate (flat);
  if (status != CAPTURE_OK)
    return status;
  if (slap == NULL || ret_matched_position == NULL || feedback == NULL || position < 1
      || position > 10 || slap->n_fingers < 0 || slap->n_fingers > CAPTURE_SLAP_MAX_FINGERS)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  AfisFingerprint *print = malloc (sizeof *print);
  AfisSearchTemplate *probe = malloc (sizeof *probe), *candidate = malloc (sizeof *candidate);
  if (print == NULL || probe == NULL || candidate == NULL)
    {
      free (print);
      free (probe);
      free (candidate);
      return CAPTURE_ERROR_NO_MEMORY;
    }
  int best_score = -1, second_score = -1, best_position = 0;
  if (extract (flat, print) && afis_search_template_build (print, probe) == AFIS_OK)
    for (int i = 0; i < slap->n_fingers; i++)
      {
        const CaptureFingerSegment *segment = &slap->fingers[i];
        int score = 0;
        if (segment->image.pixels == NULL || !extract (&segment->image, print)
            || afis_search_template_build (print, candidate) != AFIS_OK
            || afis_finger_match (probe, candidate, &score) != AFIS_OK)
          continue;
        if (score > best_score)
          {
            second_score = best_score;
            best_score = score;
            best_position = segment->position;
          }
        else if (score > second_score)
          second_score = score;
      }
  free (print);
  free (probe);
  free (candidate);
  /* The best segment must clear the matcher's threshold and stand out
   * from the rest: a finger that is not on the slap can still score
   * above the threshold against several segments at once. */
  if (best_score < AFIS_THRESHOLD_FMR_10000 || best_score < 2 * second_score)
    {
      capture_feedback_add_check (feedback, CAPTURE_SEVERITY_FAILURE, &check_unverified,
                                  best_score < 0 ? 0 : best_score);
      *ret_matched_position = 0;
      return CAPTURE_OK;
    }
  if (best_position != position)
    capture_feedback_add_check (feedback, CAPTURE_SEVERITY_FAILURE, &check_mismatch, best_position);
  else
    capture_feedback_add_check (feedback, CAPTURE_SEVERITY_INFO, &check_verified, best_score);
  *ret_matched_position = best_position;
  return CAPTURE_OK;
}
