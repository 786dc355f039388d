/* Signature checks, rendering and the Type-8 forms. */
#include "capture/capture-signature.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MM_PER_INCH 25.4
#define MARGIN_MM 2.0
/* Pen-down points this far outside the box still count as inside (pads
 * report a little beyond their printed frame). */
#define BOX_TOLERANCE 0.02

static const CaptureCheck check_empty = {
  "signature.empty", "Belum ada tanda tangan. Silakan tanda tangan di pad.",
  "No signature yet. Please sign on the pad."
};
static const CaptureCheck check_too_short = {
  "signature.too_short", "Tanda tangan terlalu singkat. Silakan ulangi dengan tanda tangan lengkap.",
  "The signature is too short. Please sign again in full."
};
static const CaptureCheck check_out_of_box = {
  "signature.out_of_box", "Tanda tangan keluar dari kotak. Silakan ulangi di dalam kotak.",
  "The signature goes outside the box. Please sign again inside the box."
};
static const CaptureCheck check_ink_length = {
  "signature.ink_length", "Panjang goresan (mm)", "Stroke length (mm)"
};

static CaptureStatus
validate_pad (const CaptureSignaturePad *pad, CaptureSignaturePad *ret)
{
  if (pad == NULL || !(pad->width > 0) || !(pad->height > 0) || !(pad->units_per_inch > 0)
      || pad->max_pressure < 0 || pad->render_ppi < 0 || pad->render_ppi > 2000
      || pad->pen_width_mm < 0 || pad->min_ink_mm < 0)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  *ret = *pad;
  if (ret->render_ppi == 0)
    ret->render_ppi = 500;
  if (ret->pen_width_mm == 0)
    ret->pen_width_mm = 0.5;
  if (ret->min_ink_mm == 0)
    ret->min_ink_mm = 20.0;
  if (ret->min_duration_ms == 0)
    ret->min_duration_ms = 300;
  return CAPTURE_OK;
}

static CaptureStatus
validate_points (const CaptureSignaturePoint *points, size_t n_points)
{
  if (points == NULL && n_points > 0)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (n_points > CAPTURE_SIGNATURE_MAX_POINTS)
    return CAPTURE_ERROR_CAPACITY;
  for (size_t i = 0; i < n_points; i++)
    if (!isfinite (points[i].x) || !isfinite (points[i].y) || !isfinite (points[i].pressure))
      return CAPTURE_ERROR_INVALID_ARGUMENT;
  return CAPTURE_OK;
}

/* A segment is inked when both ends are pen-down points. */
static bool
inked (const CaptureSignaturePoint *points, size_t i)
{
  return i > 0 && points[i].pen_down && points[i - 1].pen_down;
}

CaptureStatus
capture_signature_check (const CaptureSignaturePoint *points, size_t n_points,
                         const CaptureSignaturePad *pad_in, CaptureFeedback *feedback)
{
  CaptureSignaturePad pad;
  CaptureStatus status = validate_pad (pad_in, &pad);
  if (status != CAPTURE_OK || feedback == NULL)
    return status != CAPTURE_OK ? status : CAPTURE_ERROR_INVALID_ARGUMENT;
  if ((status = validate_points (points, n_points)) != CAPTURE_OK)
    return status;

  size_t n_down = 0;
  bool outside = false;
  double ink = 0;
  uint32_t first = 0, last = 0;
  double tol_x = pad.width * BOX_TOLERANCE, tol_y = pad.height * BOX_TOLERANCE;
  for (size_t i = 0; i < n_points; i++)
    {
      const CaptureSignaturePoint *p = &points[i];
      if (!p->pen_down)
        continue;
      if (n_down++ == 0)
        first = p->time_ms;
      last = p->time_ms;
      if (p->x < -tol_x || p->y < -tol_y || p->x > pad.width + tol_x || p->y > pad.height + tol_y)
        outside = true;
      if (inked (points, i))
        ink += hypot (p->x - points[i - 1].x, p->y - points[i - 1].y);
    }
  double ink_mm = ink / pad.units_per_inch * MM_PER_INCH;
  if (n_down == 0)
    {
      capture_feedback_add_check (feedback, CAPTURE_SEVERITY_FAILURE, &check_empty, 0);
      return CAPTURE_OK;
    }
  capture_feedback_add_check (feedback, CAPTURE_SEVERITY_INFO, &check_ink_length, ink_mm);
  /* a clock that went backwards counts as no time at all */
  uint32_t duration = last >= first ? last - first : 0;
  if (ink_mm < pad.min_ink_mm || duration < pad.min_duration_ms || n_down < 10)
    capture_feedback_add_check (feedback, CAPTURE_SEVERITY_FAILURE, &check_too_short, ink_mm);
  if (outside)
    capture_feedback_add_check (feedback, CAPTURE_SEVERITY_FAILURE, &check_out_of_box, 0);
  return CAPTURE_OK;
}

/* Pad coordinates of @p with y pointing down. */
static void
pad_point (const CaptureSignaturePad *pad, const CaptureSignaturePoint *p, double *x, double *y)
{
  *x = p->x;
  *y = pad->y_up ? pad->height - p->y : p->y;
}

/* Stroke radius in output pixels at @pressure. */
static double
radius_at (const CaptureSignaturePad *pad, double pressure)
{
  double scale = 1.0;
  if (pad->max_pressure > 0 && pressure > 0)
    scale = 0.6 + 0.6 * fmin (pressure / pad->max_pressure, 1.0);
  return fmax (0.5 * pad->pen_width_mm * scale / MM_PER_INCH * pad->render_ppi, 0.7);
}

/* Draws a capsule (thick segment with round caps) with coverage-based
 * anti-aliasing; ink accumulates by taking the darkest value. */
static void
draw_segment (CaptureImage *image, double x0, double y0, double x1, double y1, double r0,
              double r1)
{
  double r = fmax (r0, r1);
  int min_x = (int) floor (fmin (x0, x1) - r - 1), max_x = (int) ceil (fmax (x0, x1) + r + 1);
  int min_y = (int) floor (fmin (y0, y1) - r - 1), max_y = (int) ceil (fmax (y0, y1) + r + 1);
  min_x = min_x < 0 ? 0 : min_x;
  min_y = min_y < 0 ? 0 : min_y;
  max_x = max_x >= image->width ? image->width - 1 : max_x;
  max_y = max_y >= image->height ? image->height - 1 : max_y;
  double dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy;
  for (int y = min_y; y <= max_y; y++)
    {
      uint8_t *row = capture_image_row (image, y);
      for (int x = min_x; x <= max_x; x++)
        {
          double px = x + 0.5 - x0, py = y + 0.5 - y0;
          double t = length2 > 0 ? (px * dx + py * dy) / length2 : 0;
          t = t < 0 ? 0 : (t > 1 ? 1 : t);
          double ex = px - t * dx, ey = py - t * dy;
          double radius = r0 + (r1 - r0) * t;
          double coverage = radius + 0.5 - sqrt (ex * ex + ey * ey);
          if (coverage <= 0)
            continue;
          coverage = coverage > 1 ? 1 : coverage;
          uint8_t value = (uint8_t) lround (255.0 * (1.0 - coverage));
          if (value < row[x])
            row[x] = value;
        }
    }
}

CaptureStatus
capture_signature_render (const CaptureSignaturePoint *points, size_t n_points,
                          const CaptureSignaturePad *pad_in, CaptureImage *ret_image)
{
  CaptureSignaturePad pad;
  CaptureStatus status = validate_pad (pad_in, &pad);
  if (status != CAPTURE_OK || ret_image == NULL)
    return status != CAPTURE_OK ? status : CAPTURE_ERROR_INVALID_ARGUMENT;
  if ((status = validate_points (points, n_points)) != CAPTURE_OK)
    return status;
  /* Ink bounding box, in pad units (y down). */
  double min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
  for (size_t i = 0; i < n_points; i++)
    if (points[i].pen_down)
      {
        double x, y;
        pad_point (&pad, &points[i], &x, &y);
        min_x = fmin (min_x, x);
        min_y = fmin (min_y, y);
        max_x = fmax (max_x, x);
        max_y = fmax (max_y, y);
      }
  if (!(min_x <= max_x))
    return CAPTURE_ERROR_NOT_FOUND;
  double scale = pad.render_ppi / pad.units_per_inch;   /* pixels per pad unit */
  double margin = MARGIN_MM / MM_PER_INCH * pad.render_ppi;
  double width = (max_x - min_x) * scale + 2 * margin, height = (max_y - min_y) * scale + 2 * margin;
  if (width > CAPTURE_IMAGE_MAX_DIMENSION || height > CAPTURE_IMAGE_MAX_DIMENSION)
    return CAPTURE_ERROR_IMAGE_TOO_LARGE;
  CaptureImage image;
  if ((status = capture_image_init (&image, (int) ceil (width), (int) ceil (height), 1)) != CAPTURE_OK)
    return status;
  memset (image.pixels, 255, image.stride * (size_t) image.height);
  for (size_t i = 0; i < n_points; i++)
    {
      if (!points[i].pen_down)
        continue;
      /* a lone pen-down point is a dot */
      size_t from = inked (points, i) ? i - 1 : i;
      double x0, y0, x1, y1;
      pad_point (&pad, &points[from], &x0, &y0);
      pad_point (&pad, &points[i], &x1, &y1);
      draw_segment (&image, (x0 - min_x) * scale + margin, (y0 - min_y) * scale + margin,
                    (x1 - min_x) * scale + margin, (y1 - min_y) * scale + margin,
                    radius_at (&pad, points[from].pressure), radius_at (&pad, points[i].pressure));
    }
  *ret_image = image;
  return CAPTURE_OK;
}

CaptureStatus
capture_signature_binarise (const CaptureImage *image, int threshold, uint8_t **ret_bits,
                            size_t *ret_size)
{
  CaptureStatus status = capture_image_validate (image);
  if (status != CAPTURE_OK)
    return status;
  if (image->channels != 1 || threshold < 1 || threshold > 255 || ret_bits == NULL
      || ret_size == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  size_t row_bytes = ((size_t) image->width + 7) / 8;
  size_t size = row_bytes * (size_t) image->height;
  uint8_t *bits = calloc (size, 1);
  if (bits == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  for (int y = 0; y < image->height; y++)
    {
      const uint8_t *row = capture_image_row (image, y);
      for (int x = 0; x < image->width; x++)
        if (row[x] < threshold)
          bits[(size_t) y * row_bytes + (size_t) x / 8] |= (uint8_t) (0x80u >> (x % 8));
    }
  *ret_bits = bits;
  *ret_size = size;
  return CAPTURE_OK;
}

CaptureStatus
capture_signature_type8_vectors (const CaptureSignaturePoint *points, size_t n_points,
                                 const CaptureSignaturePad *pad_in, uint8_t **ret_data,
                                 size_t *ret_size)
{
  CaptureSignaturePad pad;
  CaptureStatus status = validate_pad (pad_in, &pad);
  if (status != CAPTURE_OK || ret_data == NULL || ret_size == NULL)
    return status != CAPTURE_OK ? status : CAPTURE_ERROR_INVALID_ARGUMENT;
  if ((status = validate_points (points, n_points)) != CAPTURE_OK)
    return status;
  size_t size = 5 * (n_points + 1);
  uint8_t *data = malloc (size);
  if (data == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  /* Type-8 vector units: 0.0254 mm = 1/1000 inch. */
  double to_units = 1000.0 / pad.units_per_inch;
  for (size_t i = 0; i < n_points; i++)
    {
      double x, y;
      pad_point (&pad, &points[i], &x, &y);
      long vx = lround (fmin (fmax (x * to_units, 0), 65535));
      long vy = lround (fmin (fmax (y * to_units, 0), 65535));
      unsigned pressure = 0;
      if (points[i].pen_down)
        {
          /* 1..254; a pad without pressure reports mid-scale */
          double level = pad.max_pressure > 0 && points[i].pressure > 0
                           ? points[i].pressure / pad.max_pressure : 0.5;
          pressure = (unsigned) lround (1 + fmin (fmax (level, 0), 1) * 253);
        }
      uint8_t *entry = data + 5 * i;
      entry[0] = (uint8_t) (vx >> 8);
      entry[1] = (uint8_t) vx;
      entry[2] = (uint8_t) (vy >> 8);
      entry[3] = (uint8_t) vy;
      entry[4] = (uint8_t) pressure;
    }
  memset (data + 5 * n_points, 0, 4);
  data[5 * n_points + 4] = 255;   /* end of vector data */
  *ret_data = data;
  *ret_size = size;
  return CAPTURE_OK;
}
