/* afis iris: segmentation of a near-infrared eye image.
 *
 * 1. Work on a copy no wider than ~400 px (640x480-class captures are
 *    box-downsampled by 2); specular reflections (small spots much
 *    brighter than their surroundings) are found and painted over by
 *    interpolating along rows, so a real pupil with illuminator spots
 *    looks like a dark disc to the next steps.
 * 2. Pupil: dark-centre/bright-surround candidates on a 4x smaller image
 *    (box filters on an integral image), each refined by Daugman's
 *    integro-differential operator over circles; the best circle is then
 *    refined per angle (strongest radial edge near it), median filtered
 *    and fitted with a 2nd-order Fourier series, so the pupil may be
 *    elliptical or off-round.
 * 3. Limbus: the same operator over circles whose centre may differ from
 *    the pupil's, integrated on the two lateral arcs only, which eyelids
 *    rarely cover.
 * 4. Eyelids: parabolas searched for the strongest skin-to-iris step
 *    inside the iris, above and below the pupil.
 * 5. Noise levels for eyelashes (darker than a level between pupil and
 *    iris) and reflections, applied when the iris is unwrapped. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "iris-private.h"

#define WORK_MAX_SIDE 400
#define PUPIL_CANDIDATES 8
#define MIN_PUPIL_CONTRAST 12.0f
#define MIN_IRIS_CONTRAST 2.0f
#define MIN_IRIS_RADIUS 40.0f   /* original pixels */

const char *
afis_iris_reject_string (AfisIrisReject reject)
{
  switch (reject)
    {
    case AFIS_IRIS_REJECT_NONE: return "usable";
    case AFIS_IRIS_REJECT_NO_EYE: return "no eye found";
    case AFIS_IRIS_REJECT_CLOSED_EYE: return "eye closed or iris mostly occluded";
    case AFIS_IRIS_REJECT_OFF_AXIS: return "gaze off the camera axis";
    case AFIS_IRIS_REJECT_BLUR: return "image blurred";
    case AFIS_IRIS_REJECT_TOO_SMALL: return "iris too small in the image";
    case AFIS_IRIS_REJECT_OUT_OF_FRAME: return "iris cut by the image border";
    }
  return "unknown reason";
}

float
afis_iris_boundary_radius (const AfisIrisBoundary *boundary, float angle)
{
  float t = angle / (float) (2 * IRIS_PI) * AFIS_IRIS_BOUNDARY_POINTS;
  float f;
  int i0, i1;

  t = fmodf (t, (float) AFIS_IRIS_BOUNDARY_POINTS);
  if (t < 0)
    t += AFIS_IRIS_BOUNDARY_POINTS;
  i0 = (int) t;
  f = t - (float) i0;
  i0 %= AFIS_IRIS_BOUNDARY_POINTS;
  i1 = (i0 + 1) % AFIS_IRIS_BOUNDARY_POINTS;
  return boundary->radii[i0] * (1 - f) + boundary->radii[i1] * f;
}

void
iris_ray_circle (float px, float py, float theta, float cx, float cy, float r,
                 float *ret_x, float *ret_y)
{
  float dx = cosf (theta), dy = sinf (theta);
  float ox = px - cx, oy = py - cy;
  float b = dx * ox + dy * oy;
  float c = ox * ox + oy * oy - r * r;
  float disc = b * b - c;
  float t = disc > 0 ? -b + sqrtf (disc) : 0;

  if (t < 0)
    t = 0;
  *ret_x = px + t * dx;
  *ret_y = py + t * dy;
}

int
iris_eyelid_occludes (const AfisIrisSegmentation *s, float x, float y)
{
  if (s->upper.present)
    {
      float d = x - s->upper.apex_x;
      if (y < s->upper.apex_y + s->upper.curvature * d * d)
        return 1;
    }
  if (s->lower.present)
    {
      float d = x - s->lower.apex_x;
      if (y > s->lower.apex_y + s->lower.curvature * d * d)
        return 1;
    }
  return 0;
}

/* Integral image of @image with a zero first row and column. */
static double *
integral_new (const IrisImage *image)
{
  int w = image->width, h = image->height;
  double *sum = calloc ((size_t) (w + 1) * (size_t) (h + 1), sizeof *sum);

  if (sum == NULL)
    return NULL;
  for (int y = 0; y < h; y++)
    {
      double row = 0;
      for (int x = 0; x < w; x++)
        {
          row += image->pixels[(size_t) y * w + x];
          sum[(size_t) (y + 1) * (w + 1) + x + 1] = sum[(size_t) y * (w + 1) + x + 1] + row;
        }
    }
  return sum;
}

/* Sum over [x0,x1) x [y0,y1), clipped to the image; *ret_count pixels. */
static double
integral_box (const double *sum, int w, int h, int x0, int y0, int x1, int y1,
              int *ret_count)
{
  if (x0 < 0) x0 = 0;
  if (y0 < 0) y0 = 0;
  if (x1 > w) x1 = w;
  if (y1 > h) y1 = h;
  if (x1 <= x0 || y1 <= y0)
    {
      *ret_count = 0;
      return 0;
    }
  *ret_count = (x1 - x0) * (y1 - y0);
  return sum[(size_t) y1 * (w + 1) + x1] - sum[(size_t) y0 * (w + 1) + x1]
         - sum[(size_t) y1 * (w + 1) + x0] + sum[(size_t) y0 * (w + 1) + x0];
}

/* Box blur of half-size @r (separable, clamped edges), @src to @dst. */
static void
box_blur (const IrisImage *src, IrisImage *dst, float *tmp, int r)
{
  int w = src->width, h = src->height;
  float norm = 1.0f / (float) (2 * r + 1);

  for (int y = 0; y < h; y++)
    {
      const float *in = src->pixels + (size_t) y * w;
      float *out = tmp + (size_t) y * w;
      float acc = 0;
      for (int k = -r; k <= r; k++)
        acc += in[k < 0 ? 0 : (k >= w ? w - 1 : k)];
      for (int x = 0; x < w; x++)
        {
          out[x] = acc * norm;
          int add = x + r + 1, sub = x - r;
          acc += in[add >= w ? w - 1 : add] - in[sub < 0 ? 0 : sub];
        }
    }
  for (int x = 0; x < w; x++)
    {
      float acc = 0;
      for (int k = -r; k <= r; k++)
        acc += tmp[(size_t) (k < 0 ? 0 : (k >= h ? h - 1 : k)) * w + x];
      for (int y = 0; y < h; y++)
        {
          dst->pixels[(size_t) y * w + x] = acc * norm;
          int add = y + r + 1, sub = y - r;
          acc += tmp[(size_t) (add >= h ? h - 1 : add) * w + x]
                 - tmp[(size_t) (sub < 0 ? 0 : sub) * w + x];
        }
    }
}

/* Marks specular spots in @image (much brighter than the 15x15 mean and
 * bright in absolute terms) and paints them over along rows. Returns the
 * grey level used as "reflection". */
static float
remove_reflections (IrisImage *image, const double *sum, uint8_t *spot)
{
  int w = image->width, h = image->height;
  unsigned hist[256] = { 0 };
  size_t n = (size_t) w * h, acc = 0;
  int p99 = 255;
  float level;

  for (size_t i = 0; i < n; i++)
    hist[(int) image->pixels[i]]++;
  for (int v = 255; v >= 0; v--)
    {
      acc += hist[v];
      if (acc * 200 >= n)
        {
          p99 = v;
          break;
        }
    }
  level = (float) (p99 > 180 ? p99 : 180);
  memset (spot, 0, n);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        float v = image->pixels[(size_t) y * w + x];
        int count;
        double s;
        if (v < level)
          continue;
        s = integral_box (sum, w, h, x - 7, y - 7, x + 8, y + 8, &count);
        if (v > (float) (s / count) + 40.0f)
          for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++)
              {
                int xx = x + dx, yy = y + dy;
                if (xx >= 0 && yy >= 0 && xx < w && yy < h)
                  spot[(size_t) yy * w + xx] = 1;
              }
      }
  for (int y = 0; y < h; y++)
    {
      float *row = image->pixels + (size_t) y * w;
      const uint8_t *m = spot + (size_t) y * w;
      int x = 0;
      while (x < w)
        {
          if (!m[x])
            {
              x++;
              continue;
            }
          int start = x;
          while (x < w && m[x])
            x++;
          float left = start > 0 ? row[start - 1] : (x < w ? row[x] : 128.0f);
          float right = x < w ? row[x] : left;
          for (int k = start; k < x; k++)
            {
              float t = (float) (k - start + 1) / (float) (x - start + 1);
              row[k] = left * (1 - t) + right * t;
            }
        }
    }
  return level;
}

/* Mean grey along the circle (cx,cy,r) over @n angles in [a0,a1). Points
 * outside the image are skipped; returns -1 if none is inside. */
static float
circle_mean (const IrisImage *image, float cx, float cy, float r,
             const float *cosines, const float *sines, int n)
{
  float acc = 0;
  int count = 0;

  for (int i = 0; i < n; i++)
    {
      float v = iris_image_at (image, (int) (cx + r * cosines[i] + 0.5f),
                               (int) (cy + r * sines[i] + 0.5f));
      if (v >= 0)
        {
          acc += v;
          count++;
        }
    }
  return count * 2 > n ? acc / (float) count : -1.0f;
}

#define MAX_RADII 512

/* Integro-differential search around (@cx,@cy): centres within @reach
 * (step @step), radii [@rmin,@rmax]; the profile's jump is measured
 * over +-@gap pixels. Returns the best jump; centre/radius into ret_. */
static float
circle_search (const IrisImage *image, float cx, float cy, int reach, int step,
               int rmin, int rmax, int gap, const float *cosines,
               const float *sines, int n, float *ret_x, float *ret_y,
               float *ret_r)
{
  float profile[MAX_RADII];
  float best = -1e9f;

  if (rmax >= MAX_RADII - gap - 1)
    rmax = MAX_RADII - gap - 2;
  if (rmin < gap + 1)
    rmin = gap + 1;
  for (int oy = -reach; oy <= reach; oy += step)
    for (int ox = -reach; ox <= reach; ox += step)
      {
        float x = cx + (float) ox, y = cy + (float) oy;
        for (int r = rmin - gap; r <= rmax + gap; r++)
          profile[r] = circle_mean (image, x, y, (float) r, cosines, sines, n);
        for (int r = rmin; r <= rmax; r++)
          {
            float in = profile[r - gap], out = profile[r + gap];
            float mid = profile[r];
            if (in < 0 || out < 0 || mid < 0)
              continue;
            /* a step, not a thin line: both halves must rise */
            float jump = out - in;
            float balance = fminf (out - mid, mid - in);
            float score = jump + (balance < 0 ? balance : 0);
            if (score > best)
              {
                best = score;
                *ret_x = x;
                *ret_y = y;
                *ret_r = (float) r;
              }
          }
      }
  return best;
}

/* Lateral arcs for the limbus, both sides: the score is the two sides'
 * jumps, penalised when they disagree (one-sided edges are eyelids,
 * lashes or shadows). */
static float
limbus_search (const IrisImage *image, float cx, float cy, int reach,
               int reach_y, int step, int rmin, int rmax,
               const float *cosines, const float *sines, int n, float *ret_x,
               float *ret_y, float *ret_r)
{
  enum { GAP = 3 };
  float left[MAX_RADII], right[MAX_RADII];
  float best = -1e9f;
  int half = n / 2;

  if (rmax >= MAX_RADII - GAP - 1)
    rmax = MAX_RADII - GAP - 2;
  if (rmin < GAP + 1)
    rmin = GAP + 1;
  for (int oy = -reach_y; oy <= reach_y; oy += step)
    for (int ox = -reach; ox <= reach; ox += step)
      {
        float x = cx + (float) ox, y = cy + (float) oy;
        for (int r = rmin - GAP; r <= rmax + GAP; r++)
          {
            right[r] = circle_mean (image, x, y, (float) r, cosines, sines, half);
            left[r] = circle_mean (image, x, y, (float) r, cosines + half,
                                   sines + half, half);
          }
        for (int r = rmin; r <= rmax; r++)
          {
            float jl, jr, score;
            if (left[r - GAP] < 0 || left[r + GAP] < 0)
              jl = 0;
            else
              jl = left[r + GAP] - left[r - GAP];
            if (right[r - GAP] < 0 || right[r + GAP] < 0)
              jr = 0;
            else
              jr = right[r + GAP] - right[r - GAP];
            if (jl <= 0 && jr <= 0)
              continue;
            score = jl + jr - 0.5f * fabsf (jl - jr);
            if (score > best)
              {
                best = score;
                *ret_x = x;
                *ret_y = y;
                *ret_r = (float) r;
              }
          }
      }
  return best;
}

static int
compare_float (const void *a, const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

/* Per-angle pupil boundary: strongest rising edge within +-35% of the
 * circle, median filtered, then least-squares Fourier fit of order 2
 * (ellipse-like shapes), outliers dropped once. */
static void
pupil_refine (const IrisImage *image, float cx, float cy, float r,
              AfisIrisBoundary *ret)
{
  enum { N = AFIS_IRIS_BOUNDARY_POINTS, H = 2 };
  float raw[N], med[N], window[7];
  double coef[2 * H + 1];
  int keep[N];

  for (int i = 0; i < N; i++)
    {
      float a = (float) (2 * IRIS_PI * i / N);
      float ca = cosf (a), sa = sinf (a);
      float best = -1e9f, best_r = r;
      for (float t = 0.85f * r; t <= 1.15f * r; t += 0.5f)
        {
          float in = iris_image_sample (image, cx + (t - 2) * ca, cy + (t - 2) * sa);
          float out = iris_image_sample (image, cx + (t + 2) * ca, cy + (t + 2) * sa);
          /* prefer the circle found when edges are alike */
          float score = out - in - 0.05f * fabsf (t - r);
          if (score > best)
            {
              best = score;
              best_r = t;
            }
        }
      raw[i] = best_r;
    }
  for (int i = 0; i < N; i++)
    {
      for (int k = -3; k <= 3; k++)
        window[k + 3] = raw[(i + k + N) % N];
      qsort (window, 7, sizeof window[0], compare_float);
      med[i] = window[3];
    }
  for (int i = 0; i < N; i++)
    {
      /* the top 120 degrees (angles 210..330) are where lashes and the
       * upper lid cross the pupil: they do not shape the fit */
      int top = i > N * 7 / 12 && i < N * 11 / 12;
      keep[i] = !top && fabsf (raw[i] - med[i]) <= 0.05f * r + 1.0f;
    }
  /* Fourier basis is orthogonal on equally spaced samples, but dropped
   * points break that: solve the small normal equations instead. */
  {
    double ata[2 * H + 1][2 * H + 2];
    int m = 2 * H + 1, used = 0;
    memset (ata, 0, sizeof ata);
    for (int i = 0; i < N; i++)
      {
        double a = 2 * IRIS_PI * i / N, basis[2 * H + 1];
        if (!keep[i])
          continue;
        used++;
        basis[0] = 1;
        for (int h = 1; h <= H; h++)
          {
            basis[2 * h - 1] = cos (h * a);
            basis[2 * h] = sin (h * a);
          }
        for (int p = 0; p < m; p++)
          {
            for (int q = 0; q < m; q++)
              ata[p][q] += basis[p] * basis[q];
            ata[p][m] += basis[p] * raw[i];
          }
      }
    if (used < N / 2)
      {
        for (int i = 0; i < N; i++)
          ret->radii[i] = r;
        ret->x = cx;
        ret->y = cy;
        ret->radius = r;
        return;
      }
    for (int p = 0; p < m; p++)
      {
        int pivot = p;
        for (int q = p + 1; q < m; q++)
          if (fabs (ata[q][p]) > fabs (ata[pivot][p]))
            pivot = q;
        for (int q = 0; q <= m; q++)
          {
            double t = ata[p][q];
            ata[p][q] = ata[pivot][q];
            ata[pivot][q] = t;
          }
        if (fabs (ata[p][p]) < 1e-9)
          ata[p][p] = 1e-9;
        for (int q = 0; q < m; q++)
          if (q != p)
            {
              double f = ata[q][p] / ata[p][p];
              for (int k = p; k <= m; k++)
                ata[q][k] -= f * ata[p][k];
            }
      }
    for (int p = 0; p < m; p++)
      coef[p] = ata[p][m] / ata[p][p];
  }
  /* the first harmonic is a shift of the centre */
  ret->x = cx + (float) coef[1];
  ret->y = cy + (float) coef[2];
  ret->radius = (float) coef[0];
  for (int i = 0; i < N; i++)
    {
      double a = 2 * IRIS_PI * i / N;
      double v = coef[0] + coef[3] * cos (2 * a) + coef[4] * sin (2 * a);
      if (v < 0.5 * coef[0])
        v = 0.5 * coef[0];
      ret->radii[i] = (float) v;
    }
}

/* Upper (@sign = -1) or lower (+1) eyelid: parabola with the strongest
 * step from bright skin outside to darker iris inside, sampled only
 * inside the iris and outside the pupil. */
static void
eyelid_search (const IrisImage *image, const AfisIrisSegmentation *s, int sign,
               float iris_grey, AfisIrisEyelid *ret)
{
  float ix = s->iris.x, iy = s->iris.y, R = s->iris.radius;
  float px = s->pupil.x, py = s->pupil.y, rp = s->pupil.radius;
  /* the lower lid is flatter than the upper one */
  static const float sag_upper[] = { 0.0f, 0.12f, 0.25f, 0.4f, 0.6f };
  static const float sag_lower[] = { 0.0f, 0.08f, 0.16f, 0.25f };
  const float *sag = sign < 0 ? sag_upper : sag_lower;
  size_t n_sag = sign < 0 ? 5 : 4;
  static const float shift[] = { -0.2f, 0.0f, 0.2f };
  float best = 0;
  int samples = 0;

  memset (ret, 0, sizeof *ret);
  for (float x = ix - R; x <= ix + R; x += 2)
    samples++;
  /* apex from just outside the iris to the pupil's centre line */
  /* the lower lid of an open eye stays below the pupil */
  float y_start = sign < 0 ? iy - R - 2 : py + rp;
  float y_end = sign < 0 ? py : iy + R + 2;
  for (size_t a = 0; a < sizeof shift / sizeof shift[0]; a++)
    for (size_t k = 0; k < n_sag; k++)
      {
        float ax = ix + shift[a] * R;
        float curv = -sign * sag[k] / R;  /* y grows away from the apex */
        for (float y0 = y_start; y0 <= y_end; y0 += 1)
          {
            float acc = 0;
            int n = 0;
            for (float x = ix - R; x <= ix + R; x += 2)
              {
                float d = x - ax, y = y0 + curv * d * d;
                float dxi = x - ix, dyi = y - iy, dxp = x - px, dyp = y - py;
                if (dxi * dxi + dyi * dyi > 0.92f * 0.92f * R * R)
                  continue;
                if (dxp * dxp + dyp * dyp < (rp + 3) * (rp + 3))
                  continue;
                float outside = iris_image_at (image, (int) x, (int) (y + sign * 4));
                float inside = iris_image_at (image, (int) x, (int) (y - sign * 4));
                if (outside < 0 || inside < 0)
                  continue;
                /* skin is brighter than the iris as a whole, not only
                 * than the pixel next to it (iris texture edges) */
                acc += fminf (outside - inside, outside - iris_grey);
                n++;
              }
            if (n * 3 < samples)
              continue;
            float score = acc / (float) n;
            if (score > best)
              {
                best = score;
                ret->present = 1;
                ret->apex_x = ax;
                ret->apex_y = y0;
                ret->curvature = curv;
              }
          }
      }
  /* the lower lid must stand out more: below the pupil the iris itself
   * brightens towards the limbus in NIR and fakes weak lid edges */
  float need = sign > 0 ? 20.0f : 8.0f;
  if (best < need)
    ret->present = 0;
}

static void
unit_circle (float *cosines, float *sines, int n, float a0, float a1)
{
  for (int i = 0; i < n; i++)
    {
      float a = a0 + (a1 - a0) * ((float) i + 0.5f) / (float) n;
      cosines[i] = cosf (a);
      sines[i] = sinf (a);
    }
}

static void
scale_boundary (AfisIrisBoundary *b, float f)
{
  b->x = (b->x + 0.5f) * f - 0.5f;
  b->y = (b->y + 0.5f) * f - 0.5f;
  b->radius *= f;
  for (int i = 0; i < AFIS_IRIS_BOUNDARY_POINTS; i++)
    b->radii[i] *= f;
}

/* The segmentation itself on the prepared work images. Returns the
 * reject reason (NONE on success). */
static AfisIrisReject
segment_work (IrisImage *work, IrisImage *smooth, const double *sum_small,
              const IrisImage *small, float scale, AfisIrisSegmentation *s)
{
  int w = work->width, h = work->height;
  int sw = small->width, sh = small->height;
  float cand_x[PUPIL_CANDIDATES], cand_y[PUPIL_CANDIDATES], cand_r[PUPIL_CANDIDATES];
  float cand_score[PUPIL_CANDIDATES];
  int n_cand = 0;
  float cos64[64], sin64[64], cosl[64], sinl[64];
  float best;
  static const int radii_small[] = { 3, 4, 5, 7, 9, 12, 15 };

  /* 2. pupil candidates: dark square, brighter ring around it */
  for (size_t ri = 0; ri < sizeof radii_small / sizeof radii_small[0]; ri++)
    {
      int rs = radii_small[ri];
      int a = (rs * 7 + 5) / 10, b = (rs * 16 + 5) / 10;
      if (4 * rs > w / 3 || 4 * rs > h / 3)
        break;
      for (int y = a; y < sh - a; y++)
        for (int x = a; x < sw - a; x++)
          {
            int ni, no;
            double si = integral_box (sum_small, sw, sh, x - a, y - a, x + a + 1, y + a + 1, &ni);
            double so = integral_box (sum_small, sw, sh, x - b, y - b, x + b + 1, y + b + 1, &no);
            if (ni == 0 || no <= ni)
              continue;
            float inner = (float) (si / ni);
            float ring = (float) ((so - si) / (no - ni));
            float score = ring - inner - 0.5f * inner;
            /* keep the best few, apart from each other */
            int slot = -1;
            for (int c = 0; c < n_cand; c++)
              {
                float dx = cand_x[c] - (float) x, dy = cand_y[c] - (float) y;
                /* same place and about the same size: a pupil and the
                 * iris around it are both dark blobs, keep both */
                float ratio = cand_r[c] / (float) rs;
                if (dx * dx + dy * dy < (float) (2 * rs * rs + 4)
                    && ratio > 0.85f && ratio < 1.18f)
                  {
                    slot = score > cand_score[c] ? c : -2;
                    break;
                  }
              }
            if (slot == -2)
              continue;
            if (slot < 0)
              {
                if (n_cand < PUPIL_CANDIDATES)
                  slot = n_cand++;
                else
                  {
                    slot = 0;
                    for (int c = 1; c < n_cand; c++)
                      if (cand_score[c] < cand_score[slot])
                        slot = c;
                    if (cand_score[slot] >= score)
                      continue;
                  }
              }
            cand_x[slot] = (float) x;
            cand_y[slot] = (float) y;
            cand_r[slot] = (float) rs;
            cand_score[slot] = score;
          }
    }
  if (n_cand == 0)
    return AFIS_IRIS_REJECT_NO_EYE;

  /* the pupil's top is often under the lid or lashes: integrate over
   * the other 240 degrees */
  unit_circle (cos64, sin64, 64, (float) (-IRIS_PI / 6), (float) (7 * IRIS_PI / 6));
  float ref_x[PUPIL_CANDIDATES], ref_y[PUPIL_CANDIDATES], ref_r[PUPIL_CANDIDATES];
  float ref_score[PUPIL_CANDIDATES];
  for (int c = 0; c < n_cand; c++)
    {
      float x = 0, y = 0, r = 0, x2 = 0, y2 = 0, r2 = 0;
      float cx = cand_x[c] * 4 + 1.5f, cy = cand_y[c] * 4 + 1.5f;
      int rmin = (int) (cand_r[c] * 4 * 0.6f), rmax = (int) (cand_r[c] * 4 * 1.6f);
      if (rmin < 5)
        rmin = 5;
      ref_score[c] = -1e9f;
      float score = circle_search (smooth, cx, cy, 6, 3, rmin, rmax, 2, cos64,
                                   sin64, 64, &x, &y, &r);
      if (score <= -1e8f)
        continue;
      score = circle_search (smooth, x, y, 2, 1, (int) r - 3, (int) r + 3, 2,
                             cos64, sin64, 64, &x2, &y2, &r2);
      ref_score[c] = score;
      ref_x[c] = x2;
      ref_y[c] = y2;
      ref_r[c] = r2;
    }

  /* 3. try the pupils best first: the first one with a plausible limbus
   * around it wins (a dark lash cluster or nostril-like shadow has none) */
  AfisIrisReject reject = AFIS_IRIS_REJECT_NO_EYE;
  int found = 0;
  unit_circle (cosl, sinl, 32, (float) (-IRIS_PI / 6), (float) (IRIS_PI / 6));
  unit_circle (cosl + 32, sinl + 32, 32, (float) (5 * IRIS_PI / 6),
               (float) (7 * IRIS_PI / 6));
  for (int attempt = 0; attempt < n_cand && !found; attempt++)
    {
      int c = 0;
      for (int k = 1; k < n_cand; k++)
        if (ref_score[k] > ref_score[c])
          c = k;
      best = ref_score[c];
      ref_score[c] = -1e9f;
      if (best < MIN_PUPIL_CONTRAST)
        break;
      s->pupil_contrast = best;
      pupil_refine (smooth, ref_x[c], ref_y[c], ref_r[c], &s->pupil);

      /* limbus on the lateral arcs: [-30,+30] and [150,210] degrees */
      float rp = s->pupil.radius;
      float x = 0, y = 0, r = 0, x2 = 0, y2 = 0, r2 = 0;
      int reach = (int) (0.2f * rp) + 4;
      int rmin = (int) (rp * 1.35f) + 4;
      int rmax = (int) (rp * 5.0f);
      int side = w < h ? w : h;
      float lim;
      /* an eye image frames the whole iris: its radius is under half the
       * shorter side (larger circles lock onto the eye corners) */
      if (rmax > side * 45 / 100)
        rmax = side * 45 / 100;
      if (rmax <= rmin + 4)
        continue;
      /* lateral arcs pin the centre across well but hardly up and down
       * (a larger circle further up crosses them at the same places), and
       * the limbus sits mostly level with the pupil: the coarse search
       * moves the centre sideways only, the fine one +-4 px vertically */
      lim = limbus_search (smooth, s->pupil.x, s->pupil.y, reach, 0, 2, rmin,
                           rmax, cosl, sinl, 64, &x, &y, &r);
      if (lim <= -1e8f)
        continue;
      lim = limbus_search (smooth, x, y, 2, 4, 1, (int) r - 2, (int) r + 2, cosl,
                           sinl, 64, &x2, &y2, &r2);
      if (lim < MIN_IRIS_CONTRAST)
        continue;
      s->iris_contrast = lim / 2;
      s->iris.x = x2;
      s->iris.y = y2;
      s->iris.radius = r2;
      for (int i = 0; i < AFIS_IRIS_BOUNDARY_POINTS; i++)
        s->iris.radii[i] = r2;
      float dx = s->pupil.x - x2, dy = s->pupil.y - y2;
      if (r2 * scale < MIN_IRIS_RADIUS)
        reject = AFIS_IRIS_REJECT_TOO_SMALL;
      else if (rp > 0.8f * r2 || rp < 0.1f * r2)
        reject = AFIS_IRIS_REJECT_NO_EYE;
      else if (sqrtf (dx * dx + dy * dy) > 0.3f * r2)
        reject = AFIS_IRIS_REJECT_OFF_AXIS;
      else
        found = 1;
    }
  if (!found)
    return reject;

  /* 4. eyelids (on the less smoothed image: lid edges are sharp) */
  {
    float acc = 0;
    int n = 0;
    for (int i = 0; i < 64; i++)
      for (float t = 0.3f; t < 0.8f; t += 0.1f)
        {
          float rr = s->pupil.radius + t * (s->iris.radius - s->pupil.radius);
          float v = iris_image_at (smooth, (int) (s->iris.x + rr * cosl[i]),
                                   (int) (s->iris.y + rr * sinl[i]));
          if (v >= 0)
            {
              acc += v;
              n++;
            }
        }
    float iris_grey = n ? acc / (float) n : 128.0f;
    eyelid_search (work, s, -1, iris_grey, &s->upper);
    eyelid_search (work, s, +1, iris_grey, &s->lower);
  }

  /* 5. eyelash level: between the pupil's grey and the iris median */
  unit_circle (cos64, sin64, 64, 0, (float) (2 * IRIS_PI));
  {
    unsigned hist[256] = { 0 };
    unsigned n = 0, acc = 0;
    float pupil_grey = 0;
    int np = 0, median = 128;
    for (int i = 0; i < 64; i++)
      {
        float v = iris_image_at (smooth, (int) (s->pupil.x + 0.5f * s->pupil.radius * cos64[i]),
                                 (int) (s->pupil.y + 0.5f * s->pupil.radius * sin64[i]));
        if (v >= 0)
          {
            pupil_grey += v;
            np++;
          }
      }
    pupil_grey = np ? pupil_grey / (float) np : 0;
    for (int i = 0; i < 64; i++)
      for (float t = 0.2f; t < 0.85f; t += 0.1f)
        {
          float a = (float) (2 * IRIS_PI * i / 64);
          float rp = afis_iris_boundary_radius (&s->pupil, a);
          float qx, qy;
          iris_ray_circle (s->pupil.x, s->pupil.y, a, s->iris.x, s->iris.y,
                           s->iris.radius, &qx, &qy);
          float x = s->pupil.x + rp * cosf (a), y = s->pupil.y + rp * sinf (a);
          x += t * (qx - x);
          y += t * (qy - y);
          if (iris_eyelid_occludes (s, x, y))
            continue;
          float v = iris_image_at (work, (int) x, (int) y);
          if (v < 0)
            continue;
          hist[(int) v]++;
          n++;
        }
    for (int v = 0; v < 256 && n > 0; v++)
      {
        acc += hist[v];
        if (acc * 2 >= n)
          {
            median = v;
            break;
          }
      }
    s->eyelash_level = pupil_grey + 0.45f * ((float) median - pupil_grey);
  }
  return AFIS_IRIS_REJECT_NONE;
}

AfisStatus
afis_iris_segment (const uint8_t *pixels, int width, int height, int stride,
                   AfisIrisSegmentation *ret_segmentation,
                   AfisIrisReject *ret_reject)
{
  AfisIrisSegmentation s;
  IrisImage work = { 0 }, smooth = { 0 }, small = { 0 };
  float *tmp = NULL;
  double *sum = NULL, *sum_small = NULL;
  uint8_t *spot = NULL;
  AfisIrisReject reject;
  AfisStatus status = AFIS_ERROR_NO_MEMORY;
  int f = 1;

  if (pixels == NULL || ret_segmentation == NULL || stride < width)
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (width < AFIS_IRIS_MIN_WIDTH || height < AFIS_IRIS_MIN_HEIGHT)
    return AFIS_ERROR_IMAGE_TOO_SMALL;
  if (width > AFIS_IRIS_MAX_WIDTH || height > AFIS_IRIS_MAX_HEIGHT)
    return AFIS_ERROR_IMAGE_TOO_LARGE;

  while (width / f > WORK_MAX_SIDE || height / f > WORK_MAX_SIDE)
    f++;
  work.width = smooth.width = width / f;
  work.height = smooth.height = height / f;
  small.width = work.width / 4;
  small.height = work.height / 4;
  size_t n = (size_t) work.width * work.height;
  work.pixels = malloc (n * sizeof (float));
  smooth.pixels = malloc (n * sizeof (float));
  small.pixels = malloc ((size_t) small.width * small.height * sizeof (float));
  tmp = malloc (n * sizeof (float));
  spot = malloc (n);
  if (work.pixels == NULL || smooth.pixels == NULL || small.pixels == NULL
      || tmp == NULL || spot == NULL)
    goto done;

  /* 1. box-downsample into the work image */
  for (int y = 0; y < work.height; y++)
    for (int x = 0; x < work.width; x++)
      {
        unsigned acc = 0;
        for (int dy = 0; dy < f; dy++)
          {
            const uint8_t *row = pixels + (size_t) (y * f + dy) * (size_t) stride + (size_t) x * f;
            for (int dx = 0; dx < f; dx++)
              acc += row[dx];
          }
        work.pixels[(size_t) y * work.width + x] = (float) acc / (float) (f * f);
      }
  sum = integral_new (&work);
  if (sum == NULL)
    goto done;
  memset (&s, 0, sizeof s);
  s.reflection_level = remove_reflections (&work, sum, spot);
  box_blur (&work, &smooth, tmp, 2);
  for (int y = 0; y < small.height; y++)
    for (int x = 0; x < small.width; x++)
      {
        float acc = 0;
        for (int dy = 0; dy < 4; dy++)
          for (int dx = 0; dx < 4; dx++)
            acc += smooth.pixels[(size_t) (y * 4 + dy) * work.width + x * 4 + dx];
        small.pixels[(size_t) y * small.width + x] = acc / 16;
      }
  sum_small = integral_new (&small);
  if (sum_small == NULL)
    goto done;

  reject = segment_work (&work, &smooth, sum_small, &small, (float) f, &s);
  if (reject == AFIS_IRIS_REJECT_NONE)
    {
      float ff = (float) f;
      float R;
      scale_boundary (&s.pupil, ff);
      scale_boundary (&s.iris, ff);
      if (s.upper.present)
        {
          s.upper.apex_x = (s.upper.apex_x + 0.5f) * ff - 0.5f;
          s.upper.apex_y = (s.upper.apex_y + 0.5f) * ff - 0.5f;
          s.upper.curvature /= ff;
        }
      if (s.lower.present)
        {
          s.lower.apex_x = (s.lower.apex_x + 0.5f) * ff - 0.5f;
          s.lower.apex_y = (s.lower.apex_y + 0.5f) * ff - 0.5f;
          s.lower.curvature /= ff;
        }
      s.width = width;
      s.height = height;
      R = s.iris.radius;
      if (s.iris.x - 0.8f * R < 0 || s.iris.x + 0.8f * R > (float) width
               || s.iris.y - 0.6f * R < 0 || s.iris.y + 0.6f * R > (float) height)
        reject = AFIS_IRIS_REJECT_OUT_OF_FRAME;
    }
  if (reject != AFIS_IRIS_REJECT_NONE)
    {
      if (ret_reject != NULL)
        *ret_reject = reject;
      status = AFIS_ERROR_UNUSABLE_IMAGE;
      goto done;
    }
  *ret_segmentation = s;
  status = AFIS_OK;

done:
  free (work.pixels);
  free (smooth.pixels);
  free (small.pixels);
  free (tmp);
  free (spot);
  free (sum);
  free (sum_small);
  return status;
}
