/* Benchmark: extraction time and 1:1 throughput on synthetic prints.
 * Prints medians over repeated runs and, as the in-run baseline, the
 * first-stage filter's throughput, so the ratio stays meaningful on a
 * busy shared machine. CPU time of this thread is used throughout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "afis/afis-finger.h"
#include "afis/afis-synth.h"

#define FINGERS 6
#define RUNS 5

static double
cpu_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (void)
{
  static uint8_t pixels[FINGERS][2][AFIS_SYNTH_WIDTH * AFIS_SYNTH_HEIGHT];
  static AfisSearchTemplate t[FINGERS][2];
  static AfisFingerprint print;
  double extract[FINGERS * 2 * RUNS];
  int n = 0;
  for (int f = 0; f < FINGERS; f++)
    {
      AfisSynthMaster *master;
      if (afis_synth_master_new (500 + (uint64_t) f, &master) != AFIS_OK)
        return 1;
      for (int k = 0; k < 2; k++)
        if (afis_synth_impression (master, (uint32_t) k, pixels[f][k]) != AFIS_OK)
          return 1;
      afis_synth_master_free (master);
    }
  for (int r = 0; r < RUNS; r++)
    for (int f = 0; f < FINGERS; f++)
      for (int k = 0; k < 2; k++)
        {
          double t0 = cpu_now ();
          if (afis_finger_extract (pixels[f][k], AFIS_SYNTH_WIDTH, AFIS_SYNTH_HEIGHT,
                                   AFIS_SYNTH_WIDTH, 500, &print) != AFIS_OK
              || afis_search_template_build (&print, &t[f][k]) != AFIS_OK)
            return 1;
          extract[n++] = cpu_now () - t0;
        }
  qsort (extract, (size_t) n, sizeof (double), compare);
  double match_rate[RUNS], filter_rate[RUNS];
  long sink = 0;
  for (int r = 0; r < RUNS; r++)
    {
      double t0 = cpu_now ();
      int count = 0;
      for (int f = 0; f < FINGERS; f++)
        for (int g = 0; g < FINGERS; g++)
          {
            sink += afis_finger_score (&t[f][0], &t[g][1]);
            count++;
          }
      match_rate[r] = count / (cpu_now () - t0);
      t0 = cpu_now ();
      count = 0;
      for (int rep = 0; rep < 2000; rep++)
        for (int f = 0; f < FINGERS; f++)
          for (int g = 0; g < FINGERS; g++)
            {
              sink += afis_finger_prefilter (&t[f][0], &t[g][1]);
              count++;
            }
      filter_rate[r] = count / (cpu_now () - t0);
    }
  qsort (match_rate, RUNS, sizeof (double), compare);
  qsort (filter_rate, RUNS, sizeof (double), compare);
  printf ("extraction (%dx%d synthetic, 500 ppi): median %.1f ms\n", AFIS_SYNTH_WIDTH,
          AFIS_SYNTH_HEIGHT, 1000 * extract[n / 2]);
  printf ("full matcher: median %.0f comparisons/s\n", match_rate[RUNS / 2]);
  printf ("first-stage filter: median %.0f comparisons/s (%.0fx the full matcher)\n",
          filter_rate[RUNS / 2], filter_rate[RUNS / 2] / match_rate[RUNS / 2]);
  printf ("search template: %zu bytes\n", sizeof (AfisSearchTemplate));
  return sink == 42 ? 2 : 0;
}
