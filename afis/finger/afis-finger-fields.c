/* afis: resampling, orientation field, segmentation and ridge period.
 *
 * Orientation comes from averaged squared gradients (the doubled-angle
 * trick, so opposite gradients across a ridge reinforce instead of
 * cancelling). Segmentation keeps blocks with enough gradient energy and
 * ridge-flow coherence, then the largest connected region with its holes
 * filled: a finger is one blob, and noise specks elsewhere are not. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "afis-finger-private.h"

void
afis_finger_image_clear (AfisFingerImage *image)
{
  free (image->pixels);
  free (image->orientation);
  free (image->coherence);
  free (image->period);
  free (image->mask);
  free (image->border);
  free (image->enhanced);
  free (image->skeleton);
  memset (image, 0, sizeof *image);
}

int
afis_finger_image_resample (AfisFingerImage *image, const uint8_t *pixels,
                            int width, int height, size_t stride, int ppi)
{
  double scale = (double) AFIS_FINGER_PPI / (double) ppi;
  int out_width = (int) lround (width * scale);
  int out_height = (int) lround (height * scale);
  if (out_width < 1 || out_height < 1)
    return -1;
  image->width = out_width;
  image->height = out_height;
  image->pixels = malloc ((size_t) out_width * (size_t) out_height * sizeof (float));
  if (image->pixels == NULL)
    return -1;
  if (ppi == AFIS_FINGER_PPI)
    {
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          image->pixels[(size_t) y * (size_t) width + (size_t) x] = pixels[(size_t) y * stride + (size_t) x];
      return 0;
    }
  /* Bilinear sampling at pixel centres; when shrinking, average a box of
   * source pixels first so fine noise does not alias into ridges. */
  int box = scale < 0.75 ? (int) floor (1.0 / scale) : 1;
  for (int y = 0; y < out_height; y++)
    {
      double sy = (y + 0.5) / scale - 0.5;
      int y0 = (int) floor (sy);
      double fy = sy - y0;
      for (int x = 0; x < out_width; x++)
        {
          double sx = (x + 0.5) / scale - 0.5;
          int x0 = (int) floor (sx);
          double fx = sx - x0;
          double acc = 0.0;
          for (int dy = 0; dy < 2; dy++)
            for (int dx = 0; dx < 2; dx++)
              {
                double sum = 0.0;
                int n = 0;
                for (int by = 0; by < box; by++)
                  for (int bx = 0; bx < box; bx++)
                    {
                      int px = x0 + dx + bx - box / 2, py = y0 + dy + by - box / 2;
                      px = px < 0 ? 0 : px >= width ? width - 1 : px;
                      py = py < 0 ? 0 : py >= height ? height - 1 : py;
                      sum += pixels[(size_t) py * stride + (size_t) px];
                      n++;
                    }
                double w = (dx ? fx : 1.0 - fx) * (dy ? fy : 1.0 - fy);
                acc += w * sum / n;
              }
          image->pixels[(size_t) y * (size_t) out_width + (size_t) x] = (float) acc;
        }
    }
  return 0;
}

/* Box-smooths a block field of @w x @h with radius @r, in place. */
static int
smooth_blocks (float *field, int w, int h, int r)
{
  float *tmp = malloc ((size_t) w * (size_t) h * sizeof (float));
  if (tmp == NULL)
    return -1;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        float s = 0.0f;
        int n = 0;
        for (int dx = -r; dx <= r; dx++)
          {
            int xx = x + dx;
            if (xx >= 0 && xx < w)
              {
                s += field[y * w + xx];
                n++;
              }
          }
        tmp[y * w + x] = s / n;
      }
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        float s = 0.0f;
        int n = 0;
        for (int dy = -r; dy <= r; dy++)
          {
            int yy = y + dy;
            if (yy >= 0 && yy < h)
              {
                s += tmp[yy * w + x];
                n++;
              }
          }
        field[y * w + x] = s / n;
      }
  free (tmp);
  return 0;
}

static int
compare_float (const void *a, const void *b)
{
  float fa = *(const float *) a, fb = *(const float *) b;
  return (fa > fb) - (fa < fb);
}

/* Keeps the largest 8-connected blob of @mask and fills its holes. */
static int
mask_keep_largest (uint8_t *mask, int w, int h)
{
  int n = w * h;
  int *label = calloc ((size_t) n, sizeof (int));
  int *stack = malloc ((size_t) n * sizeof (int));
  uint8_t *outside = calloc ((size_t) n, 1);
  if (label == NULL || stack == NULL || outside == NULL)
    {
      free (label);
      free (stack);
      free (outside);
      return -1;
    }
  int best_label = 0, best_size = 0, next = 0;
  for (int i = 0; i < n; i++)
    {
      if (!mask[i] || label[i])
        continue;
      next++;
      int top = 0, size = 0;
      stack[top++] = i;
      label[i] = next;
      while (top > 0)
        {
          int p = stack[--top];
          size++;
          int px = p % w, py = p / w;
          for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
              {
                int qx = px + dx, qy = py + dy;
                if (qx < 0 || qy < 0 || qx >= w || qy >= h)
                  continue;
                int q = qy * w + qx;
                if (mask[q] && !label[q])
                  {
                    label[q] = next;
                    stack[top++] = q;
                  }
              }
        }
      if (size > best_size)
        {
          best_size = size;
          best_label = next;
        }
    }
  /* Background is what the frame reaches through non-finger blocks; any
   * other non-finger block is a hole (a scar, a dry patch) and is kept. */
  int top = 0;
  for (int i = 0; i < n; i++)
    {
      int x = i % w, y = i / w;
      int kept = best_label != 0 && label[i] == best_label;
      if ((x == 0 || y == 0 || x == w - 1 || y == h - 1) && !kept)
        {
          outside[i] = 1;
          stack[top++] = i;
        }
    }
  while (top > 0)
    {
      int p = stack[--top];
      int px = p % w, py = p / w;
      static const int dx4[4] = { 1, -1, 0, 0 }, dy4[4] = { 0, 0, 1, -1 };
      for (int k = 0; k < 4; k++)
        {
          int qx = px + dx4[k], qy = py + dy4[k];
          if (qx < 0 || qy < 0 || qx >= w || qy >= h)
            continue;
          int q = qy * w + qx;
          int kept = best_label != 0 && label[q] == best_label;
          if (!kept && !outside[q])
            {
              outside[q] = 1;
              stack[top++] = q;
            }
        }
    }
  for (int i = 0; i < n; i++)
    mask[i] = best_label != 0 && !outside[i];
  free (outside);
  free (label);
  free (stack);
  return 0;
}

int
afis_finger_fields_compute (AfisFingerImage *image)
{
  int w = image->width, h = image->height;
  int bw = (w + AFIS_BLOCK - 1) / AFIS_BLOCK, bh = (h + AFIS_BLOCK - 1) / AFIS_BLOCK;
  int nb = bw * bh;
  image->block_width = bw;
  image->block_height = bh;
  image->orientation = malloc ((size_t) nb * sizeof (float));
  image->coherence = malloc ((size_t) nb * sizeof (float));
  image->period = malloc ((size_t) nb * sizeof (float));
  image->mask = calloc ((size_t) nb, 1);
  image->border = calloc ((size_t) nb, 1);
  float *gxx = calloc ((size_t) nb, sizeof (float));
  float *gyy = calloc ((size_t) nb, sizeof (float));
  float *gxy = calloc ((size_t) nb, sizeof (float));
  float *mean = calloc ((size_t) nb, sizeof (float));
  float *var = calloc ((size_t) nb, sizeof (float));
  float *energy = malloc ((size_t) nb * sizeof (float));
  float *sorted = malloc ((size_t) nb * sizeof (float));
  int status = -1;
  if (!image->orientation || !image->coherence || !image->period || !image->mask
      || !image->border || !gxx || !gyy || !gxy || !mean || !var || !energy || !sorted)
    goto done;

  const float *p = image->pixels;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int b = (y / AFIS_BLOCK) * bw + x / AFIS_BLOCK;
        float v = p[y * w + x];
        mean[b] += v;
        var[b] += v * v;
        if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
          continue;
        /* Sobel */
        const float *r0 = p + (y - 1) * w + x, *r1 = p + y * w + x, *r2 = p + (y + 1) * w + x;
        float gx = (r0[1] + 2 * r1[1] + r2[1]) - (r0[-1] + 2 * r1[-1] + r2[-1]);
        float gy = (r2[-1] + 2 * r2[0] + r2[1]) - (r0[-1] + 2 * r0[0] + r0[1]);
        gxx[b] += gx * gx;
        gyy[b] += gy * gy;
        gxy[b] += gx * gy;
      }
  for (int b = 0; b < nb; b++)
    {
      int bx = b % bw, by = b / bw;
      int cw = (bx + 1) * AFIS_BLOCK > w ? w - bx * AFIS_BLOCK : AFIS_BLOCK;
      int ch = (by + 1) * AFIS_BLOCK > h ? h - by * AFIS_BLOCK : AFIS_BLOCK;
      float n = (float) (cw * ch);
      mean[b] /= n;
      var[b] = var[b] / n - mean[b] * mean[b];
      if (var[b] < 0)
        var[b] = 0;
      energy[b] = (gxx[b] + gyy[b]) / n;
      gxx[b] = gxx[b] - gyy[b]; /* reuse: doubled-angle cos part */
      gxy[b] = 2.0f * gxy[b];   /* doubled-angle sin part */
    }
  /* The energy field is the segmentation feature; smooth it a little. */
  if (smooth_blocks (energy, bw, bh, 1) < 0)
    goto done;
  float *dx2 = gxx, *dy2 = gxy, *mag = gyy;
  for (int b = 0; b < nb; b++)
    mag[b] = sqrtf (dx2[b] * dx2[b] + dy2[b] * dy2[b]);
  /* Local coherence over a 3x3-block window (24 px: two to three ridges). */
  float *cx = malloc ((size_t) nb * sizeof (float));
  float *cy = malloc ((size_t) nb * sizeof (float));
  float *cm = malloc ((size_t) nb * sizeof (float));
  if (!cx || !cy || !cm)
    {
      free (cx);
      free (cy);
      free (cm);
      goto done;
    }
  memcpy (cx, dx2, (size_t) nb * sizeof (float));
  memcpy (cy, dy2, (size_t) nb * sizeof (float));
  memcpy (cm, mag, (size_t) nb * sizeof (float));
  if (smooth_blocks (cx, bw, bh, 1) < 0 || smooth_blocks (cy, bw, bh, 1) < 0
      || smooth_blocks (cm, bw, bh, 1) < 0)
    {
      free (cx);
      free (cy);
      free (cm);
      goto done;
    }
  for (int b = 0; b < nb; b++)
    image->coherence[b] = cm[b] > 1e-6f ? sqrtf (cx[b] * cx[b] + cy[b] * cy[b]) / cm[b] : 0.0f;
  free (cm);

  /* Segmentation threshold relative to the strong-ridge energy of this
   * image, so it adapts to sensor gain and contrast. */
  memcpy (sorted, energy, (size_t) nb * sizeof (float));
  qsort (sorted, (size_t) nb, sizeof (float), compare_float);
  float high = sorted[(int) (nb * 0.95f)];
  float threshold = 0.06f * high;
  for (int b = 0; b < nb; b++)
    image->mask[b] = energy[b] > threshold && image->coherence[b] > 0.15f;
  /* Majority filter twice to smooth the outline. */
  for (int pass = 0; pass < 2; pass++)
    {
      uint8_t *copy = malloc ((size_t) nb);
      if (copy == NULL)
        {
          free (cx);
          free (cy);
          goto done;
        }
      memcpy (copy, image->mask, (size_t) nb);
      for (int by = 0; by < bh; by++)
        for (int bx = 0; bx < bw; bx++)
          {
            int s = 0, n = 0;
            for (int dy = -1; dy <= 1; dy++)
              for (int ddx = -1; ddx <= 1; ddx++)
                {
                  int xx = bx + ddx, yy = by + dy;
                  if (xx < 0 || yy < 0 || xx >= bw || yy >= bh)
                    continue;
                  s += copy[yy * bw + xx];
                  n++;
                }
            image->mask[by * bw + bx] = 2 * s > n;
          }
      free (copy);
    }
  if (mask_keep_largest (image->mask, bw, bh) < 0)
    {
      free (cx);
      free (cy);
      goto done;
    }

  /* Orientation over a wider 5x5-block window (40 px), which bridges
   * creases and small scars; the ridge runs across the mean gradient. */
  if (smooth_blocks (cx, bw, bh, 1) < 0 || smooth_blocks (cy, bw, bh, 1) < 0)
    {
      free (cx);
      free (cy);
      goto done;
    }
  for (int b = 0; b < nb; b++)
    {
      float phi = 0.5f * atan2f (cy[b], cx[b]);
      float theta = phi + AFIS_PI / 2.0f;
      if (theta >= AFIS_PI)
        theta -= AFIS_PI;
      if (theta < 0)
        theta += AFIS_PI;
      image->orientation[b] = theta;
    }
  free (cx);
  free (cy);

  /* Border distance in blocks (chamfer, capped at 15). */
  for (int b = 0; b < nb; b++)
    image->border[b] = image->mask[b] ? 15 : 0;
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < nb; i++)
      {
        int b = pass == 0 ? i : nb - 1 - i;
        int bx = b % bw, by = b / bw;
        int best = image->border[b];
        if (bx == 0 || by == 0 || bx == bw - 1 || by == bh - 1)
          best = best > 1 ? 1 : best;
        for (int dy = -1; dy <= 1; dy++)
          for (int ddx = -1; ddx <= 1; ddx++)
            {
              int xx = bx + ddx, yy = by + dy;
              if (xx < 0 || yy < 0 || xx >= bw || yy >= bh)
                continue;
              int v = image->border[yy * bw + xx] + 1;
              if (v < best)
                best = v;
            }
        image->border[b] = (uint8_t) best;
      }

  /* Local normalisation: zero mean, unit deviation over ~24 px, so the
   * enhancement sees the same contrast in dry and wet areas. */
  if (smooth_blocks (mean, bw, bh, 1) < 0 || smooth_blocks (var, bw, bh, 1) < 0)
    goto done;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        /* bilinear between block centres */
        float fx = (x + 0.5f) / AFIS_BLOCK - 0.5f, fy = (y + 0.5f) / AFIS_BLOCK - 0.5f;
        int x0 = (int) floorf (fx), y0 = (int) floorf (fy);
        float ax = fx - x0, ay = fy - y0;
        int x1 = x0 + 1, y1 = y0 + 1;
        x0 = x0 < 0 ? 0 : x0;
        y0 = y0 < 0 ? 0 : y0;
        x1 = x1 >= bw ? bw - 1 : x1;
        y1 = y1 >= bh ? bh - 1 : y1;
        float m = (1 - ay) * ((1 - ax) * mean[y0 * bw + x0] + ax * mean[y0 * bw + x1])
                  + ay * ((1 - ax) * mean[y1 * bw + x0] + ax * mean[y1 * bw + x1]);
        float v = (1 - ay) * ((1 - ax) * var[y0 * bw + x0] + ax * var[y0 * bw + x1])
                  + ay * ((1 - ax) * var[y1 * bw + x0] + ax * var[y1 * bw + x1]);
        float sd = sqrtf (v) + 4.0f;
        image->pixels[y * w + x] = (image->pixels[y * w + x] - m) / sd;
      }
  status = 0;
done:
  free (gxx);
  free (gyy);
  free (gxy);
  free (mean);
  free (var);
  free (energy);
  free (sorted);
  return status;
}

int
afis_finger_period_compute (AfisFingerImage *image)
{
  int w = image->width, h = image->height, bw = image->block_width, bh = image->block_height;
  int nb = bw * bh;
  float *valid = calloc ((size_t) nb, sizeof (float));
  float *value = calloc ((size_t) nb, sizeof (float));
  float *all = malloc ((size_t) nb * sizeof (float));
  if (!valid || !value || !all)
    {
      free (valid);
      free (value);
      free (all);
      return -1;
    }
  int count = 0;
  /* Ridge period from the "x-signature": the profile across the ridges
   * (along the normal), averaged along them, over a 32 x 16 window. */
  for (int by = 0; by < bh; by++)
    for (int bx = 0; bx < bw; bx++)
      {
        int b = by * bw + bx;
        if (!image->mask[b])
          continue;
        float theta = image->orientation[b];
        float ux = cosf (theta), uy = sinf (theta);   /* along ridges */
        float nx = -uy, ny = ux;                      /* across */
        float cxp = bx * AFIS_BLOCK + AFIS_BLOCK / 2.0f, cyp = by * AFIS_BLOCK + AFIS_BLOCK / 2.0f;
        float sig[32];
        for (int k = 0; k < 32; k++)
          {
            float s = 0.0f;
            int n = 0;
            for (int t = -6; t <= 6; t += 2)
              {
                int px = (int) lroundf (cxp + (k - 16) * nx + t * ux);
                int py = (int) lroundf (cyp + (k - 16) * ny + t * uy);
                if (px < 0 || py < 0 || px >= w || py >= h)
                  continue;
                s += image->pixels[py * w + px];
                n++;
              }
            sig[k] = n ? s / n : 0.0f;
          }
        /* light smoothing, then peaks (valleys are bright = positive) */
        float sm[32];
        for (int k = 0; k < 32; k++)
          {
            float a = sig[k > 0 ? k - 1 : 0], c = sig[k < 31 ? k + 1 : 31];
            sm[k] = 0.25f * a + 0.5f * sig[k] + 0.25f * c;
          }
        int first = -1, last = -1, peaks = 0;
        for (int k = 1; k < 31; k++)
          if (sm[k] > sm[k - 1] && sm[k] >= sm[k + 1] && sm[k] > 0.0f)
            {
              if (first < 0)
                first = k;
              last = k;
              peaks++;
            }
        if (peaks >= 2)
          {
            float period = (float) (last - first) / (peaks - 1);
            if (period >= 4.0f && period <= 16.0f)
              {
                valid[b] = 1.0f;
                value[b] = period;
                all[count++] = period;
              }
          }
      }
  float median = 9.0f;
  if (count > 0)
    {
      qsort (all, (size_t) count, sizeof (float), compare_float);
      median = all[count / 2];
    }
  /* Fill and smooth: weighted mean over a 7x7-block window of valid
   * estimates; where none exist, the image median. */
  for (int by = 0; by < bh; by++)
    for (int bx = 0; bx < bw; bx++)
      {
        float s = 0.0f, n = 0.0f;
        for (int dy = -3; dy <= 3; dy++)
          for (int dx = -3; dx <= 3; dx++)
            {
              int xx = bx + dx, yy = by + dy;
              if (xx < 0 || yy < 0 || xx >= bw || yy >= bh)
                continue;
              int q = yy * bw + xx;
              s += valid[q] * value[q];
              n += valid[q];
            }
        float period = n >= 3.0f ? s / n : median;
        /* keep within a believable band around the image median */
        if (period < 0.7f * median)
          period = 0.7f * median;
        if (period > 1.4f * median)
          period = 1.4f * median;
        image->period[by * bw + bx] = period;
      }
  free (valid);
  free (value);
  free (all);
  return 0;
}
