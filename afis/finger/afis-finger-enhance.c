/* afis: contextual filtering and thinning.
 *
 * Each pixel is filtered with an even-symmetric Gabor kernel tuned to the
 * local ridge direction and period (Hong, Wan and Jain's method): it
 * rebuilds ridges across small breaks and removes noise between them.
 * Kernels are precomputed for 16 directions and integer periods. The
 * binary ridge map is then thinned to one-pixel lines (Zhang-Suen). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "afis-finger-private.h"

#define DIRECTIONS 16
#define PERIOD_MIN 4
#define PERIOD_MAX 16
#define RADIUS 6
#define SIDE (2 * RADIUS + 1)

static float kernels[DIRECTIONS][PERIOD_MAX - PERIOD_MIN + 1][SIDE * SIDE];
static pthread_once_t kernels_once = PTHREAD_ONCE_INIT;

/* Built once per process (pthread_once: extraction may run on several
 * threads at the same time). */
static void
kernels_build (void)
{
  for (int d = 0; d < DIRECTIONS; d++)
    {
      float theta = d * AFIS_PI / DIRECTIONS;
      float c = cosf (theta), s = sinf (theta);
      for (int p = PERIOD_MIN; p <= PERIOD_MAX; p++)
        {
          float *k = kernels[d][p - PERIOD_MIN];
          float sa = 0.40f * p, su = 0.55f * p;
          if (su > 5.0f)
            su = 5.0f;
          if (sa > 4.0f)
            sa = 4.0f;
          double sum = 0.0, wsum = 0.0;
          float env[SIDE * SIDE];
          for (int y = -RADIUS; y <= RADIUS; y++)
            for (int x = -RADIUS; x <= RADIUS; x++)
              {
                float u = x * c + y * s;   /* along the ridge */
                float v = -x * s + y * c;  /* across */
                float e = expf (-0.5f * (u * u / (su * su) + v * v / (sa * sa)));
                float g = e * cosf (2.0f * AFIS_PI * v / p);
                env[(y + RADIUS) * SIDE + x + RADIUS] = e;
                k[(y + RADIUS) * SIDE + x + RADIUS] = g;
                sum += g;
                wsum += e;
              }
          /* remove the DC response so flat areas give zero */
          for (int i = 0; i < SIDE * SIDE; i++)
            k[i] -= (float) (sum / wsum) * env[i];
        }
    }
}

const float *
afis_finger_gabor_kernel (int direction, int period, int *ret_radius)
{
  pthread_once (&kernels_once, kernels_build);
  direction = ((direction % DIRECTIONS) + DIRECTIONS) % DIRECTIONS;
  period = period < PERIOD_MIN ? PERIOD_MIN : period > PERIOD_MAX ? PERIOD_MAX : period;
  *ret_radius = RADIUS;
  return kernels[direction][period - PERIOD_MIN];
}

int
afis_finger_enhance (AfisFingerImage *image)
{
  pthread_once (&kernels_once, kernels_build);
  int w = image->width, h = image->height, bw = image->block_width, bh = image->block_height;
  int pw = w + 2 * RADIUS, ph = h + 2 * RADIUS;
  float *pad = malloc ((size_t) pw * (size_t) ph * sizeof (float));
  image->enhanced = malloc ((size_t) w * (size_t) h * sizeof (float));
  float *c2 = malloc ((size_t) bw * (size_t) bh * sizeof (float));
  float *s2 = malloc ((size_t) bw * (size_t) bh * sizeof (float));
  uint8_t *near = malloc ((size_t) bw * (size_t) bh);
  if (!pad || !image->enhanced || !c2 || !s2 || !near)
    {
      free (pad);
      free (c2);
      free (s2);
      free (near);
      return -1;
    }
  for (int y = 0; y < ph; y++)
    {
      int sy = y - RADIUS;
      sy = sy < 0 ? 0 : sy >= h ? h - 1 : sy;
      for (int x = 0; x < pw; x++)
        {
          int sx = x - RADIUS;
          sx = sx < 0 ? 0 : sx >= w ? w - 1 : sx;
          pad[y * pw + x] = image->pixels[sy * w + sx];
        }
    }
  for (int b = 0; b < bw * bh; b++)
    {
      c2[b] = cosf (2.0f * image->orientation[b]);
      s2[b] = sinf (2.0f * image->orientation[b]);
    }
  /* filter the finger plus one block around it */
  for (int by = 0; by < bh; by++)
    for (int bx = 0; bx < bw; bx++)
      {
        int any = 0;
        for (int dy = -1; dy <= 1 && !any; dy++)
          for (int dx = -1; dx <= 1; dx++)
            {
              int xx = bx + dx, yy = by + dy;
              if (xx >= 0 && yy >= 0 && xx < bw && yy < bh && image->mask[yy * bw + xx])
                any = 1;
            }
        near[by * bw + bx] = (uint8_t) any;
      }
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int b = (y / AFIS_BLOCK) * bw + x / AFIS_BLOCK;
        if (!near[b])
          {
            image->enhanced[y * w + x] = 1.0f;
            continue;
          }
        /* orientation interpolated between block centres (doubled angle) */
        float fx = (x + 0.5f) / AFIS_BLOCK - 0.5f, fy = (y + 0.5f) / AFIS_BLOCK - 0.5f;
        int x0 = (int) floorf (fx), y0 = (int) floorf (fy);
        float ax = fx - x0, ay = fy - y0;
        int x1 = x0 + 1, y1 = y0 + 1;
        x0 = x0 < 0 ? 0 : x0;
        y0 = y0 < 0 ? 0 : y0;
        x1 = x1 >= bw ? bw - 1 : x1;
        y1 = y1 >= bh ? bh - 1 : y1;
        float cc = (1 - ay) * ((1 - ax) * c2[y0 * bw + x0] + ax * c2[y0 * bw + x1])
                   + ay * ((1 - ax) * c2[y1 * bw + x0] + ax * c2[y1 * bw + x1]);
        float ss = (1 - ay) * ((1 - ax) * s2[y0 * bw + x0] + ax * s2[y0 * bw + x1])
                   + ay * ((1 - ax) * s2[y1 * bw + x0] + ax * s2[y1 * bw + x1]);
        float theta = 0.5f * atan2f (ss, cc);
        if (theta < 0)
          theta += AFIS_PI;
        int d = (int) lroundf (theta * DIRECTIONS / AFIS_PI) % DIRECTIONS;
        int p = (int) lroundf (image->period[b]);
        p = p < PERIOD_MIN ? PERIOD_MIN : p > PERIOD_MAX ? PERIOD_MAX : p;
        const float *k = kernels[d][p - PERIOD_MIN];
        float acc = 0.0f;
        for (int ky = 0; ky < SIDE; ky++)
          {
            const float *row = pad + (size_t) (y + ky) * (size_t) pw + x;
            const float *kr = k + ky * SIDE;
            for (int kx = 0; kx < SIDE; kx++)
              acc += kr[kx] * row[kx];
          }
        image->enhanced[y * w + x] = acc;
      }
  free (pad);
  free (c2);
  free (s2);
  free (near);
  return 0;
}

/* Zhang-Suen thinning on a 0/1 image with a zero frame. */
static void
thin (uint8_t *img, int w, int h)
{
  int changed = 1;
  uint8_t *del = malloc ((size_t) w * (size_t) h);
  if (del == NULL)
    return;
  while (changed)
    {
      changed = 0;
      for (int step = 0; step < 2; step++)
        {
          memset (del, 0, (size_t) w * (size_t) h);
          for (int y = 1; y < h - 1; y++)
            for (int x = 1; x < w - 1; x++)
              {
                const uint8_t *c = img + y * w + x;
                if (!*c)
                  continue;
                int p2 = c[-w], p3 = c[-w + 1], p4 = c[1], p5 = c[w + 1];
                int p6 = c[w], p7 = c[w - 1], p8 = c[-1], p9 = c[-w - 1];
                int bsum = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
                if (bsum < 2 || bsum > 6)
                  continue;
                int a = (!p2 && p3) + (!p3 && p4) + (!p4 && p5) + (!p5 && p6)
                        + (!p6 && p7) + (!p7 && p8) + (!p8 && p9) + (!p9 && p2);
                if (a != 1)
                  continue;
                if (step == 0 ? (p2 && p4 && p6) || (p4 && p6 && p8)
                              : (p2 && p4 && p8) || (p2 && p6 && p8))
                  continue;
                del[y * w + x] = 1;
              }
          for (int i = 0; i < w * h; i++)
            if (del[i])
              {
                img[i] = 0;
                changed = 1;
              }
        }
    }
  /* Remove staircase pixels so every skeleton pixel has the crossing
   * number of the line it lies on (a corner pixel whose two 4-neighbours
   * are set would otherwise look like a branch). */
  for (int y = 1; y < h - 1; y++)
    for (int x = 1; x < w - 1; x++)
      {
        uint8_t *c = img + y * w + x;
        if (!*c)
          continue;
        int n = c[-w], e = c[1], s = c[w], wv = c[-1];
        int ne = c[-w + 1], se = c[w + 1], sw = c[w - 1], nw = c[-w - 1];
        if ((n && e && !s && !wv && !sw) || (e && s && !n && !wv && !nw)
            || (s && wv && !n && !e && !ne) || (wv && n && !s && !e && !se))
          *c = 0;
      }
  free (del);
}

int
afis_finger_thin (AfisFingerImage *image)
{
  int w = image->width, h = image->height;
  image->skeleton = calloc ((size_t) w * (size_t) h, 1);
  if (image->skeleton == NULL)
    return -1;
  for (int y = 1; y < h - 1; y++)
    for (int x = 1; x < w - 1; x++)
      {
        int b = (y / AFIS_BLOCK) * image->block_width + x / AFIS_BLOCK;
        image->skeleton[y * w + x] = image->mask[b] && image->enhanced[y * w + x] < 0.0f;
      }
  /* fill one-pixel holes in ridges and drop one-pixel specks first */
  thin (image->skeleton, w, h);
  return 0;
}
