/* afis iris: synthetic eye images (see afis-iris-synth.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "iris-private.h"
#include "afis/afis-iris-synth.h"

#define TEX_ROWS 48
#define TEX_COLS 512

typedef struct {
  uint64_t state;
} Rng;

static uint64_t
rng_next (Rng *r)
{
  uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* uniform in [0,1) */
static float
rng_unit (Rng *r)
{
  return (float) (rng_next (r) >> 40) / (float) (1u << 24);
}

static float
rng_range (Rng *r, float lo, float hi)
{
  return lo + (hi - lo) * rng_unit (r);
}

/* Iris texture on the rubber sheet: rows = pupil to limbus, columns =
 * angle. Crypts (dark blobs), radial furrows, a collarette ring and a
 * fine grain; contrast comparable to NIR captures. */
static void
texture_make (uint64_t eye_seed, float *tex)
{
  Rng r = { eye_seed * 0x2545F4914F6CDD1Dull + 17 };
  float collarette = rng_range (&r, 0.25f, 0.4f);

  for (int i = 0; i < TEX_ROWS * TEX_COLS; i++)
    tex[i] = 0;
  /* radial furrows: thin lines along the radius with random phase */
  for (int k = 0; k < 90; k++)
    {
      float c = rng_unit (&r) * TEX_COLS, amp = rng_range (&r, -14, 14);
      float r0 = rng_range (&r, 0, 0.5f), r1 = r0 + rng_range (&r, 0.2f, 0.6f);
      float width = rng_range (&r, 1.0f, 3.0f), bend = rng_range (&r, -8, 8);
      for (int y = 0; y < TEX_ROWS; y++)
        {
          float t = (float) y / TEX_ROWS;
          if (t < r0 || t > r1)
            continue;
          float cc = c + bend * (t - r0);
          for (int dx = -8; dx <= 8; dx++)
            {
              int x = ((int) cc + dx + TEX_COLS) % TEX_COLS;
              float d = ((float) ((int) cc + dx) - cc) / width;
              tex[y * TEX_COLS + x] += amp * expf (-d * d);
            }
        }
    }
  /* crypts: dark elliptical blobs */
  for (int k = 0; k < 70; k++)
    {
      float cx = rng_unit (&r) * TEX_COLS, cy = rng_range (&r, 0.05f, 0.95f) * TEX_ROWS;
      float sx = rng_range (&r, 2, 9), sy = rng_range (&r, 1.5f, 5);
      float amp = rng_range (&r, -40, 10);
      for (int y = (int) (cy - 3 * sy); y <= (int) (cy + 3 * sy); y++)
        {
          if (y < 0 || y >= TEX_ROWS)
            continue;
          for (int x = (int) (cx - 3 * sx); x <= (int) (cx + 3 * sx); x++)
            {
              float dx = ((float) x - cx) / sx, dy = ((float) y - cy) / sy;
              tex[y * TEX_COLS + (x + TEX_COLS) % TEX_COLS] += amp * expf (-(dx * dx + dy * dy) / 2);
            }
        }
    }
  /* the collarette: a wavy ring, brighter */
  for (int x = 0; x < TEX_COLS; x++)
    {
      float wave = collarette + 0.04f * sinf ((float) x * 0.07f + rng_unit (&r) * 0.3f);
      for (int y = 0; y < TEX_ROWS; y++)
        {
          float d = ((float) y / TEX_ROWS - wave) / 0.05f;
          tex[y * TEX_COLS + x] += 12 * expf (-d * d);
        }
    }
  /* fine grain */
  for (int i = 0; i < TEX_ROWS * TEX_COLS; i++)
    tex[i] += rng_range (&r, -5, 5);
}

static void
blur_box (uint8_t *pixels, int w, int h, int radius, uint8_t *tmp)
{
  if (radius <= 0)
    return;
  for (int pass = 0; pass < 2; pass++)
    {
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            int acc = 0, n = 0;
            for (int k = -radius; k <= radius; k++)
              {
                int xx = pass == 0 ? x + k : x, yy = pass == 0 ? y : y + k;
                if (xx < 0 || yy < 0 || xx >= w || yy >= h)
                  continue;
                acc += pixels[(size_t) yy * w + xx];
                n++;
              }
            tmp[(size_t) y * w + x] = (uint8_t) ((acc + n / 2) / n);
          }
      memcpy (pixels, tmp, (size_t) w * h);
    }
}

AfisStatus
afis_iris_synth_eye (uint64_t eye_seed, uint64_t capture_seed,
                     const AfisIrisSynthOptions *options, int width, int height,
                     uint8_t *pixels, AfisIrisSynthTruth *ret_truth)
{
  AfisIrisSynthOptions opt = { 0 };
  AfisIrisSynthTruth t;
  Rng eye = { eye_seed ^ 0xA5A5A5A5DEADBEEFull }, cap = { capture_seed * 7919u + eye_seed };
  float *tex;
  uint8_t *tmp;
  float scale, iris_grey, skin, sclera;

  if (pixels == NULL || width < AFIS_IRIS_SYNTH_MIN_SIDE || height < AFIS_IRIS_SYNTH_MIN_SIDE
      || width > AFIS_IRIS_SYNTH_MAX_SIDE || height > AFIS_IRIS_SYNTH_MAX_SIDE)
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (options)
    opt = *options;
  tex = malloc (TEX_ROWS * TEX_COLS * sizeof *tex);
  tmp = malloc ((size_t) width * height);
  if (tex == NULL || tmp == NULL)
    {
      free (tex);
      free (tmp);
      return AFIS_ERROR_NO_MEMORY;
    }
  texture_make (eye_seed, tex);

  /* the eye's own constants */
  scale = (float) (width < height ? width : height) / 280.0f;
  memset (&t, 0, sizeof t);
  t.iris_radius = rng_range (&eye, 92, 112) * scale;
  iris_grey = rng_range (&eye, 85, 125);
  skin = rng_range (&eye, 150, 185);
  sclera = skin + rng_range (&eye, 0, 15);
  float pupil_ratio = rng_range (&eye, 0.3f, 0.45f);

  /* the capture */
  int clean = capture_seed == 0;
  t.iris_x = (float) width / 2 + (clean ? 0 : rng_range (&cap, -20, 20) * scale);
  t.iris_y = (float) height / 2 + (clean ? 0 : rng_range (&cap, -12, 12) * scale);
  t.rotation = clean ? 0 : rng_range (&cap, -0.12f, 0.12f);
  pupil_ratio += clean ? 0 : rng_range (&cap, -0.06f, 0.08f);
  t.pupil_radius = t.iris_radius * pupil_ratio;
  t.pupil_x = t.iris_x + (clean ? 1.0f : rng_range (&cap, -3, 3)) * scale;
  t.pupil_y = t.iris_y + (clean ? 1.0f : rng_range (&cap, -2, 4)) * scale;
  float open_up = (clean ? 0.75f : rng_range (&cap, 0.45f, 0.95f)) - 0.9f * opt.occlusion;
  float open_down = clean ? 0.9f : rng_range (&cap, 0.7f, 1.1f);
  if (opt.closed)
    open_up = open_down = -0.05f;
  t.upper_lid_y = t.iris_y - open_up * t.iris_radius;
  t.lower_lid_y = t.iris_y + open_down * t.iris_radius;
  t.blur = (clean ? 0.0f : (float) (rng_next (&cap) % 3)) + opt.extra_blur;
  float gain = clean ? 1.0f : rng_range (&cap, 0.9f, 1.1f);
  /* real irises do not stretch linearly with the pupil: bend the rubber
   * sheet a little per capture, and light the eye unevenly */
  float bend = clean ? 0.0f : rng_range (&cap, -0.4f, 0.4f);
  float light_x = clean ? 0.0f : rng_range (&cap, -12, 12);
  float light_y = clean ? 0.0f : rng_range (&cap, -8, 8);
  int noise = clean ? 3 : 3 + (int) (rng_next (&cap) % 4);

  /* eye opening: between two parabolas meeting at the corners */
  float half_w = 2.2f * t.iris_radius;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        float dx = (float) x - t.iris_x;
        float u = dx / half_w;
        float top = t.upper_lid_y + (t.iris_y - t.upper_lid_y) * u * u;
        float bottom = t.lower_lid_y - (t.lower_lid_y - t.iris_y) * u * u;
        float v;
        if (fabsf (u) >= 1 || (float) y < top || (float) y > bottom)
          v = skin - 10 * (float) y / (float) height;
        else
          {
            float px = (float) x - t.pupil_x, py = (float) y - t.pupil_y;
            float ix = (float) x - t.iris_x, iy = (float) y - t.iris_y;
            float rp = sqrtf (px * px + py * py);
            float ri = sqrtf (ix * ix + iy * iy);
            if (rp < t.pupil_radius)
              v = 18 + 6 * rp / t.pupil_radius;
            else if (ri < t.iris_radius)
              {
                /* position on the rubber sheet along the ray from the
                 * pupil centre */
                float a = atan2f (py, px);
                float qx, qy;
                iris_ray_circle (t.pupil_x, t.pupil_y, a, t.iris_x, t.iris_y,
                                 t.iris_radius, &qx, &qy);
                float span = sqrtf ((qx - t.pupil_x) * (qx - t.pupil_x)
                                    + (qy - t.pupil_y) * (qy - t.pupil_y)) - t.pupil_radius;
                float rho = span > 0 ? (rp - t.pupil_radius) / span : 0;
                rho += bend * rho * (1 - rho);
                float theta = a - t.rotation;
                float col = theta / (float) (2 * IRIS_PI) * TEX_COLS;
                col = fmodf (col, (float) TEX_COLS);
                if (col < 0)
                  col += TEX_COLS;
                float row = rho * (TEX_ROWS - 1);
                int c0 = (int) col % TEX_COLS, r0 = (int) row;
                if (r0 >= TEX_ROWS - 1)
                  r0 = TEX_ROWS - 2;
                float fc = col - (float) (int) col, fr = row - (float) r0;
                int c1 = (c0 + 1) % TEX_COLS;
                float tv = (tex[r0 * TEX_COLS + c0] * (1 - fc) + tex[r0 * TEX_COLS + c1] * fc) * (1 - fr)
                           + (tex[(r0 + 1) * TEX_COLS + c0] * (1 - fc) + tex[(r0 + 1) * TEX_COLS + c1] * fc) * fr;
                /* darker towards the limbus, as irises are */
                v = iris_grey + tv - 15 * rho * rho;
              }
            else
              v = sclera;
          }
        v += light_x * ((float) x / (float) width - 0.5f) + light_y * ((float) y / (float) height - 0.5f);
        pixels[(size_t) y * width + x] = (uint8_t) fminf (255, fmaxf (0, v * gain));
      }

  /* lashes: dark curved strokes hanging from the upper lid */
  int lashes = clean ? 40 : 30 + (int) (rng_next (&cap) % 50);
  for (int k = 0; k < lashes; k++)
    {
      float u = rng_range (&cap, -0.8f, 0.8f);
      float x = t.iris_x + u * half_w;
      float y = t.upper_lid_y + (t.iris_y - t.upper_lid_y) * u * u;
      float len = rng_range (&cap, 10, 30) * scale, slope = rng_range (&cap, -0.6f, 0.6f);
      for (float s = 0; s < len; s += 0.5f)
        {
          int xx = (int) (x + slope * s), yy = (int) (y + s * 0.9f - 0.02f * s * s);
          if (xx >= 0 && yy >= 0 && xx < width && yy < height)
            pixels[(size_t) yy * width + xx] = (uint8_t) (25 + rng_next (&cap) % 20);
        }
    }

  /* illuminator reflections: one or two small saturated spots near the
   * pupil (real captures have them; CASIA-IrisV1 painted them out) */
  int spots = 1 + (int) (rng_next (&cap) % 2);
  for (int k = 0; k < spots; k++)
    {
      float sx = t.pupil_x + rng_range (&cap, -0.6f, 0.6f) * t.pupil_radius;
      float sy = t.pupil_y + rng_range (&cap, -0.6f, 0.6f) * t.pupil_radius;
      float sr = rng_range (&cap, 2.5f, 4.5f) * scale;
      for (int y = (int) (sy - sr); y <= (int) (sy + sr); y++)
        for (int x = (int) (sx - sr); x <= (int) (sx + sr); x++)
          if (x >= 0 && y >= 0 && x < width && y < height
              && ((float) x - sx) * ((float) x - sx) + ((float) y - sy) * ((float) y - sy) <= sr * sr)
            pixels[(size_t) y * width + x] = 250;
    }

  blur_box (pixels, width, height, (int) (t.blur * scale + 0.5f), tmp);
  /* sensor noise */
  for (size_t i = 0; i < (size_t) width * height; i++)
    {
      int v = pixels[i] + (int) (rng_next (&cap) % (unsigned) (2 * noise + 1)) - noise;
      pixels[i] = (uint8_t) (v < 0 ? 0 : (v > 255 ? 255 : v));
    }
  free (tex);
  free (tmp);
  if (ret_truth)
    *ret_truth = t;
  return AFIS_OK;
}
