/* rekam-afis iris bench: 1:N search time at scale.
 *
 * 16 synthetic people (both eyes) are enrolled from real extractions of
 * synthetic images, spread through a gallery filled up to --people with
 * derived templates: real masks from extracted synthetic eyes, codes
 * XORed with seeded random bits (independent eyes for the matcher; the
 * search's work does not depend on what the bits say). Each mate is then
 * searched with a second capture of both eyes; the command prints the
 * median search time with --threads and with one thread, and how many
 * mates came back first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "afis/afis-iris.h"
#include "afis/afis-iris-gallery.h"
#include "afis/afis-iris-synth.h"
#include "cli-iris-util.h"

#define MATES 16

static uint64_t
mix (uint64_t *state)
{
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static int
synth_template (uint64_t eye, uint64_t capture, uint8_t *pixels,
                AfisIrisTemplate *t)
{
  AfisIrisReject reject;
  if (afis_iris_synth_eye (eye, capture, NULL, 320, 280, pixels, NULL) != AFIS_OK)
    return -1;
  return afis_iris_extract (pixels, 320, 280, 320, t, NULL, NULL, &reject) == AFIS_OK ? 0 : -1;
}

static double
thread_cpu_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* Median wall time of a search in ms; *ret_cpu_ms the median CPU time of
 * the calling thread (with one thread: the search's own CPU time, which
 * a shared, loaded machine does not inflate). */
static double
time_searches (const AfisIrisGallery *g, const AfisIrisTemplate *probes,
               int threads, int rounds, int *ret_hits, const uint64_t *mate_ids,
               double *ret_cpu_ms)
{
  double times[MATES * 8], cpu[MATES * 8];
  int n = 0, hits = 0;

  for (int r = 0; r < rounds; r++)
    for (int m = 0; m < MATES && n < MATES * 8; m++)
      {
        AfisIrisCandidate c[10];
        size_t count = 0;
        double t0 = cli_iris_now (), c0 = thread_cpu_now ();
        if (afis_iris_gallery_search (g, &probes[2 * m], &probes[2 * m + 1], 0.5,
                                      threads, c, 10, &count) != AFIS_OK)
          return -1;
        cpu[n] = (thread_cpu_now () - c0) * 1000.0;
        times[n++] = (cli_iris_now () - t0) * 1000.0;
        if (r == 0 && count > 0 && c[0].person_id == mate_ids[m])
          hits++;
      }
  if (ret_hits)
    *ret_hits = hits;
  if (ret_cpu_ms)
    *ret_cpu_ms = cli_iris_median (cpu, (size_t) n);
  return cli_iris_median (times, (size_t) n);
}

int
cli_iris_bench (int argc, char **argv)
{
  long people = 200000;
  int threads = 2, rounds = 2;
  uint8_t *pixels = malloc (320 * 280);
  AfisIrisTemplate *enrol = aligned_alloc (64, 2 * MATES * sizeof *enrol);
  AfisIrisTemplate *probe = aligned_alloc (64, 2 * MATES * sizeof *probe);
  AfisIrisTemplate *scratch = aligned_alloc (64, sizeof *scratch);
  AfisIrisGallery *g = NULL;
  uint64_t mate_ids[MATES], state = 12345;
  int status = 1;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--people") == 0 && i + 1 < argc)
        people = atol (argv[++i]);
      else if (strcmp (argv[i], "--threads") == 0 && i + 1 < argc)
        threads = atoi (argv[++i]);
      else if (strcmp (argv[i], "--rounds") == 0 && i + 1 < argc)
        rounds = atoi (argv[++i]);
      else
        people = 0;
    }
  if (people < MATES || people > AFIS_IRIS_GALLERY_MAX_PEOPLE || threads < 1
      || threads > AFIS_IRIS_GALLERY_MAX_THREADS || rounds < 1 || rounds > 8)
    {
      fprintf (stderr, "Usage: rekam-afis iris bench [--people N] [--threads T] [--rounds R]\n");
      goto out;
    }
  if (pixels == NULL || enrol == NULL || probe == NULL || scratch == NULL)
    goto out;
  double t0 = cli_iris_now ();
  for (int m = 0; m < MATES; m++)
    for (int e = 0; e < 2; e++)
      {
        uint64_t eye = 900000u + 2u * (uint64_t) m + (uint64_t) e;
        if (synth_template (eye, 0, pixels, &enrol[2 * m + e]) != 0
            || synth_template (eye, 3, pixels, &probe[2 * m + e]) != 0)
          {
            fprintf (stderr, "rekam-afis iris bench: synthetic eye %d not extracted\n", 2 * m + e);
            goto out;
          }
      }
  if (afis_iris_gallery_new ((size_t) people, &g) != AFIS_OK)
    {
      fprintf (stderr, "rekam-afis iris bench: no memory for %ld people\n", people);
      goto out;
    }
  for (long i = 0, m = 0; i < people; i++)
    {
      AfisIrisTemplate derived[2];
      if (m < MATES && i == (m + 1) * people / (MATES + 1))
        {
          mate_ids[m] = (uint64_t) i;
          if (afis_iris_gallery_add (g, (uint64_t) i, &enrol[2 * m], &enrol[2 * m + 1]) != AFIS_OK)
            goto out;
          m++;
          continue;
        }
      for (int e = 0; e < 2; e++)
        {
          derived[e] = enrol[(size_t) ((i * 2 + e) % (2 * MATES))];
          for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++)
            derived[e].code[w] = (derived[e].code[w] ^ mix (&state)) & derived[e].mask[w];
        }
      if (afis_iris_gallery_add (g, (uint64_t) i, &derived[0], &derived[1]) != AFIS_OK)
        goto out;
    }
  double t1 = cli_iris_now ();
  int hits_n = 0, hits_1 = 0;
  double cpu_n = 0, cpu_1 = 0;
  double ms_n = time_searches (g, probe, threads, rounds, &hits_n, mate_ids, &cpu_n);
  double ms_1 = time_searches (g, probe, 1, 1, &hits_1, mate_ids, &cpu_1);
  if (ms_n < 0 || ms_1 < 0)
    goto out;
  printf ("people\t%ld\neyes_per_person\t2\nbuild_s\t%.1f\n", people, t1 - t0);
  printf ("search_ms_median\t%.1f\tthreads\t%d\n", ms_n, threads);
  printf ("search_ms_median_1thread\t%.1f\n", ms_1);
  printf ("speedup\t%.2f\n", ms_1 / ms_n);
  printf ("search_cpu_ms_median_1thread\t%.1f\n", cpu_1);
  printf ("comparisons_per_s_per_core\t%.0f\t(wall, 1 thread)\n", 2.0 * (double) people / (ms_1 / 1000.0));
  printf ("comparisons_per_cpu_s\t%.0f\t(CPU time, 1 thread)\n", 2.0 * (double) people / (cpu_1 / 1000.0));
  printf ("mates_rank1\t%d/%d\n", hits_n, MATES);
  status = hits_n == MATES ? 0 : 1;
out:
  afis_iris_gallery_free (g);
  free (pixels);
  free (enrol);
  free (probe);
  free (scratch);
  return status;
}
