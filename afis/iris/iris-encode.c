/* afis iris: rubber-sheet normalisation and the iris code.
 *
 * The annulus between the pupil boundary (per angle) and the limbus is
 * sampled on AFIS_IRIS_POLAR_ROWS x AFIS_IRIS_POLAR_COLS points along rays
 * from the pupil centre (Daugman's rubber sheet, which tolerates
 * non-concentric boundaries and pupil dilation). Noise: eyelids, pixels
 * darker than the eyelash level, brighter than the reflection level.
 *
 * Code: the rows are grouped in 8 radial bands; each band is filtered
 * along the angle by a complex Gabor wavelet (zero-mean real part) and
 * the signs of the real and imaginary responses at 128 angles make the
 * bits. A bit is masked when noise covers much of its filter, and when
 * its response is too weak to trust ("fragile" bits flip between
 * captures of the same eye). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "iris-private.h"

#define BANDS 8
#define ROWS_PER_BAND (AFIS_IRIS_POLAR_ROWS / BANDS)
#define WAVELENGTH 12.0f    /* polar columns */
#define SIGMA 0.35f         /* of the Gaussian, in wavelengths */
#define FRAGILE 0.18f       /* of the band's median |response| */
#define T0 0.03f            /* first row, fraction from pupil to limbus */
#define T1 0.92f            /* span of the rows */
#define HALF 16             /* kernel half length */

_Static_assert (BANDS * 2 == AFIS_IRIS_CODE_COLUMN_BITS, "bits per column");
_Static_assert (AFIS_IRIS_POLAR_COLS == 2 * AFIS_IRIS_CODE_COLUMNS, "columns");

AfisStatus
afis_iris_normalize (const uint8_t *pixels, int width, int height, int stride,
                     const AfisIrisSegmentation *s, AfisIrisPolar *ret_polar)
{
  static _Thread_local AfisIrisPolar polar;

  if (pixels == NULL || s == NULL || ret_polar == NULL || stride < width
      || width <= 1 || height <= 1)
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (!(s->pupil.radius > 0) || !(s->iris.radius > s->pupil.radius))
    return AFIS_ERROR_INVALID_ARGUMENT;
  for (int j = 0; j < AFIS_IRIS_POLAR_COLS; j++)
    {
      float a = (float) (2 * IRIS_PI * j / AFIS_IRIS_POLAR_COLS);
      float ca = cosf (a), sa = sinf (a);
      float rp = afis_iris_boundary_radius (&s->pupil, a);
      float px = s->pupil.x + rp * ca, py = s->pupil.y + rp * sa;
      float qx, qy;
      iris_ray_circle (s->pupil.x, s->pupil.y, a, s->iris.x, s->iris.y,
                       s->iris.radius, &qx, &qy);
      for (int i = 0; i < AFIS_IRIS_POLAR_ROWS; i++)
        {
          float t = T0 + T1 * ((float) i + 0.5f) / AFIS_IRIS_POLAR_ROWS;
          float x = px + t * (qx - px), y = py + t * (qy - py);
          size_t k = (size_t) i * AFIS_IRIS_POLAR_COLS + j;
          int noise = 0;
          float v;
          if (x < 0 || y < 0 || x > (float) width - 1.001f || y > (float) height - 1.001f)
            {
              polar.pixels[k] = 0;
              polar.noise[k] = 1;
              continue;
            }
          int x0 = (int) x, y0 = (int) y;
          float fx = x - (float) x0, fy = y - (float) y0;
          const uint8_t *r0 = pixels + (size_t) y0 * (size_t) stride + x0;
          const uint8_t *r1 = r0 + stride;
          v = ((float) r0[0] * (1 - fx) + (float) r0[1] * fx) * (1 - fy)
              + ((float) r1[0] * (1 - fx) + (float) r1[1] * fx) * fy;
          if (iris_eyelid_occludes (s, x, y) || v < s->eyelash_level
              || v > s->reflection_level)
            noise = 1;
          polar.pixels[k] = (uint8_t) (v + 0.5f);
          polar.noise[k] = (uint8_t) noise;
        }
    }
  *ret_polar = polar;
  return AFIS_OK;
}

static int
compare_float (const void *a, const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

/* Code and mask from a polar image; never fails. */
static void
encode_polar (const AfisIrisPolar *polar, AfisIrisTemplate *t)
{
  enum { C = AFIS_IRIS_POLAR_COLS };
  float kre[2 * HALF + 1], kim[2 * HALF + 1], kw[2 * HALF + 1];
  float band[C], valid[C];
  float re[AFIS_IRIS_CODE_COLUMNS], im[AFIS_IRIS_CODE_COLUMNS];
  float okw[AFIS_IRIS_CODE_COLUMNS], mags[AFIS_IRIS_CODE_COLUMNS];
  float mean_re = 0, wsum = 0;

  for (int k = -HALF; k <= HALF; k++)
    {
      float g = expf (-(float) (k * k) / (2 * SIGMA * SIGMA * WAVELENGTH * WAVELENGTH));
      float ph = (float) (2 * IRIS_PI) * (float) k / WAVELENGTH;
      kw[k + HALF] = g;
      kre[k + HALF] = g * cosf (ph);
      kim[k + HALF] = g * sinf (ph);
      mean_re += kre[k + HALF];
      wsum += g;
    }
  /* zero-mean real part: the bits must not depend on brightness */
  for (int k = 0; k <= 2 * HALF; k++)
    kre[k] -= mean_re * kw[k] / wsum;

  memset (t->code, 0, sizeof t->code);
  memset (t->mask, 0, sizeof t->mask);
  for (int b = 0; b < BANDS; b++)
    {
      float sum = 0;
      int count = 0;
      for (int j = 0; j < C; j++)
        {
          float acc = 0;
          int n = 0;
          for (int r = 0; r < ROWS_PER_BAND; r++)
            {
              size_t k = (size_t) (b * ROWS_PER_BAND + r) * C + j;
              if (!polar->noise[k])
                {
                  acc += polar->pixels[k];
                  n++;
                }
            }
          valid[j] = (float) n / ROWS_PER_BAND;
          band[j] = n ? acc / (float) n : -1.0f;
          if (n)
            {
              sum += band[j];
              count++;
            }
        }
      if (count < C / 8)
        continue;  /* all masked */
      /* fill the holes with the band mean so filters do not ring */
      float mean = sum / (float) count;
      for (int j = 0; j < C; j++)
        if (band[j] < 0)
          band[j] = mean;
      for (int c = 0; c < AFIS_IRIS_CODE_COLUMNS; c++)
        {
          float sr = 0, si = 0, sv = 0;
          int j0 = 2 * c;
          for (int k = -HALF; k <= HALF; k++)
            {
              int j = (j0 + k + C) % C;
              sr += kre[k + HALF] * band[j];
              si += kim[k + HALF] * band[j];
              sv += kw[k + HALF] * valid[j];
            }
          re[c] = sr;
          im[c] = si;
          okw[c] = sv / wsum;
          mags[c] = fabsf (sr) + fabsf (si);
        }
      qsort (mags, AFIS_IRIS_CODE_COLUMNS, sizeof mags[0], compare_float);
      float fragile = FRAGILE * mags[AFIS_IRIS_CODE_COLUMNS / 2] * 0.5f;
      for (int c = 0; c < AFIS_IRIS_CODE_COLUMNS; c++)
        {
          int bit = c * AFIS_IRIS_CODE_COLUMN_BITS + 2 * b;
          int usable = okw[c] >= 0.7f;
          int w = bit / 64, o = bit % 64;
          if (usable && fabsf (re[c]) >= fragile)
            {
              t->mask[w] |= 1ull << o;
              if (re[c] > 0)
                t->code[w] |= 1ull << o;
            }
          if (usable && fabsf (im[c]) >= fragile)
            {
              t->mask[w] |= 1ull << (o + 1);
              if (im[c] > 0)
                t->code[w] |= 1ull << (o + 1);
            }
        }
    }
}

AfisStatus
afis_iris_encode (const uint8_t *pixels, int width, int height, int stride,
                  const AfisIrisSegmentation *segmentation,
                  AfisIrisTemplate *ret_template)
{
  static _Thread_local AfisIrisPolar polar;
  AfisIrisTemplate t;
  AfisStatus status;

  if (ret_template == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  status = afis_iris_normalize (pixels, width, height, stride, segmentation,
                                &polar);
  if (status != AFIS_OK)
    return status;
  memset (&t, 0, sizeof t);
  encode_polar (&polar, &t);
  *ret_template = t;
  return AFIS_OK;
}
