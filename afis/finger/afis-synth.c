/* afis: synthetic fingerprints (see afis-synth.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-synth.h"
#include "afis-finger-private.h"

#define W AFIS_SYNTH_WIDTH
#define H AFIS_SYNTH_HEIGHT
#define GROWTH_ITERATIONS 14

typedef struct {
  uint64_t state;
} Rng;

static uint64_t
rng_next (Rng *r)
{
  /* splitmix64: tiny, fast, and good enough for shapes and noise */
  uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static float
uniform (Rng *r, float lo, float hi)
{
  return lo + (hi - lo) * (float) ((rng_next (r) >> 11) * (1.0 / 9007199254740992.0));
}

static float
normal (Rng *r)
{
  float u = uniform (r, 1e-7f, 1.0f), v = uniform (r, 0.0f, 1.0f);
  return sqrtf (-2.0f * logf (u)) * cosf (2.0f * AFIS_PI * v);
}

/* The pattern: singular points of the zero-pole model, or an arch. */
typedef struct {
  int arch;
  int cores, deltas;
  float core_x[2], core_y[2], delta_x[2], delta_y[2];
  float period_base;
  float period_wave[3][3]; /* amplitude, x frequency, y frequency */
} Model;

static void
model_make (uint64_t seed, Model *m)
{
  Rng r = { seed * 0x2545f4914f6cdd1dull + 17 };
  memset (m, 0, sizeof *m);
  int cls = (int) (rng_next (&r) % 100);
  float cx = W / 2.0f + uniform (&r, -20, 20), cy = H * 0.42f + uniform (&r, -30, 30);
  /* rough natural frequencies: loops ~65%, whorls ~25%, arches ~10% */
  if (cls < 33 || (cls >= 33 && cls < 65))
    {
      int left = cls < 33;
      m->cores = m->deltas = 1;
      m->core_x[0] = cx;
      m->core_y[0] = cy;
      m->delta_x[0] = cx + (left ? 1.0f : -1.0f) * uniform (&r, 60, 100);
      m->delta_y[0] = cy + uniform (&r, 100, 150);
    }
  else if (cls < 90)
    {
      m->cores = m->deltas = 2;
      float sep = uniform (&r, 14, 40), tilt = uniform (&r, -10, 10);
      m->core_x[0] = cx - tilt;
      m->core_y[0] = cy - sep / 2;
      m->core_x[1] = cx + tilt;
      m->core_y[1] = cy + sep / 2;
      m->delta_x[0] = cx - uniform (&r, 80, 110);
      m->delta_y[0] = cy + uniform (&r, 100, 150);
      m->delta_x[1] = cx + uniform (&r, 80, 110);
      m->delta_y[1] = cy + uniform (&r, 100, 150);
    }
  else if (cls < 95)
    {
      m->cores = m->deltas = 1;
      m->core_x[0] = cx;
      m->core_y[0] = cy;
      m->delta_x[0] = cx + uniform (&r, -8, 8);
      m->delta_y[0] = cy + uniform (&r, 50, 80);
    }
  else
    m->arch = 1;
  m->period_base = uniform (&r, 8.0f, 9.8f);
  for (int k = 0; k < 3; k++)
    {
      m->period_wave[k][0] = uniform (&r, 0.2f, 0.6f);
      m->period_wave[k][1] = uniform (&r, -0.02f, 0.02f);
      m->period_wave[k][2] = uniform (&r, -0.02f, 0.02f);
    }
}

/* Ridge direction in [0, pi), image coordinates. */
static float
model_orientation (const Model *m, float x, float y)
{
  float t;
  if (m->arch)
    {
      float u = (x - W / 2.0f) / (W / 2.0f), v = (y - H * 0.45f) / 160.0f;
      t = atanf (-0.9f * sinf (AFIS_PI * u) * expf (-v * v));
    }
  else
    {
      t = 0.0f;
      for (int i = 0; i < m->cores; i++)
        t += atan2f (y - m->core_y[i], x - m->core_x[i]);
      for (int i = 0; i < m->deltas; i++)
        t -= atan2f (y - m->delta_y[i], x - m->delta_x[i]);
      t *= 0.5f;
    }
  t = fmodf (t, AFIS_PI);
  if (t < 0)
    t += AFIS_PI;
  return t;
}

static float
model_period (const Model *m, float x, float y)
{
  float p = m->period_base;
  for (int k = 0; k < 3; k++)
    p += m->period_wave[k][0] * sinf (m->period_wave[k][1] * x + m->period_wave[k][2] * y + (float) k);
  return p;
}

struct AfisSynthMaster {
  Model model;
  uint64_t seed;
  float ridges[W * H]; /* > 0 on ridges */
};

AfisStatus
afis_synth_master_new (uint64_t seed, AfisSynthMaster **ret_master)
{
  if (ret_master == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  AfisSynthMaster *m = malloc (sizeof *m);
  float *next = malloc (sizeof (float) * W * H);
  uint8_t *dir = malloc (W * H);
  uint8_t *per = malloc (W * H);
  if (m == NULL || next == NULL || dir == NULL || per == NULL)
    {
      free (m);
      free (next);
      free (dir);
      free (per);
      return AFIS_ERROR_NO_MEMORY;
    }
  m->seed = seed;
  model_make (seed, &m->model);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        float t = model_orientation (&m->model, (float) x, (float) y);
        dir[y * W + x] = (uint8_t) ((int) lroundf (t * 16.0f / AFIS_PI) % 16);
        int p = (int) lroundf (model_period (&m->model, (float) x, (float) y));
        per[y * W + x] = (uint8_t) (p < 5 ? 5 : p > 14 ? 14 : p);
      }
  /* sparse random seeds, then ridges grow out of them */
  Rng r = { seed ^ 0x5851f42d4c957f2dull };
  memset (m->ridges, 0, sizeof m->ridges);
  for (int k = 0; k < W * H / 300; k++)
    {
      int x = (int) (rng_next (&r) % W), y = (int) (rng_next (&r) % H);
      m->ridges[y * W + x] = (rng_next (&r) & 1) ? 1.0f : -1.0f;
    }
  for (int it = 0; it < GROWTH_ITERATIONS; it++)
    {
      double energy = 0.0;
      for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
          {
            int radius;
            const float *k = afis_finger_gabor_kernel (dir[y * W + x], per[y * W + x], &radius);
            int side = 2 * radius + 1;
            float acc = 0.0f;
            for (int ky = -radius; ky <= radius; ky++)
              {
                int yy = y + ky;
                if (yy < 0 || yy >= H)
                  continue;
                const float *kr = k + (ky + radius) * side + radius;
                const float *row = m->ridges + yy * W;
                int x0 = x - radius < 0 ? -x : -radius, x1 = x + radius >= W ? W - 1 - x : radius;
                for (int kx = x0; kx <= x1; kx++)
                  acc += kr[kx] * row[x + kx];
              }
            next[y * W + x] = acc;
            energy += (double) acc * acc;
          }
      float rms = (float) sqrt (energy / (W * H)) + 1e-9f;
      for (int i = 0; i < W * H; i++)
        {
          float v = 2.5f * next[i] / rms;
          m->ridges[i] = v > 1.0f ? 1.0f : v < -1.0f ? -1.0f : v;
        }
    }
  free (next);
  free (dir);
  free (per);
  *ret_master = m;
  return AFIS_OK;
}

void
afis_synth_master_free (AfisSynthMaster *master)
{
  free (master);
}

/* One impression's geometry: the map from impression pixels back to the
 * master, and the contact region. */
typedef struct {
  float cos_r, sin_r, tx, ty;
  float dist_amp[3], dist_fx[3], dist_fy[3], dist_phase[3];
  float contact_x, contact_y, contact_a, contact_b;
  float dryness; /* > 0 dry (thin, broken ridges), < 0 wet (thick) */
  float noise;
} Impression;

static void
impression_make (uint64_t seed, uint32_t index, Impression *im)
{
  Rng r = { seed * 0x9e3779b97f4a7c15ull + index * 0x632be59bd9b4e019ull + 3 };
  float strength = index == 0 ? 0.3f : 1.0f;
  float rot = strength * uniform (&r, -15, 15) * AFIS_PI / 180.0f;
  im->cos_r = cosf (rot);
  im->sin_r = sinf (rot);
  im->tx = strength * uniform (&r, -20, 20);
  im->ty = strength * uniform (&r, -25, 25);
  for (int k = 0; k < 3; k++)
    {
      im->dist_amp[k] = strength * uniform (&r, 0.0f, 3.5f);
      im->dist_fx[k] = uniform (&r, -0.012f, 0.012f);
      im->dist_fy[k] = uniform (&r, -0.012f, 0.012f);
      im->dist_phase[k] = uniform (&r, 0, 2 * AFIS_PI);
    }
  im->contact_x = W / 2.0f + strength * uniform (&r, -25, 25);
  im->contact_y = H * 0.45f + strength * uniform (&r, -30, 30);
  im->contact_a = uniform (&r, 115, 150);
  im->contact_b = uniform (&r, 150, 190);
  im->dryness = strength * uniform (&r, -0.35f, 0.35f);
  im->noise = uniform (&r, 4, 6 + 14 * strength);
}

/* Where impression point (x, y) comes from on the master. */
static void
impression_source (const Impression *im, float x, float y, float *sx, float *sy)
{
  float cx = W / 2.0f, cy = H / 2.0f;
  float ux = x - cx - im->tx, uy = y - cy - im->ty;
  float mx = im->cos_r * ux + im->sin_r * uy + cx, my = -im->sin_r * ux + im->cos_r * uy + cy;
  float dx = 0, dy = 0;
  for (int k = 0; k < 3; k++)
    {
      float s = sinf (im->dist_fx[k] * mx + im->dist_fy[k] * my + im->dist_phase[k]);
      dx += im->dist_amp[k] * s;
      dy += im->dist_amp[(k + 1) % 3] * cosf (im->dist_fy[k] * mx - im->dist_fx[k] * my + im->dist_phase[k]);
    }
  *sx = mx + dx;
  *sy = my + dy;
}

/* Inverse of impression_source for points (fixed-point iteration on the
 * small distortion term). */
static void
impression_forward (const Impression *im, float mx, float my, float *x, float *y)
{
  float cx = W / 2.0f, cy = H / 2.0f;
  float px = mx, py = my;
  for (int it = 0; it < 6; it++)
    {
      /* rigid forward of (px, py), then correct by the residual */
      float ux = px - cx, uy = py - cy;
      float fx = im->cos_r * ux - im->sin_r * uy + cx + im->tx;
      float fy = im->sin_r * ux + im->cos_r * uy + cy + im->ty;
      float bx, by;
      impression_source (im, fx, fy, &bx, &by);
      px -= bx - mx;
      py -= by - my;
      *x = fx;
      *y = fy;
    }
}

static float
contact (const Impression *im, float x, float y)
{
  float u = (x - im->contact_x) / im->contact_a, v = (y - im->contact_y) / im->contact_b;
  float d = sqrtf (u * u + v * v);
  /* soft edge over ~10 px */
  float e = (1.0f - d) * im->contact_a / 10.0f;
  return e > 1.0f ? 1.0f : e < 0.0f ? 0.0f : e;
}

AfisStatus
afis_synth_impression (const AfisSynthMaster *master, uint32_t impression, uint8_t *pixels)
{
  if (master == NULL || pixels == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  Impression im;
  impression_make (master->seed, impression, &im);
  Rng r = { master->seed * 31 + impression * 7919u + 11 };
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        float sx, sy;
        impression_source (&im, (float) x, (float) y, &sx, &sy);
        float v = -1.0f;
        if (sx >= 0 && sy >= 0 && sx < W - 1 && sy < H - 1)
          {
            int x0 = (int) sx, y0 = (int) sy;
            float ax = sx - x0, ay = sy - y0;
            const float *p = master->ridges + y0 * W + x0;
            v = (1 - ay) * ((1 - ax) * p[0] + ax * p[1]) + ay * ((1 - ax) * p[W] + ax * p[W + 1]);
          }
        float c = contact (&im, (float) x, (float) y);
        /* ink: how dark the ridge prints, shifted by skin moisture */
        float ink = (v - im.dryness) / 0.5f + 0.5f;
        ink = ink < 0 ? 0 : ink > 1 ? 1 : ink;
        float g = 235.0f - c * 175.0f * ink + im.noise * normal (&r);
        pixels[y * W + x] = (uint8_t) (g < 0 ? 0 : g > 255 ? 255 : lroundf (g));
      }
  /* dry skin leaves white specks on ridges */
  if (im.dryness > 0.15f)
    for (int k = 0; k < (int) (im.dryness * 1500); k++)
      {
        int x = (int) (rng_next (&r) % W), y = (int) (rng_next (&r) % H);
        pixels[y * W + x] = 230;
      }
  return AFIS_OK;
}

AfisStatus
afis_synth_minutiae (uint64_t seed, uint32_t impression, AfisFingerprint *ret_print)
{
  if (ret_print == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  Model model;
  model_make (seed, &model);
  /* the master's minutiae: spread over the finger with a minimum gap */
  Rng r = { seed * 0xd1342543de82ef95ull + 1 };
  float mx[AFIS_FINGER_MAX_MINUTIAE], my[AFIS_FINGER_MAX_MINUTIAE], ma[AFIS_FINGER_MAX_MINUTIAE];
  int mt[AFIS_FINGER_MAX_MINUTIAE];
  int want = 35 + (int) (rng_next (&r) % 25), n = 0;
  for (int attempt = 0; attempt < 4000 && n < want; attempt++)
    {
      float x = uniform (&r, 20, W - 20), y = uniform (&r, 20, H - 20);
      float u = (x - W / 2.0f) / 135.0f, v = (y - H * 0.45f) / 175.0f;
      if (u * u + v * v > 1.0f)
        continue;
      int ok = 1;
      for (int i = 0; i < n && ok; i++)
        ok = (mx[i] - x) * (mx[i] - x) + (my[i] - y) * (my[i] - y) >= 16.0f * 16.0f;
      if (!ok)
        continue;
      mx[n] = x;
      my[n] = y;
      ma[n] = model_orientation (&model, x, y) + ((rng_next (&r) & 1) ? AFIS_PI : 0.0f);
      mt[n] = (rng_next (&r) & 1) ? AFIS_MINUTIA_ENDING : AFIS_MINUTIA_BIFURCATION;
      n++;
    }
  Impression im;
  impression_make (seed, impression, &im);
  Rng q = { seed * 0x9e3779b97f4a7c15ull + impression * 0xbf58476d1ce4e5b9ull + 5 };
  AfisFingerprint *print = ret_print;
  memset (print, 0, sizeof *print);
  print->width = W;
  print->height = H;
  int count = 0;
  float rot = atan2f (im.sin_r, im.cos_r);
  for (int i = 0; i < n; i++)
    {
      if (uniform (&q, 0, 1) < (impression == 0 ? 0.05f : 0.15f))
        continue; /* missed by the extractor */
      float x, y;
      impression_forward (&im, mx[i], my[i], &x, &y);
      x += 1.5f * normal (&q);
      y += 1.5f * normal (&q);
      if (x < 0 || y < 0 || x >= W || y >= H || contact (&im, x, y) < 0.5f)
        continue;
      float a = ma[i] + rot + 0.07f * normal (&q);
      int type = mt[i];
      if (uniform (&q, 0, 1) < 0.1f)
        type = type == AFIS_MINUTIA_ENDING ? AFIS_MINUTIA_BIFURCATION : AFIS_MINUTIA_ENDING;
      AfisMinutia *m = &print->minutiae[count++];
      m->x = (uint16_t) lroundf (x);
      m->y = (uint16_t) lroundf (y);
      m->angle = (uint8_t) ((int) lroundf (-a * 256.0f / (2 * AFIS_PI)) & 255);
      m->type = (uint8_t) type;
      m->quality = (uint8_t) (40 + rng_next (&q) % 61);
    }
  /* spurious minutiae where the image was poor */
  int spurious = (int) (rng_next (&q) % (impression == 0 ? 2 : 5));
  for (int k = 0; k < spurious && count < AFIS_FINGER_MAX_MINUTIAE; k++)
    {
      float x = uniform (&q, 20, W - 20), y = uniform (&q, 20, H - 20);
      if (contact (&im, x, y) < 0.5f)
        continue;
      float sx, sy;
      impression_source (&im, x, y, &sx, &sy);
      float a = model_orientation (&model, sx, sy) + rot + ((rng_next (&q) & 1) ? AFIS_PI : 0.0f);
      AfisMinutia *m = &print->minutiae[count++];
      m->x = (uint16_t) lroundf (x);
      m->y = (uint16_t) lroundf (y);
      m->angle = (uint8_t) ((int) lroundf (-a * 256.0f / (2 * AFIS_PI)) & 255);
      m->type = (uint8_t) (1 + rng_next (&q) % 2);
      m->quality = (uint8_t) (20 + rng_next (&q) % 40);
    }
  print->count = (uint16_t) count;
  print->quality = 80;
  return count > 0 ? AFIS_OK : AFIS_ERROR_UNUSABLE_IMAGE;
}
