/* capture/face: image quality and background measures, taken at the
 * crop's scale so that a threshold means the same on a 720p preview and
 * a 20-megapixel still. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "face/capture-face-private.h"

/* Samples on each axis of the background grid, in crop pixels. */
#define BACKGROUND_STEP 4
/* Two colours closer than this (largest channel difference) look alike. */
#define COLOUR_TOLERANCE 40
/* Tracing the head's outline needs a stricter match and a longer run:
 * highlights on light skin come close to a light grey backdrop. */
#define OUTLINE_TOLERANCE 20
#define OUTLINE_RUN 8
/* Most background samples kept (the grid over the bands holds fewer). */
#define MAX_BACKGROUND_SAMPLES 8192

static CaptureStatus
render_gray (const FaceWarp *warp, const CaptureImage *gray, int u0, int v0,
             int width, int height, CaptureImage *ret_patch)
{
  CaptureStatus status = capture_image_init (ret_patch, width, height, 1);
  if (status != CAPTURE_OK)
    return status;
  face_warp_render (warp, gray, u0, v0, ret_patch);
  return CAPTURE_OK;
}

/* Share of pixels >= 245 in a square of half-side @half around (cu, cv):
 * bilinear averaging lowers a clipped 255 only at the blob's rim. */
static CaptureStatus
eye_glare (const FaceWarp *warp, const CaptureImage *gray, double cu, double cv,
           int half, double *ret_glare)
{
  CaptureImage patch;
  CaptureStatus status = render_gray (warp, gray, (int) (cu - half),
                                      (int) (cv - half), 2 * half, 2 * half, &patch);
  if (status != CAPTURE_OK)
    return status;
  size_t bright = 0;
  for (int y = 0; y < patch.height; y++)
    {
      const uint8_t *row = capture_image_row (&patch, y);
      for (int x = 0; x < patch.width; x++)
        bright += row[x] >= 245;
    }
  *ret_glare = (double) bright / ((double) patch.width * patch.height);
  capture_image_clear (&patch);
  return CAPTURE_OK;
}

CaptureStatus
face_measure_quality (const FaceWarp *warp, const CaptureImage *frame,
                      const CaptureImage *gray, CaptureFaceMeasures *measures)
{
  (void) frame;
  double ied = warp->crop_ied;
  /* The face from just above the eyes to the mouth, cheek to cheek: skin,
   * eyes, nose and mouth, little hair or background. */
  int u0 = (int) (warp->crop_cx - 0.9 * ied);
  int v0 = (int) (warp->crop_cy - 0.3 * ied);
  int width = (int) (1.8 * ied), height = (int) (1.5 * ied);
  CaptureImage patch;
  CaptureStatus status = render_gray (warp, gray, u0, v0, width, height, &patch);
  if (status != CAPTURE_OK)
    return status;

  double sum = 0, sum2 = 0, left = 0, right = 0;
  size_t dark = 0, bright = 0, n = (size_t) width * height;
  for (int y = 0; y < height; y++)
    {
      const uint8_t *row = capture_image_row (&patch, y);
      for (int x = 0; x < width; x++)
        {
          double p = row[x];
          sum += p;
          sum2 += p * p;
          dark += row[x] <= 15;
          bright += row[x] >= 250;
          if (x < width / 2)
            left += p;
          else
            right += p;
        }
    }
  double mean = sum / n;
  double var = sum2 / n - mean * mean;
  double std = var > 0 ? sqrt (var) : 0;

  /* Sharpness: RMS of the 4-neighbour Laplacian over the patch, divided
   * by the patch's contrast so that lighting does not masquerade as
   * focus. Blur removes the fine detail (eyelashes, skin texture, edges
   * of the iris) that dominates the Laplacian. */
  double lap2 = 0;
  size_t n_lap = 0;
  for (int y = 1; y < height - 1; y++)
    {
      const uint8_t *up = capture_image_row (&patch, y - 1);
      const uint8_t *row = capture_image_row (&patch, y);
      const uint8_t *down = capture_image_row (&patch, y + 1);
      for (int x = 1; x < width - 1; x++)
        {
          double l = 4.0 * row[x] - row[x - 1] - row[x + 1] - up[x] - down[x];
          lap2 += l * l;
          n_lap++;
        }
    }
  capture_image_clear (&patch);

  measures->luma_mean = mean;
  measures->luma_std = std;
  measures->dark_fraction = (double) dark / n;
  measures->bright_fraction = (double) bright / n;
  measures->sharpness = std > 1.0 && n_lap > 0 ? sqrt (lap2 / n_lap) / std : 0.0;
  double half = (double) n / 2;
  double mean_left = left / half, mean_right = right / half;
  double hi = mean_left > mean_right ? mean_left : mean_right;
  double lo = mean_left > mean_right ? mean_right : mean_left;
  measures->shadow = hi > 0 ? 1.0 - lo / hi : 0.0;

  double glare_left, glare_right;
  int eye_half = (int) (ied / 4);
  status = eye_glare (warp, gray, warp->crop_cx - ied / 2, warp->crop_cy,
                      eye_half, &glare_left);
  if (status != CAPTURE_OK)
    return status;
  status = eye_glare (warp, gray, warp->crop_cx + ied / 2, warp->crop_cy,
                      eye_half, &glare_right);
  if (status != CAPTURE_OK)
    return status;
  measures->glare = glare_left > glare_right ? glare_left : glare_right;
  return CAPTURE_OK;
}

static int
median_of (const unsigned *histogram, size_t n)
{
  size_t seen = 0;
  for (int i = 0; i < 256; i++)
    {
      seen += histogram[i];
      if (seen * 2 >= n)
        return i;
    }
  return 255;
}

static bool
near_colour_within (const uint8_t *p, const double *rgb, double tolerance)
{
  for (int k = 0; k < 3; k++)
    if (fabs (p[k] - rgb[k]) > tolerance)
      return false;
  return true;
}

static bool
near_colour (const uint8_t *p, const double *rgb)
{
  return near_colour_within (p, rgb, COLOUR_TOLERANCE);
}

/* Reads the frame pixel under crop point (u, v); false outside the frame. */
static bool
frame_pixel (const FaceWarp *warp, const CaptureImage *frame, double u, double v,
             const uint8_t **ret_pixel)
{
  double x, y;
  face_warp_point (warp, u, v, &x, &y);
  if (x < 0 || y < 0 || x >= frame->width || y >= frame->height)
    return false;
  *ret_pixel = capture_image_row (frame, (int) y) + (size_t) ((int) x) * 3;
  return true;
}

/* Walks from crop point (u, v) by (du, dv) until OUTLINE_RUN
 * background-coloured pixels in a row; returns the crop coordinate along the walk where the run
 * starts, or NAN if the crop edge comes first. */
static double
walk_to_background (const FaceWarp *warp, const CaptureImage *frame, double u,
                    double v, double du, double dv, const double *rgb)
{
  int run = 0;
  for (int i = 0; i < 4 * warp->crop_width; i++)
    {
      double cu = u + i * du, cv = v + i * dv;
      if (cu < 0 || cv < 0 || cu >= warp->crop_width || cv >= warp->crop_height)
        return NAN;
      const uint8_t *p;
      if (!frame_pixel (warp, frame, cu, cv, &p))
        return NAN;
      run = near_colour_within (p, rgb, OUTLINE_TOLERANCE) ? run + 1 : 0;
      if (run == OUTLINE_RUN)
        return (du != 0 ? cu - (OUTLINE_RUN - 1) * du : cv - (OUTLINE_RUN - 1) * dv);
    }
  return NAN;
}

CaptureStatus
face_measure_background (const FaceWarp *warp, const CaptureImage *frame,
                         CaptureFaceMeasures *measures)
{
  const int W = warp->crop_width, H = warp->crop_height;
  /* Bands of the crop that hold background on a compliant photo: a strip
   * above the crown and a strip down each side, clear of hair and
   * shoulders for an ordinary head (the head spans about 0.2-0.8 of the
   * width and starts below 0.08 of the height). */
  const struct { double u0, u1, v0, v1; } bands[] = {
    { 0.05, 0.95, 0.01, 0.05 },
    { 0.02, 0.12, 0.05, 0.45 },
    { 0.88, 0.98, 0.05, 0.45 },
  };
  uint8_t (*samples)[3] = malloc (MAX_BACKGROUND_SAMPLES * sizeof *samples);
  if (samples == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  size_t n = 0;
  size_t counts[3] = { 0, 0, 0 };
  unsigned histogram[3][256];
  memset (histogram, 0, sizeof histogram);
  for (size_t b = 0; b < sizeof bands / sizeof bands[0]; b++)
    for (double v = bands[b].v0 * H; v < bands[b].v1 * H; v += BACKGROUND_STEP)
      for (double u = bands[b].u0 * W; u < bands[b].u1 * W; u += BACKGROUND_STEP)
        {
          const uint8_t *p;
          if (n >= MAX_BACKGROUND_SAMPLES || !frame_pixel (warp, frame, u, v, &p))
            continue;
          memcpy (samples[n], p, 3);
          counts[capture_background_classify_rgb (p[0], p[1], p[2])]++;
          for (int k = 0; k < 3; k++)
            histogram[k][p[k]]++;
          n++;
        }
  measures->background_samples = n;
  if (n == 0)
    {
      free (samples);
      measures->background = CAPTURE_BACKGROUND_OTHER;
      measures->background_share = 0;
      measures->background_uniformity = 0;
      return CAPTURE_OK;
    }
  for (int k = 0; k < 3; k++)
    measures->background_rgb[k] = median_of (histogram[k], n);
  size_t near = 0;
  for (size_t i = 0; i < n; i++)
    near += near_colour (samples[i], measures->background_rgb);
  free (samples);
  measures->background_uniformity = (double) near / n;
  /* the colour class most samples fall in */
  CaptureBackgroundColour best = CAPTURE_BACKGROUND_OTHER;
  if (counts[CAPTURE_BACKGROUND_RED] > counts[best])
    best = CAPTURE_BACKGROUND_RED;
  if (counts[CAPTURE_BACKGROUND_BLUE] > counts[best])
    best = CAPTURE_BACKGROUND_BLUE;
  measures->background = best;
  measures->background_share = (double) counts[best] / n;

  /* Head outline against a plain background: the ear-level row for the
   * width, the centre column upward for the crown. Only meaningful when
   * the background is one colour. */
  measures->head_measured = false;
  if (measures->background_uniformity >= 0.6)
    {
      double row = warp->crop_cy + 0.25 * warp->crop_ied;
      double left = walk_to_background (warp, frame, warp->crop_cx, row, -1, 0,
                                        measures->background_rgb);
      double right = walk_to_background (warp, frame, warp->crop_cx, row, 1, 0,
                                         measures->background_rgb);
      double crown = walk_to_background (warp, frame, warp->crop_cx,
                                         warp->crop_cy - 0.5 * warp->crop_ied, 0, -1,
                                         measures->background_rgb);
      if (isfinite (left) && isfinite (right) && isfinite (crown))
        {
          /* No chin detector ships with Debian's OpenCV: the chin is put
           * 1.75 eye distances below the eye line, the adult mean
           * (pupil-to-menton about 110 mm for a 63 mm pupil distance). */
          double chin = warp->crop_cy + 1.75 * warp->crop_ied;
          measures->head_width_ratio = (right - left) / W;
          measures->head_height_ratio = (chin - crown) / H;
          measures->head_measured = true;
        }
    }
  return CAPTURE_OK;
}
