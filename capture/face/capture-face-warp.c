/* capture/face: the crop <-> frame similarity transform and its sampler. */
#include <math.h>

#include "face/capture-face-private.h"

void
face_warp_init (FaceWarp *warp, const CaptureFaceConfig *config,
                CapturePoint eye_left, CapturePoint eye_right)
{
  double dx = eye_right.x - eye_left.x, dy = eye_right.y - eye_left.y;
  double ied = sqrt (dx * dx + dy * dy);
  warp->crop_width = config->crop_width;
  warp->crop_height = capture_face_crop_height (config);
  warp->crop_ied = capture_face_crop_ied (config);
  warp->crop_cx = config->crop_width / 2.0;
  warp->crop_cy = config->crop_width * 0.6;
  warp->mid_x = (eye_left.x + eye_right.x) / 2.0;
  warp->mid_y = (eye_left.y + eye_right.y) / 2.0;
  warp->scale = ied > 0 ? ied / warp->crop_ied : 1.0;
  warp->cos_t = ied > 0 ? dx / ied : 1.0;
  warp->sin_t = ied > 0 ? dy / ied : 0.0;
}

void
face_warp_point (const FaceWarp *warp, double u, double v, double *ret_x,
                 double *ret_y)
{
  double du = (u - warp->crop_cx) * warp->scale;
  double dv = (v - warp->crop_cy) * warp->scale;
  *ret_x = warp->mid_x + warp->cos_t * du - warp->sin_t * dv;
  *ret_y = warp->mid_y + warp->sin_t * du + warp->cos_t * dv;
}

/* Bilinear sample of channel values at continuous (x, y), edge-clamped;
 * adds into @acc. */
static void
sample_add (const CaptureImage *src, double x, double y, double *acc)
{
  double fx = x - 0.5, fy = y - 0.5;
  if (fx < 0)
    fx = 0;
  if (fy < 0)
    fy = 0;
  if (fx > src->width - 1)
    fx = src->width - 1;
  if (fy > src->height - 1)
    fy = src->height - 1;
  int x0 = (int) fx, y0 = (int) fy;
  int x1 = x0 + 1 < src->width ? x0 + 1 : x0;
  int y1 = y0 + 1 < src->height ? y0 + 1 : y0;
  double ax = fx - x0, ay = fy - y0;
  const uint8_t *r0 = capture_image_row (src, y0);
  const uint8_t *r1 = capture_image_row (src, y1);
  int c = src->channels;
  for (int k = 0; k < c; k++)
    {
      double top = r0[x0 * c + k] * (1 - ax) + r0[x1 * c + k] * ax;
      double bottom = r1[x0 * c + k] * (1 - ax) + r1[x1 * c + k] * ax;
      acc[k] += top * (1 - ay) + bottom * ay;
    }
}

void
face_warp_render (const FaceWarp *warp, const CaptureImage *src, int u0, int v0,
                  CaptureImage *dst)
{
  int n = (int) ceil (warp->scale - 1e-9);
  if (n < 1)
    n = 1;
  if (n > 8)
    n = 8; /* beyond 8x8 samples the gain is invisible at crop size */
  int c = src->channels;
  double step = 1.0 / n;
  /* the frame offsets of one crop pixel step along u and v */
  double ux = warp->cos_t * warp->scale, uy = warp->sin_t * warp->scale;
  double vx = -warp->sin_t * warp->scale, vy = warp->cos_t * warp->scale;
  for (int v = 0; v < dst->height; v++)
    {
      uint8_t *out = capture_image_row (dst, v);
      for (int u = 0; u < dst->width; u++)
        {
          double acc[3] = { 0, 0, 0 };
          double x, y;
          face_warp_point (warp, u0 + u, v0 + v, &x, &y);
          for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
              {
                double a = (i + 0.5) * step, b = (j + 0.5) * step;
                sample_add (src, x + a * ux + b * vx, y + a * uy + b * vy, acc);
              }
          for (int k = 0; k < c; k++)
            {
              double value = acc[k] / (n * n) + 0.5;
              out[u * c + k] = (uint8_t) (value > 255 ? 255 : value);
            }
        }
    }
}
