/* Helpers for the face tests; see face-test-util.h. */
#include "face-test-util.h"

#include <glib.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture-jpeg.h"

uint64_t
face_test_random (uint64_t *state)
{
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void
face_test_load_jpeg (const char *path, CaptureImage *ret_image)
{
  gchar *data = NULL;
  gsize size = 0;
  GError *error = NULL;
  if (!g_file_get_contents (path, &data, &size, &error))
    g_error ("cannot read %s: %s", path, error->message);
  g_assert_cmpint (capture_jpeg_decode ((const uint8_t *) data, size, 3, ret_image), ==,
                   CAPTURE_OK);
  g_free (data);
}

void
face_test_transform (const CaptureImage *src, double degrees, double scale,
                     double cx, double cy, double dx, double dy,
                     const uint8_t fill[3], CaptureImage *ret_image)
{
  g_assert_cmpint (capture_image_init (ret_image, src->width, src->height, 3), ==,
                   CAPTURE_OK);
  double t = degrees * G_PI / 180.0, c = cos (t), s = sin (t);
  for (int y = 0; y < src->height; y++)
    {
      uint8_t *out = capture_image_row (ret_image, y);
      for (int x = 0; x < src->width; x++)
        {
          /* inverse map: undo the move, the scale and the rotation */
          double px = (x + 0.5 - dx - cx) / scale, py = (y + 0.5 - dy - cy) / scale;
          double sx = c * px + s * py + cx - 0.5, sy = -s * px + c * py + cy - 0.5;
          if (sx < 0 || sy < 0 || sx >= src->width - 1 || sy >= src->height - 1)
            {
              memcpy (out + x * 3, fill, 3);
              continue;
            }
          int x0 = (int) sx, y0 = (int) sy;
          double ax = sx - x0, ay = sy - y0;
          const uint8_t *r0 = capture_image_row (src, y0) + x0 * 3;
          const uint8_t *r1 = capture_image_row (src, y0 + 1) + x0 * 3;
          for (int k = 0; k < 3; k++)
            {
              double v = (r0[k] * (1 - ax) + r0[k + 3] * ax) * (1 - ay) +
                         (r1[k] * (1 - ax) + r1[k + 3] * ax) * ay;
              out[x * 3 + k] = (uint8_t) (v + 0.5);
            }
        }
    }
}

void
face_test_blur (CaptureImage *image, int radius)
{
  int w = image->width, h = image->height, c = image->channels;
  uint8_t *tmp = g_malloc ((size_t) w * h * c);
  int *sum = g_malloc0_n ((size_t) (w > h ? w : h) + 1, sizeof *sum);
  for (int pass = 0; pass < 3; pass++)
    {
      for (int y = 0; y < h; y++)
        for (int k = 0; k < c; k++)
          {
            const uint8_t *row = capture_image_row (image, y);
            sum[0] = 0;
            for (int x = 0; x < w; x++)
              sum[x + 1] = sum[x] + row[x * c + k];
            for (int x = 0; x < w; x++)
              {
                int a = MAX (0, x - radius), b = MIN (w - 1, x + radius);
                tmp[((size_t) y * w + x) * c + k] = (uint8_t) ((sum[b + 1] - sum[a]) / (b - a + 1));
              }
          }
      for (int x = 0; x < w; x++)
        for (int k = 0; k < c; k++)
          {
            sum[0] = 0;
            for (int y = 0; y < h; y++)
              sum[y + 1] = sum[y] + tmp[((size_t) y * w + x) * c + k];
            for (int y = 0; y < h; y++)
              {
                int a = MAX (0, y - radius), b = MIN (h - 1, y + radius);
                capture_image_row (image, y)[x * c + k] =
                    (uint8_t) ((sum[b + 1] - sum[a]) / (b - a + 1));
              }
          }
    }
  g_free (sum);
  g_free (tmp);
}

static bool
near_pixel (const uint8_t *p, const uint8_t *q, int tolerance)
{
  for (int k = 0; k < 3; k++)
    if (abs (p[k] - q[k]) > tolerance)
      return false;
  return true;
}

void
face_test_replace_background (CaptureImage *image, int tolerance,
                              const uint8_t colour[3], int noise, uint64_t seed)
{
  int w = image->width, h = image->height;
  uint8_t reference[3];
  memcpy (reference, capture_image_row (image, 0), 3);
  /* Studio backdrops are lit brighter in the middle: grow from pixel to
   * pixel through small steps (a smooth gradient), within @tolerance of
   * the corner overall. Seeds are the top edge and the upper half of the
   * sides only: the shirt touches the bottom edge. A pixel is marked when
   * pushed, so the stack never exceeds w * h. */
  uint8_t *seen = g_malloc0 ((size_t) w * h);
  int *stack = g_malloc_n ((size_t) w * h, sizeof *stack);
  size_t top = 0;
#define PIXEL(i) (capture_image_row (image, (i) / w) + ((i) % w) * 3)
#define PUSH(i, from)                                                         \
  do                                                                          \
    {                                                                         \
      int i_ = (i);                                                           \
      if (!seen[i_] && near_pixel (PIXEL (i_), reference, tolerance) &&       \
          near_pixel (PIXEL (i_), (from), 4))                                 \
        {                                                                     \
          seen[i_] = 1;                                                       \
          stack[top++] = i_;                                                  \
        }                                                                     \
    }                                                                         \
  while (0)
  for (int x = 0; x < w; x++)
    PUSH (x, PIXEL (x));
  for (int y = 0; y < h / 2; y++)
    {
      PUSH (y * w, PIXEL (y * w));
      PUSH (y * w + w - 1, PIXEL (y * w + w - 1));
    }
  while (top > 0)
    {
      int index = stack[--top];
      int x = index % w, y = index / w;
      const uint8_t *from = PIXEL (index);
      if (x > 0)
        PUSH (index - 1, from);
      if (x < w - 1)
        PUSH (index + 1, from);
      if (y > 0)
        PUSH (index - w, from);
      if (y < h - 1)
        PUSH (index + w, from);
    }
#undef PUSH
#undef PIXEL
  uint64_t state = seed;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (seen[y * w + x])
        {
          uint8_t *p = capture_image_row (image, y) + x * 3;
          for (int k = 0; k < 3; k++)
            {
              int v = colour[k] + (int) (face_test_random (&state) % (2 * noise + 1)) - noise;
              p[k] = (uint8_t) CLAMP (v, 0, 255);
            }
        }
  g_free (stack);
  g_free (seen);
}

void
face_test_scale_brightness (CaptureImage *image, int x0, int y0, int x1, int y1,
                            double factor)
{
  for (int y = MAX (0, y0); y < MIN (image->height, y1); y++)
    for (int x = MAX (0, x0) * image->channels; x < MIN (image->width, x1) * image->channels; x++)
      {
        uint8_t *p = capture_image_row (image, y) + x;
        *p = (uint8_t) CLAMP (*p * factor + 0.5, 0, 255);
      }
}
