/* capture: face and eye detection (policy-free); see capture-face-detect.h. */
#include "capture/capture-face-detect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim/capture-cv.h"

#define CASCADE_PATH_MAX 1024
#define MAX_EYE_BOXES 16
/* The face cascades' window: the smallest face a pass can see, in the
 * pixels of the image it searches. */
#define CASCADE_WINDOW 24.0
/* The eye cascade works on a face ROI about this wide. */
#define EYE_WORK_WIDTH 100

struct CaptureFaceDetector {
  CaptureCvDetector *cv;
  CaptureFaceDetectorConfig config;
};

void
capture_face_detector_config_init (CaptureFaceDetectorConfig *config)
{
  if (config == NULL)
    return;
  config->cascade_dir = NULL;
  config->detect_width = 320;
  config->min_face_fraction = 0.12;
  config->small_detect_width = 480;
  config->small_min_face_fraction = 0.05;
  config->other_face_ratio = 0.4;
}

static CaptureStatus
status_from_cv (CaptureCvStatus status)
{
  switch (status)
    {
    case CAPTURE_CV_OK:
      return CAPTURE_OK;
    case CAPTURE_CV_ERROR_INVALID_ARGUMENT:
      return CAPTURE_ERROR_INVALID_ARGUMENT;
    case CAPTURE_CV_ERROR_NO_MEMORY:
      return CAPTURE_ERROR_NO_MEMORY;
    case CAPTURE_CV_ERROR_CASCADE:
    case CAPTURE_CV_ERROR_INTERNAL:
    default:
      return CAPTURE_ERROR_BACKEND;
    }
}

static bool
file_exists (const char *path)
{
  FILE *file = fopen (path, "rb");
  if (file == NULL)
    return false;
  fclose (file);
  return true;
}

CaptureStatus
capture_face_detector_new (const CaptureFaceDetectorConfig *config,
                           CaptureFaceDetector **ret_detector)
{
  CaptureFaceDetectorConfig defaults;
  char face_path[CASCADE_PATH_MAX];
  char eye_path[CASCADE_PATH_MAX];

  if (ret_detector == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  capture_face_detector_config_init (&defaults);
  if (config == NULL)
    config = &defaults;
  if (config->detect_width < 64 || config->min_face_fraction <= 0.0 ||
      config->min_face_fraction >= 1.0 || config->small_detect_width < 64 ||
      config->small_min_face_fraction <= 0.0 ||
      config->small_min_face_fraction > config->min_face_fraction || config->other_face_ratio <= 0.0 ||
      config->other_face_ratio > 1.0)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  const char *dir = config->cascade_dir != NULL ? config->cascade_dir
                                                : CAPTURE_FACE_DEFAULT_CASCADE_DIR;
  /* The LBP "improved" frontal cascade is several times faster than the
   * Haar ones at a similar hit rate on frontal faces, which is what the
   * preview budget needs; Haar's eye cascade has no LBP counterpart. */
  int n1 = snprintf (face_path, sizeof face_path,
                     "%s/lbpcascades/lbpcascade_frontalface.xml", dir);
  int n2 = snprintf (eye_path, sizeof eye_path,
                     "%s/haarcascades/haarcascade_eye.xml", dir);
  if (n1 < 0 || n2 < 0 || (size_t) n1 >= sizeof face_path ||
      (size_t) n2 >= sizeof eye_path)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (!file_exists (face_path) || !file_exists (eye_path))
    return CAPTURE_ERROR_NOT_FOUND;

  CaptureFaceDetector *detector = calloc (1, sizeof *detector);
  if (detector == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  CaptureCvStatus cv_status =
      capture_cv_detector_new (face_path, eye_path, &detector->cv);
  if (cv_status != CAPTURE_CV_OK)
    {
      free (detector);
      return status_from_cv (cv_status);
    }
  detector->config = *config;
  detector->config.cascade_dir = NULL; /* not kept: the caller owns it */
  *ret_detector = detector;
  return CAPTURE_OK;
}

void
capture_face_detector_free (CaptureFaceDetector *detector)
{
  if (detector == NULL)
    return;
  capture_cv_detector_free (detector->cv);
  free (detector);
}

/* Refines an eye box to the pupil: the iris and pupil are the darkest
 * compact blob in the box's middle (the top of a Haar eye box often holds
 * the eyebrow, its sides the lashes and the eye corners, which pulled
 * the eyes apart by 7% on the London set when included). Returns the
 * darkness-weighted centroid of the darkest 4% of that region. */
static CapturePoint
refine_eye (const CaptureImage *gray, const CaptureRect *box)
{
  CapturePoint centre = { box->x + box->width / 2.0, box->y + box->height / 2.0 };
  int x0 = box->x + box->width * 3 / 10, x1 = box->x + box->width * 7 / 10;
  int y0 = box->y + box->height * 3 / 10, y1 = box->y + box->height * 8 / 10;
  if (x0 < 0 || y0 < 0 || x1 > gray->width || y1 > gray->height ||
      x1 - x0 < 4 || y1 - y0 < 4)
    return centre;
  unsigned histogram[256] = { 0 };
  size_t total = 0;
  for (int y = y0; y < y1; y++)
    {
      const uint8_t *row = capture_image_row (gray, y);
      for (int x = x0; x < x1; x++)
        histogram[row[x]]++;
      total += (size_t) (x1 - x0);
    }
  size_t wanted = total * 4 / 100, seen = 0;
  int threshold = 0;
  for (; threshold < 255; threshold++)
    {
      seen += histogram[threshold];
      if (seen >= wanted)
        break;
    }
  double sum_w = 0, sum_x = 0, sum_y = 0;
  for (int y = y0; y < y1; y++)
    {
      const uint8_t *row = capture_image_row (gray, y);
      for (int x = x0; x < x1; x++)
        if (row[x] <= threshold)
          {
            double w = (double) (threshold - row[x]) + 1.0;
            sum_w += w;
            sum_x += w * x;
            sum_y += w * y;
          }
    }
  if (sum_w <= 0)
    return centre;
  centre.x = sum_x / sum_w + 0.5;
  centre.y = sum_y / sum_w + 0.5;
  return centre;
}

/* Picks the pair of eye boxes that best fits a frontal face: one in each
 * half of the face box, in its upper part, of similar size, and close to
 * level. Returns false when no pair fits. */
static bool
pick_eye_pair (const CaptureRect *face, const CaptureCvRect *eyes, size_t n,
               size_t *ret_left, size_t *ret_right)
{
  double best = -1.0;
  size_t best_left = 0, best_right = 0;
  double face_mid = face->x + face->width / 2.0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      {
        if (i == j)
          continue;
        double cx_i = eyes[i].x + eyes[i].width / 2.0;
        double cx_j = eyes[j].x + eyes[j].width / 2.0;
        double cy_i = eyes[i].y + eyes[i].height / 2.0;
        double cy_j = eyes[j].y + eyes[j].height / 2.0;
        if (!(cx_i < face_mid && cx_j > face_mid))
          continue;
        double size_ratio = (double) eyes[i].width / eyes[j].width;
        if (size_ratio < 0.6 || size_ratio > 1.6)
          continue;
        double distance = cx_j - cx_i;
        if (distance < face->width * 0.25 || distance > face->width * 0.75)
          continue;
        double tilt = fabs (cy_j - cy_i) / distance;
        if (tilt > 0.5) /* about 27 degrees: beyond any usable roll */
          continue;
        /* On the frontal cascade's box the eye line sits at 0.33-0.42 of
         * the height (measured on the London, zoom and lisa sets); a pair
         * much higher is a fringe or the eyebrows, lower the nostrils. */
        double line = ((cy_i + cy_j) / 2.0 - face->y) / face->height;
        if (line < 0.22 || line > 0.55)
          continue;
        /* prefer symmetric, level pairs on the expected eye line */
        double symmetry = fabs ((cx_i + cx_j) / 2.0 - face_mid) / face->width;
        double score = 2.0 - tilt - 2.0 * symmetry - 3.0 * fabs (line - 0.38) +
                       0.5 * (eyes[i].width + eyes[j].width) / face->width;
        if (score > best)
          {
            best = score;
            best_left = i;
            best_right = j;
          }
      }
  if (best < 0.0)
    return false;
  *ret_left = best_left;
  *ret_right = best_right;
  return true;
}

/* One detection pass: the frame scaled to at most @width pixels wide,
 * faces of at least @min_side frame pixels. */
/* The scale a pass searching at @width applies to @view. */
static double
pass_scale (const CaptureCvGray *view, int width)
{
  return view->width > width ? (double) width / view->width : 1.0;
}

static CaptureStatus
find_faces (CaptureFaceDetector *detector, const CaptureCvGray *view, int width,
            int min_side, int max_side, CaptureCvRect *ret_boxes, size_t *ret_n_found)
{
  return status_from_cv (capture_cv_detect_faces (detector->cv, view,
                                                  pass_scale (view, width),
                                                  min_side, max_side, ret_boxes,
                                                  CAPTURE_FACE_MAX_FACES,
                                                  ret_n_found));
}

CaptureStatus
capture_face_detect_gray (CaptureFaceDetector *detector, const CaptureImage *gray,
                          CaptureFaceDetection *ret_detection)
{
  CaptureCvRect boxes[CAPTURE_FACE_MAX_FACES];
  CaptureCvRect eyes[MAX_EYE_BOXES];
  CaptureFaceDetection detection;
  size_t n_found = 0, n_eyes = 0;

  if (detector == NULL || ret_detection == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureStatus status = capture_image_validate (gray);
  if (status != CAPTURE_OK)
    return status;
  if (gray->channels != 1)
    return CAPTURE_ERROR_INVALID_ARGUMENT;

  memset (&detection, 0, sizeof detection);
  CaptureCvGray view = { gray->pixels, gray->width, gray->height, gray->stride };
  int shorter = gray->width < gray->height ? gray->width : gray->height;
  int min_side = (int) (shorter * detector->config.min_face_fraction);
  status = find_faces (detector, &view, detector->config.detect_width, min_side, 0,
                       boxes, &n_found);
  if (status != CAPTURE_OK)
    return status;
  /* The smallest face each pass can see: its size floor, or the cascade's
   * 24 px window at the pass's scale. The finer pass is worth its cost
   * only when it sees faces at least 40% smaller than the first (on a
   * 1280x720 preview it does not: 64 against 96 px, and skipping it keeps
   * a frame without a face at one pass, ~9 ms instead of ~30; on a
   * 500 px group photo it does: 25 against 45 px), and only when the
   * first found nothing or a face so small that a second one could hide
   * below its floor. */
  int small_side = (int) (shorter * detector->config.small_min_face_fraction);
  double seen_first = fmax (min_side, CASCADE_WINDOW / pass_scale (&view, detector->config.detect_width));
  double seen_second = fmax (small_side,
                             CASCADE_WINDOW / pass_scale (&view, detector->config.small_detect_width));
  if ((n_found == 0 || boxes[0].width * detector->config.other_face_ratio < seen_first) &&
      seen_second < 0.6 * seen_first)
    {
      /* With nothing found, the finer pass only needs the sizes the first
       * could not see: capping the size skips the detector's coarse
       * pyramid levels, about half the pass. */
      int cap = n_found == 0 ? (int) (2 * seen_first) : 0;
      status = find_faces (detector, &view, detector->config.small_detect_width,
                           small_side, cap, boxes, &n_found);
      if (status != CAPTURE_OK)
        return status;
    }
  detection.n_boxes = n_found < CAPTURE_FACE_MAX_FACES ? n_found
                                                       : CAPTURE_FACE_MAX_FACES;
  for (size_t i = 0; i < detection.n_boxes; i++)
    {
      detection.faces[i].x = boxes[i].x;
      detection.faces[i].y = boxes[i].y;
      detection.faces[i].width = boxes[i].width;
      detection.faces[i].height = boxes[i].height;
      if (boxes[i].width >= boxes[0].width * detector->config.other_face_ratio)
        detection.n_faces++;
    }
  if (n_found > CAPTURE_FACE_MAX_FACES)
    detection.n_faces += n_found - CAPTURE_FACE_MAX_FACES;

  if (detection.n_boxes > 0)
    {
      const CaptureRect *face = &detection.faces[0];
      /* The LBP box starts just above the eyebrows, so the eyes sit in
       * its upper half; a margin above the box keeps eyes of a face
       * boxed slightly low. */
      int top = face->y - face->height / 10;
      if (top < 0)
        top = 0;
      CaptureCvRect roi = { face->x, top, face->width,
                            face->y + face->height * 6 / 10 - top };
      status = status_from_cv (capture_cv_detect_eyes (detector->cv, &view, &roi,
                                                       EYE_WORK_WIDTH, eyes,
                                                       MAX_EYE_BOXES, &n_eyes));
      if (status != CAPTURE_OK)
        return status;
      if (n_eyes > MAX_EYE_BOXES)
        n_eyes = MAX_EYE_BOXES;
      size_t left, right;
      if (pick_eye_pair (face, eyes, n_eyes, &left, &right))
        {
          CaptureRect l = { eyes[left].x, eyes[left].y, eyes[left].width,
                            eyes[left].height };
          CaptureRect r = { eyes[right].x, eyes[right].y, eyes[right].width,
                            eyes[right].height };
          detection.eyes_found = true;
          detection.eye_left = refine_eye (gray, &l);
          detection.eye_right = refine_eye (gray, &r);
        }
    }
  *ret_detection = detection;
  return CAPTURE_OK;
}

CaptureStatus
capture_face_detect (CaptureFaceDetector *detector, const CaptureImage *image,
                     CaptureFaceDetection *ret_detection)
{
  CaptureImage gray;
  if (detector == NULL || ret_detection == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureStatus status = capture_image_to_gray (image, &gray);
  if (status != CAPTURE_OK)
    return status;
  status = capture_face_detect_gray (detector, &gray, ret_detection);
  capture_image_clear (&gray);
  return status;
}
