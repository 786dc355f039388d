/* afis iris: capture quality after ISO/IEC 29794-6.
 *
 * The measures follow the standard's definitions in spirit (usable iris
 * area, iris-sclera and iris-pupil contrast, pupil boundary circularity,
 * pupil-to-iris ratio, iris radius, sharpness, gaze, margins); the
 * overall score multiplies a 0..1 factor per measure so that any one
 * failing measure pulls the capture down, which is what a capture
 * pipeline choosing frames and asking for retries needs. */
#include <math.h>
#include <string.h>

#include "iris-private.h"

static float
clamp01 (float v)
{
  return v < 0 ? 0 : (v > 1 ? 1 : v);
}

/* Linear ramp: 0 at or below @lo, 1 at or above @hi. */
static float
ramp (float v, float lo, float hi)
{
  return clamp01 ((v - lo) / (hi - lo));
}

AfisStatus
afis_iris_quality (const uint8_t *pixels, int width, int height, int stride,
                   const AfisIrisSegmentation *s, AfisIrisQuality *ret_quality)
{
  static _Thread_local AfisIrisPolar polar;
  AfisIrisQuality q;
  AfisStatus status;
  double iris_sum = 0, sclera_sum = 0, pupil_sum = 0, hp = 0;
  int iris_n = 0, sclera_n = 0, pupil_n = 0, hp_n = 0, usable = 0;
  float rmean, rdev = 0;

  if (ret_quality == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  status = afis_iris_normalize (pixels, width, height, stride, s, &polar);
  if (status != AFIS_OK)
    return status;
  memset (&q, 0, sizeof q);

  for (int k = 0; k < AFIS_IRIS_POLAR_ROWS * AFIS_IRIS_POLAR_COLS; k++)
    if (!polar.noise[k])
      {
        usable++;
        iris_sum += polar.pixels[k];
        iris_n++;
      }
  q.usable_area = 100.0f * (float) usable / (AFIS_IRIS_POLAR_ROWS * AFIS_IRIS_POLAR_COLS);

  /* pupil: inner half of the disc; sclera: just outside the limbus on the
   * lateral arcs, the part eyelids leave visible */
  for (int i = 0; i < 64; i++)
    {
      float a = (float) (2 * IRIS_PI * i / 64);
      float ca = cosf (a), sa = sinf (a);
      for (float t = 0.1f; t < 0.6f; t += 0.1f)
        {
          int x = (int) (s->pupil.x + t * s->pupil.radius * ca);
          int y = (int) (s->pupil.y + t * s->pupil.radius * sa);
          if (x >= 0 && y >= 0 && x < width && y < height)
            {
              uint8_t v = pixels[(size_t) y * stride + x];
              if ((float) v < s->reflection_level)
                {
                  pupil_sum += v;
                  pupil_n++;
                }
            }
        }
      if (fabsf (sa) < 0.5f)
        for (float t = 1.1f; t < 1.25f; t += 0.05f)
          {
            int x = (int) (s->iris.x + t * s->iris.radius * ca);
            int y = (int) (s->iris.y + t * s->iris.radius * sa);
            if (x >= 0 && y >= 0 && x < width && y < height)
              {
                sclera_sum += pixels[(size_t) y * stride + x];
                sclera_n++;
              }
          }
    }
  float iris_grey = iris_n ? (float) (iris_sum / iris_n) : 0;
  float pupil_grey = pupil_n ? (float) (pupil_sum / pupil_n) : 0;
  float sclera_grey = sclera_n ? (float) (sclera_sum / sclera_n) : iris_grey;
  q.iris_pupil_contrast = 100.0f * clamp01 ((iris_grey - pupil_grey) / (iris_grey + pupil_grey + 1));
  q.iris_sclera_contrast = 100.0f * clamp01 ((sclera_grey - iris_grey) / (sclera_grey + iris_grey + 1));

  rmean = s->pupil.radius;
  for (int i = 0; i < AFIS_IRIS_BOUNDARY_POINTS; i++)
    rdev += (s->pupil.radii[i] - rmean) * (s->pupil.radii[i] - rmean);
  rdev = sqrtf (rdev / AFIS_IRIS_BOUNDARY_POINTS);
  q.pupil_circularity = 100.0f * clamp01 (1.0f - 4.0f * rdev / rmean);
  q.pupil_iris_ratio = 100.0f * s->pupil.radius / s->iris.radius;
  q.iris_radius = s->iris.radius;

  /* sharpness: power of a band-pass filter over the unoccluded iris,
   * mapped with x^2/(x^2+c^2) as ISO/IEC 29794-6 does for its kernel */
  for (int j = 0; j < AFIS_IRIS_POLAR_COLS; j += 2)
    for (int i = 2; i < AFIS_IRIS_POLAR_ROWS; i += 3)
      {
        float a = (float) (2 * IRIS_PI * j / AFIS_IRIS_POLAR_COLS);
        size_t k = (size_t) i * AFIS_IRIS_POLAR_COLS + j;
        if (polar.noise[k])
          continue;
        float rp = afis_iris_boundary_radius (&s->pupil, a);
        float qx, qy;
        iris_ray_circle (s->pupil.x, s->pupil.y, a, s->iris.x, s->iris.y, s->iris.radius, &qx, &qy);
        float t = ((float) i + 0.5f) / AFIS_IRIS_POLAR_ROWS;
        int x = (int) (s->pupil.x + rp * cosf (a) + t * (qx - s->pupil.x - rp * cosf (a)));
        int y = (int) (s->pupil.y + rp * sinf (a) + t * (qy - s->pupil.y - rp * sinf (a)));
        if (x < 3 || y < 3 || x >= width - 3 || y >= height - 3)
          continue;
        /* band-pass: 3x3 mean minus 7x7 mean. Iris texture lives in this
         * band; sensor noise (above it) and shading (below) do not */
        int inner = 0, outer = 0;
        for (int dy = -3; dy <= 3; dy++)
          for (int dx = -3; dx <= 3; dx++)
            {
              int v = pixels[(size_t) (y + dy) * stride + (size_t) (x + dx)];
              outer += v;
              if (dx >= -1 && dx <= 1 && dy >= -1 && dy <= 1)
                inner += v;
            }
        float band = (float) inner / 9.0f - (float) outer / 49.0f;
        hp += band * band;
        hp_n++;
      }
  float power = hp_n ? (float) (hp / hp_n) : 0;
  q.sharpness = 100.0f * power / (power + 4.0f);

  {
    float dx = s->pupil.x - s->iris.x, dy = s->pupil.y - s->iris.y;
    float off = sqrtf (dx * dx + dy * dy) / s->iris.radius;
    q.concentricity = 100.0f * clamp01 (1.0f - off / 0.3f);
    /* the pupil sits in front of the limbus plane: a turned eye moves it
     * sideways by about depth * sin(angle), depth ~ 0.35 iris radii */
    q.gaze = (float) (asin (fmin (1.0, off / 0.35)) * 180.0 / IRIS_PI);
    float m = fminf (fminf (s->iris.x, (float) width - s->iris.x),
                     fminf (s->iris.y, (float) height - s->iris.y));
    q.margin = 100.0f * clamp01 (m / (1.2f * s->iris.radius));
  }

  float overall = ramp (q.usable_area, 30, 70) * ramp (q.sharpness, 15, 45)
                  * ramp (q.iris_pupil_contrast, 5, 30)
                  * (0.5f + 0.5f * ramp (q.iris_sclera_contrast, 1, 10))
                  * ramp (q.pupil_iris_ratio, 10, 20) * ramp (80, q.pupil_iris_ratio, 70)
                  * ramp (q.iris_radius, 40, 80) * ramp (q.gaze, 40, 10)
                  * (0.6f + 0.4f * q.pupil_circularity / 100.0f)
                  * (0.5f + 0.5f * ramp (q.margin, 30, 80));
  q.overall = (int) lroundf (100.0f * overall);
  *ret_quality = q;
  return AFIS_OK;
}

AfisStatus
afis_iris_extract (const uint8_t *pixels, int width, int height, int stride,
                   AfisIrisTemplate *ret_template,
                   AfisIrisSegmentation *ret_segmentation,
                   AfisIrisQuality *ret_quality, AfisIrisReject *ret_reject)
{
  AfisIrisSegmentation s;
  AfisIrisQuality q;
  AfisIrisTemplate t;
  AfisStatus status;
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;

  if (ret_template == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  status = afis_iris_segment (pixels, width, height, stride, &s, ret_reject);
  if (status != AFIS_OK)
    return status;
  status = afis_iris_quality (pixels, width, height, stride, &s, &q);
  if (status != AFIS_OK)
    return status;
  if (q.usable_area < 25.0f)
    reject = AFIS_IRIS_REJECT_CLOSED_EYE;
  else if (q.sharpness < 20.0f)
    reject = AFIS_IRIS_REJECT_BLUR;
  if (reject != AFIS_IRIS_REJECT_NONE)
    {
      if (ret_reject != NULL)
        *ret_reject = reject;
      return AFIS_ERROR_UNUSABLE_IMAGE;
    }
  status = afis_iris_encode (pixels, width, height, stride, &s, &t);
  if (status != AFIS_OK)
    return status;
  t.quality = (uint8_t) q.overall;
  *ret_template = t;
  if (ret_segmentation != NULL)
    *ret_segmentation = s;
  if (ret_quality != NULL)
    *ret_quality = q;
  return AFIS_OK;
}
