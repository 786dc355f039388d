/* bench-iris-match: comparisons per second, one thread.
 *
 * Ours: afis_iris_probe_compare (probe pre-rotated once, word kernel).
 * Baseline, same run, same templates: the textbook loop that rotates
 * the gallery code bit by bit for every shift of every comparison.
 * Prints the median of 7 timed rounds of each and their ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "afis/afis-iris-code.h"
#include "afis/afis-iris.h"
#include "afis/afis-iris-synth.h"

#define TEMPLATES 64
#define ROUNDS 7

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static int
bit (const uint64_t *w, int i)
{
  return (int) (w[i / 64] >> (i % 64)) & 1;
}

static double
baseline_compare (const AfisIrisTemplate *a, const AfisIrisTemplate *b)
{
  double best = 1.0;
  for (int s = -AFIS_IRIS_MAX_SHIFT; s <= AFIS_IRIS_MAX_SHIFT; s++)
    {
      int n = 0, d = 0;
      for (int i = 0; i < AFIS_IRIS_CODE_BITS; i++)
        {
          int j = ((i + s * AFIS_IRIS_CODE_COLUMN_BITS) % AFIS_IRIS_CODE_BITS + AFIS_IRIS_CODE_BITS)
                  % AFIS_IRIS_CODE_BITS;
          if (bit (a->mask, j) && bit (b->mask, i))
            {
              n++;
              d += bit (a->code, j) != bit (b->code, i);
            }
        }
      if (n > 0 && (double) d / n < best)
        best = (double) d / n;
    }
  return best;
}

static int
compare_double (const void *x, const void *y)
{
  double a = *(const double *) x, b = *(const double *) y;
  return (a > b) - (a < b);
}

int
main (void)
{
  AfisIrisTemplate *t = aligned_alloc (64, TEMPLATES * sizeof *t);
  AfisIrisProbe *probe = aligned_alloc (64, sizeof *probe);
  uint8_t *pixels = malloc (320 * 280);
  double ours[ROUNDS], base[ROUNDS], sink = 0;

  if (t == NULL || probe == NULL || pixels == NULL)
    return 1;
  for (int i = 0; i < TEMPLATES; i++)
    {
      AfisIrisReject reject;
      if (afis_iris_synth_eye (700 + (uint64_t) i, 1, NULL, 320, 280, pixels, NULL) != AFIS_OK
          || afis_iris_extract (pixels, 320, 280, 320, &t[i], NULL, NULL, &reject) != AFIS_OK)
        return 1;
    }
  if (afis_iris_probe_prepare (&t[0], probe) != AFIS_OK)
    return 1;
  for (int r = 0; r < ROUNDS; r++)
    {
      long n = 0;
      double t0 = now ();
      while (now () - t0 < 0.2)
        {
          for (int k = 0; k < TEMPLATES; k++)
            sink += afis_iris_probe_compare (probe, &t[k]);
          n += TEMPLATES;
        }
      ours[r] = (double) n / (now () - t0);
      n = 0;
      t0 = now ();
      while (now () - t0 < 0.2)
        {
          sink += baseline_compare (&t[0], &t[n % TEMPLATES]);
          n++;
        }
      base[r] = (double) n / (now () - t0);
    }
  qsort (ours, ROUNDS, sizeof ours[0], compare_double);
  qsort (base, ROUNDS, sizeof base[0], compare_double);
  printf ("comparisons_per_cpu_s\t%.0f\t(median of %d, shifts +-%d, %d bits)\n", ours[ROUNDS / 2],
          ROUNDS, AFIS_IRIS_MAX_SHIFT, AFIS_IRIS_CODE_BITS);
  printf ("baseline_per_cpu_s\t%.0f\t(bitwise rotate-and-count)\n", base[ROUNDS / 2]);
  printf ("ratio\t%.1f\n", ours[ROUNDS / 2] / base[ROUNDS / 2]);
  free (t);
  free (probe);
  free (pixels);
  return sink < 0;
}
