/* The WSQ wavelet-packet transform.
 *
 * One analysis step filters a line with the symmetric low-pass and
 * high-pass filters and keeps every other output: low-pass outputs are
 * centred on the even samples, high-pass outputs on the odd ones. The
 * line is extended by whole-sample symmetry at both ends (x[-i] = x[i],
 * x[n-1+i] = x[n-1-i]), so a line of n samples gives ceil(n/2) low and
 * floor(n/2) high coefficients and nothing is lost at the borders.
 * Synthesis interleaves the two halves again, extends the interleaved
 * line the same way and applies the synthesis filters, which are the
 * analysis filters of the other band modulated by (-1)^k. Rows are
 * analysed before columns, as the spec's decomposition does. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "wsq-private.h"

#define PAD (WSQ_MAX_FILTER / 2 + 1)

void
wsq_filters_standard (WsqFilters *filters)
{
  /* CDF 9/7 analysis filters, right halves from the centre tap. */
  static const double low[5] = { 0.85269867900940344, 0.37740285561265380,
                                 -0.11062440441842342, -0.02384946501938000,
                                 0.03782845550699546 };
  static const double high[4] = { 0.78848561640566439, -0.41809227322221221,
                                  -0.04068941760955844, 0.06453888262893845 };
  memset (filters, 0, sizeof *filters);
  filters->low_length = 9;
  filters->high_length = 7;
  memcpy (filters->low, low, sizeof low);
  memcpy (filters->high, high, sizeof high);
}

/* Index of sample @i of a line of @n after symmetric extension. */
static inline int
mirror (int i, int n)
{
  if (n == 1)
    return 0;
  int period = 2 * n - 2;
  i %= period;
  if (i < 0)
    i += period;
  return i < n ? i : period - i;
}

/* Copies @n samples (stride @step) into @ext[PAD..PAD+n) and extends them
 * symmetrically by PAD on each side. */
static void
extend (float *ext, const float *in, int step, int n)
{
  for (int i = 0; i < n; i++)
    ext[PAD + i] = in[(ptrdiff_t) i * step];
  for (int i = 1; i <= PAD; i++)
    {
      ext[PAD - i] = ext[PAD + mirror (-i, n)];
      ext[PAD + n - 1 + i] = ext[PAD + mirror (n - 1 + i, n)];
    }
}

static void
analyse_line (float *line, int step, int n, bool invert, const WsqFilters *f,
              float *ext, float *out)
{
  if (n < 2)
    {
      /* A single sample is all low band: its extension is constant. */
      if (n == 1)
        {
          double sum = f->low[0];
          for (int j = 1; j <= f->low_length / 2; j++)
            sum += 2 * f->low[j];
          line[0] = (float) (line[0] * sum);
        }
      return;
    }
  int n_low = (n + 1) / 2, n_high = n / 2;
  int low_half = f->low_length / 2, high_half = f->high_length / 2;
  extend (ext, line, step, n);
  float *low_out = invert ? out + n_high : out;
  float *high_out = invert ? out : out + n_low;
  float low[WSQ_MAX_FILTER / 2 + 1], high[WSQ_MAX_FILTER / 2 + 1];
  for (int j = 0; j <= low_half; j++)
    low[j] = (float) f->low[j];
  for (int j = 0; j <= high_half; j++)
    high[j] = (float) f->high[j];
  for (int k = 0; k < n_low; k++)
    {
      const float *c = ext + PAD + 2 * k;
      float acc = low[0] * c[0];
      for (int j = 1; j <= low_half; j++)
        acc += low[j] * (c[j] + c[-j]);
      low_out[k] = acc;
    }
  for (int k = 0; k < n_high; k++)
    {
      const float *c = ext + PAD + 2 * k + 1;
      float acc = high[0] * c[0];
      for (int j = 1; j <= high_half; j++)
        acc += high[j] * (c[j] + c[-j]);
      high_out[k] = acc;
    }
  for (int i = 0; i < n; i++)
    line[(ptrdiff_t) i * step] = out[i];
}

static void
synthesise_line (float *line, int step, int n, bool invert, const WsqFilters *f,
                 float *ext, float *interleaved)
{
  /* Synthesis low-pass = modulated analysis high-pass and vice versa. */
  int g0_half = f->high_length / 2, g1_half = f->low_length / 2;
  if (n < 2)
    {
      if (n == 1)
        {
          /* Only even taps of the low synthesis filter meet the sample. */
          double sum = f->high[0];
          for (int d = 2; d <= g0_half; d += 2)
            sum += 2 * f->high[d];
          line[0] = (float) (line[0] * sum);
        }
      return;
    }
  int n_low = (n + 1) / 2, n_high = n / 2;
  const float *low_in = line + (ptrdiff_t) (invert ? n_high : 0) * step;
  const float *high_in = line + (ptrdiff_t) (invert ? 0 : n_low) * step;
  for (int k = 0; k < n_low; k++)
    interleaved[2 * k] = low_in[(ptrdiff_t) k * step];
  for (int k = 0; k < n_high; k++)
    interleaved[2 * k + 1] = high_in[(ptrdiff_t) k * step];
  extend (ext, interleaved, 1, n);
  /* Signed taps per output parity: even outputs see low-band samples at
   * even distances (synthesis low-pass) and high-band samples at odd
   * ones (synthesis high-pass), odd outputs the other way round. */
  int longest = g0_half > g1_half ? g0_half : g1_half;
  float taps[2][WSQ_MAX_FILTER / 2 + 1];
  for (int parity = 0; parity < 2; parity++)
    for (int d = 0; d <= longest; d++)
      {
        const double *same = parity == 0 ? f->high : f->low;
        const double *other = parity == 0 ? f->low : f->high;
        int same_half = parity == 0 ? g0_half : g1_half;
        int other_half = parity == 0 ? g1_half : g0_half;
        if (d % 2 == 0)
          taps[parity][d] = d <= same_half ? (float) same[d] : 0.0f;
        else
          taps[parity][d] = d <= other_half ? (float) -other[d] : 0.0f;
      }
  for (int i = 0; i < n; i++)
    {
      const float *c = ext + PAD + i;
      const float *t = taps[i & 1];
      float acc = t[0] * c[0];
      for (int d = 1; d <= longest; d++)
        acc += t[d] * (c[d] + c[-d]);
      line[(ptrdiff_t) i * step] = acc;
    }
}

void
analyse_columns (float *origin, int pitch, int width, int n, bool invert,
                 const WsqFilters *f, float *tmp, const float **rows)
{
  if (n < 2)
    {
      if (n == 1)
        for (int x = 0; x < width; x++)
          analyse_line (origin + x, pitch, 1, invert, f, tmp, tmp + 2 * PAD + 2);
      return;
    }
  int n_low = (n + 1) / 2, n_high = n / 2;
  for (int i = 0; i < n; i++)
    rows[i] = origin + (size_t) i * pitch;
  for (int k = 0; k < n; k++)
    {
      bool low = k < n_low;
      int centre = low ? 2 * k : 2 * (k - n_low) + 1;
      const double *taps = low ? f->low : f->high;
      int half = (low ? f->low_length : f->high_length) / 2;
      int slot = low ? (invert ? n_high + k : k) : (invert ? k - n_low : k);
      float *restrict out = tmp + (size_t) slot * width;
      const float *c = rows[centre];
      float t0 = (float) taps[0];
      for (int x = 0; x < width; x++)
        out[x] = t0 * c[x];
      for (int j = 1; j <= half; j++)
        {
          const float *a = rows[mirror (centre + j, n)], *b = rows[mirror (centre - j, n)];
          float t = (float) taps[j];
          for (int x = 0; x < width; x++)
            out[x] += t * (a[x] + b[x]);
        }
    }
  for (int i = 0; i < n; i++)
    memcpy (origin + (size_t) i * pitch, tmp + (size_t) i * width, sizeof (float) * width);
}

static void
synthesise_columns (float *origin, int pitch, int width, int n, bool invert,
                    const WsqFilters *f, float *tmp, const float **rows)
{
  if (n < 2)
    {
      if (n == 1)
        for (int x = 0; x < width; x++)
          synthesise_line (origin + x, pitch, 1, invert, f, tmp, tmp + 2 * PAD + 2);
      return;
    }
  int n_low = (n + 1) / 2, n_high = n / 2;
  /* rows[] in interleaved order: even = low band, odd = high band */
  for (int k = 0; k < n_low; k++)
    rows[2 * k] = origin + (size_t) (invert ? n_high + k : k) * pitch;
  for (int k = 0; k < n_high; k++)
    rows[2 * k + 1] = origin + (size_t) (invert ? k : n_low + k) * pitch;
  for (int i = 0; i < n; i++)
    {
      const double *same = (i % 2 == 0) ? f->high : f->low;
      const double *other = (i % 2 == 0) ? f->low : f->high;
      int same_half = ((i % 2 == 0) ? f->high_length : f->low_length) / 2;
      int other_half = ((i % 2 == 0) ? f->low_length : f->high_length) / 2;
      float *restrict out = tmp + (size_t) i * width;
      const float *c = rows[i];
      float t0 = (float) same[0];
      for (int x = 0; x < width; x++)
        out[x] = t0 * c[x];
      for (int d = 1; d <= (same_half > other_half ? same_half : other_half); d++)
        {
          float t;
          if (d % 2 == 0)
            {
              if (d > same_half)
                continue;
              t = (float) same[d];
            }
          else
            {
              if (d > other_half)
                continue;
              t = (float) -other[d];
            }
          const float *a = rows[mirror (i + d, n)], *b = rows[mirror (i - d, n)];
          for (int x = 0; x < width; x++)
            out[x] += t * (a[x] + b[x]);
        }
    }
  for (int i = 0; i < n; i++)
    memcpy (origin + (size_t) i * pitch, tmp + (size_t) i * width, sizeof (float) * width);
}

size_t
wsq_transform_scratch_size (int width, int height)
{
  size_t longest = (size_t) (width > height ? width : height);
  return (size_t) width * height + 3 * (longest + 2 * PAD);
}

bool
wsq_transform_forward (float *plane, int width, int height, const WsqTree *tree,
                       const WsqFilters *filters)
{
  float *tmp = malloc (wsq_transform_scratch_size (width, height) * sizeof (float));
  const float **rows = malloc (sizeof (float *) * (size_t) (height > width ? height : width));
  if (tmp == NULL || rows == NULL)
    {
      free (tmp);
      free (rows);
      return false;
    }
  size_t longest = (size_t) (width > height ? width : height) + 2 * PAD;
  float *ext = tmp, *out = tmp + longest;
  for (int node = 0; node < WSQ_N_NODES; node++)
    {
      const WsqRect *r = &tree->nodes[node];
      float *origin = plane + (size_t) r->y * width + r->x;
      for (int y = 0; y < r->height; y++)
        analyse_line (origin + (size_t) y * width, 1, r->width, r->invert_x,
                      filters, ext, out);
      analyse_columns (origin, width, r->width, r->height, r->invert_y, filters, tmp, rows);
    }
  free (tmp);
  free (rows);
  return true;
}

bool
wsq_transform_inverse (float *plane, int width, int height, const WsqTree *tree,
                       const WsqFilters *filters)
{
  float *tmp = malloc (wsq_transform_scratch_size (width, height) * sizeof (float));
  const float **rows = malloc (sizeof (float *) * (size_t) (height > width ? height : width));
  if (tmp == NULL || rows == NULL)
    {
      free (tmp);
      free (rows);
      return false;
    }
  size_t longest = (size_t) (width > height ? width : height) + 2 * PAD;
  float *ext = tmp, *interleaved = tmp + longest;
  for (int node = WSQ_N_NODES - 1; node >= 0; node--)
    {
      const WsqRect *r = &tree->nodes[node];
      float *origin = plane + (size_t) r->y * width + r->x;
      synthesise_columns (origin, width, r->width, r->height, r->invert_y, filters, tmp, rows);
      for (int y = 0; y < r->height; y++)
        synthesise_line (origin + (size_t) y * width, 1, r->width, r->invert_x,
                         filters, ext, interleaved);
    }
  free (tmp);
  free (rows);
  return true;
}
