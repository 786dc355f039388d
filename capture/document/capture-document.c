/* Document pages: blank check, page box, skew, rotation and crop. */
#include "capture/capture-document.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846
#define BLANK_INK_FRACTION 0.001   /* below 0.1% inked pixels: blank */
#define MAX_SKEW_POINTS 40000

static const CaptureCheck check_blank = {
  "document.blank", "Halaman kosong. Periksa apakah dokumen terbalik atau belum dipindai.",
  "The page is blank. Check that the document is face down on the scanner."
};
static const CaptureCheck check_skew = {
  "document.skew", "Kemiringan halaman (derajat), sudah diluruskan",
  "Page skew (degrees), corrected"
};

static int
compare_bytes (const void *a, const void *b)
{
  return *(const uint8_t *) a - *(const uint8_t *) b;
}

/* Paper level: the 90th percentile of a sample of the gray pixels. */
static int
paper_level (const CaptureImage *gray)
{
  uint8_t sample[4096];
  size_t n = 0, total = (size_t) gray->width * gray->height;
  size_t step = total / 4096 + 1;
  for (size_t i = 0; i < total && n < sizeof sample; i += step)
    sample[n++] = capture_image_row (gray, (int) (i / gray->width))[i % gray->width];
  qsort (sample, n, 1, compare_bytes);
  return sample[n * 9 / 10];
}

/* Page box: the rows and columns that are mostly paper. */
static void
page_box (const CaptureImage *gray, int paper, CaptureDocumentAnalysis *a)
{
  int bright = paper * 3 / 4;
  int *columns = calloc ((size_t) gray->width, sizeof (int));
  int top = -1, bottom = -1;
  for (int y = 0; y < gray->height; y++)
    {
      const uint8_t *row = capture_image_row (gray, y);
      int count = 0;
      for (int x = 0; x < gray->width; x++)
        if (row[x] >= bright)
          {
            count++;
            if (columns != NULL)
              columns[x]++;
          }
      if (count * 2 > gray->width)
        {
          if (top < 0)
            top = y;
          bottom = y;
        }
    }
  int left = -1, right = -1;
  for (int x = 0; columns != NULL && x < gray->width; x++)
    if (columns[x] * 2 > gray->height)
      {
        if (left < 0)
          left = x;
        right = x;
      }
  free (columns);
  if (top < 0 || left < 0)
    {
      /* no clear paper (a dark photo page): keep everything */
      top = left = 0;
      bottom = gray->height - 1;
      right = gray->width - 1;
    }
  a->page_x = left;
  a->page_y = top;
  a->page_width = right - left + 1;
  a->page_height = bottom - top + 1;
}

/* Angle (degrees, counter-clockwise) at which the ink's projection is
 * sharpest: text lines then run along the projection direction. */
static double
measure_skew (const int *xs, const int *ys, size_t n, int extent)
{
  if (n < 50)
    return 0;
  int bins = 2 * extent + 16;
  double *profile = malloc (sizeof (double) * (size_t) bins);
  if (profile == NULL)
    return 0;
  double best_angle = 0, best_score = -1;
  for (int pass = 0; pass < 2; pass++)
    {
      double centre = best_angle;
      double span = pass == 0 ? CAPTURE_DOCUMENT_MAX_SKEW : 0.5;
      double step = pass == 0 ? 0.25 : 0.02;
      for (double angle = centre - span; angle <= centre + span + 1e-9; angle += step)
        {
          double radians = angle * PI / 180.0, c = cos (radians), s = sin (radians);
          memset (profile, 0, sizeof (double) * (size_t) bins);
          for (size_t i = 0; i < n; i++)
            {
              int v = (int) lround (ys[i] * c + xs[i] * s) + extent + 8;
              if (v >= 0 && v < bins)
                profile[v] += 1;
            }
          double score = 0;
          for (int b = 0; b < bins; b++)
            score += profile[b] * profile[b];
          if (score > best_score)
            {
              best_score = score;
              best_angle = angle;
            }
        }
    }
  free (profile);
  return best_angle;
}

CaptureStatus
capture_document_analyse (const CaptureImage *page, CaptureDocumentAnalysis *ret_analysis)
{
  CaptureStatus status = capture_image_validate (page);
  if (status != CAPTURE_OK)
    return status;
  if (ret_analysis == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (page->width < 16 || page->height < 16)
    return CAPTURE_ERROR_IMAGE_TOO_SMALL;
  CaptureImage gray;
  if ((status = capture_image_to_gray (page, &gray)) != CAPTURE_OK)
    return status;
  CaptureDocumentAnalysis a;
  memset (&a, 0, sizeof a);
  int paper = paper_level (&gray);
  page_box (&gray, paper, &a);

  /* Ink: clearly darker than the paper, inside the page less a 2% rim
   * (scanner edges and shadows are not content). */
  int ink_level = paper - 80 > 20 ? paper - 80 : paper / 2;
  int rim_x = a.page_width / 50, rim_y = a.page_height / 50;
  int x0 = a.page_x + rim_x, x1 = a.page_x + a.page_width - rim_x;
  int y0 = a.page_y + rim_y, y1 = a.page_y + a.page_height - rim_y;
  size_t area = (size_t) (x1 - x0 > 0 ? x1 - x0 : 0) * (size_t) (y1 - y0 > 0 ? y1 - y0 : 0);
  size_t ink = 0;
  for (int y = y0; y < y1; y++)
    {
      const uint8_t *row = capture_image_row (&gray, y);
      for (int x = x0; x < x1; x++)
        ink += row[x] < ink_level;
    }
  a.ink_fraction = area > 0 ? (double) ink / area : 0;
  a.blank = a.ink_fraction < BLANK_INK_FRACTION;

  if (!a.blank)
    {
      /* a deterministic subsample of the ink, centred on the page */
      size_t stride = ink / MAX_SKEW_POINTS + 1, seen = 0, n = 0;
      int *xs = malloc (sizeof (int) * MAX_SKEW_POINTS), *ys = malloc (sizeof (int) * MAX_SKEW_POINTS);
      if (xs == NULL || ys == NULL)
        status = CAPTURE_ERROR_NO_MEMORY;
      int cx = a.page_x + a.page_width / 2, cy = a.page_y + a.page_height / 2;
      for (int y = y0; status == CAPTURE_OK && y < y1; y++)
        {
          const uint8_t *row = capture_image_row (&gray, y);
          for (int x = x0; x < x1 && n < MAX_SKEW_POINTS; x++)
            if (row[x] < ink_level && seen++ % stride == 0)
              {
                xs[n] = x - cx;
                ys[n] = y - cy;
                n++;
              }
        }
      if (status == CAPTURE_OK)
        a.skew_degrees = measure_skew (xs, ys, n, (int) hypot (a.page_width, a.page_height) / 2 + 1);
      free (xs);
      free (ys);
    }
  capture_image_clear (&gray);
  if (status != CAPTURE_OK)
    return status;
  *ret_analysis = a;
  return CAPTURE_OK;
}

CaptureStatus
capture_image_crop (const CaptureImage *image, int x, int y, int width, int height,
                    CaptureImage *ret_image)
{
  CaptureStatus status = capture_image_validate (image);
  if (status != CAPTURE_OK)
    return status;
  if (ret_image == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
  int x1 = x + width > image->width ? image->width : x + width;
  int y1 = y + height > image->height ? image->height : y + height;
  if (x1 <= x0 || y1 <= y0)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureImage out;
  if ((status = capture_image_init (&out, x1 - x0, y1 - y0, image->channels)) != CAPTURE_OK)
    return status;
  for (int row = y0; row < y1; row++)
    memcpy (capture_image_row (&out, row - y0),
            capture_image_row (image, row) + (size_t) x0 * image->channels, out.stride);
  *ret_image = out;
  return CAPTURE_OK;
}

CaptureStatus
capture_image_rotate (const CaptureImage *image, double degrees, CaptureImage *ret_image)
{
  CaptureStatus status = capture_image_validate (image);
  if (status != CAPTURE_OK)
    return status;
  if (ret_image == NULL || !isfinite (degrees))
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureImage out;
  if ((status = capture_image_init (&out, image->width, image->height, image->channels)) != CAPTURE_OK)
    return status;
  /* Output pixel -> source pixel: the inverse rotation (y grows down, so
   * a counter-clockwise turn on screen is clockwise in the maths). */
  double r = degrees * PI / 180.0, c = cos (r), s = sin (r);
  double cx = (image->width - 1) / 2.0, cy = (image->height - 1) / 2.0;
  int ch = image->channels;
  for (int y = 0; y < out.height; y++)
    {
      uint8_t *row = capture_image_row (&out, y);
      for (int x = 0; x < out.width; x++)
        {
          double dx = x - cx, dy = y - cy;
          double sx = cx + dx * c - dy * s, sy = cy + dx * s + dy * c;
          int ix = (int) floor (sx), iy = (int) floor (sy);
          double fx = sx - ix, fy = sy - iy;
          for (int k = 0; k < ch; k++)
            {
              double v = 0;
              for (int j = 0; j < 4; j++)
                {
                  int px = ix + (j & 1), py = iy + (j >> 1);
                  double w = ((j & 1) ? fx : 1 - fx) * ((j >> 1) ? fy : 1 - fy);
                  uint8_t p = 255;   /* outside: white paper */
                  if (px >= 0 && py >= 0 && px < image->width && py < image->height)
                    p = capture_image_row (image, py)[px * ch + k];
                  v += w * p;
                }
              row[x * ch + k] = (uint8_t) lround (v);
            }
        }
    }
  *ret_image = out;
  return CAPTURE_OK;
}

CaptureStatus
capture_document_clean (const CaptureImage *page, CaptureImage *ret_clean,
                        CaptureDocumentAnalysis *ret_analysis, CaptureFeedback *feedback)
{
  if (ret_clean == NULL || feedback == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureDocumentAnalysis a;
  CaptureStatus status = capture_document_analyse (page, &a);
  if (status != CAPTURE_OK)
    return status;
  CaptureImage cropped;
  status = capture_image_crop (page, a.page_x, a.page_y, a.page_width, a.page_height, &cropped);
  if (status != CAPTURE_OK)
    return status;
  if (a.blank)
    capture_feedback_add_check (feedback, CAPTURE_SEVERITY_FAILURE, &check_blank, a.ink_fraction);
  else if (fabs (a.skew_degrees) >= 0.1)
    {
      CaptureImage straight;
      status = capture_image_rotate (&cropped, -a.skew_degrees, &straight);
      capture_image_clear (&cropped);
      if (status != CAPTURE_OK)
        return status;
      cropped = straight;
      capture_feedback_add_check (feedback, CAPTURE_SEVERITY_INFO, &check_skew, a.skew_degrees);
    }
  *ret_clean = cropped;
  if (ret_analysis != NULL)
    *ret_analysis = a;
  return CAPTURE_OK;
}
