/* rekam-afis bench: 1:N search at scale on a synthetic gallery.
 *
 * People get ten synthetic fingers each (minutia-level synthesis, see
 * afis-synth.h): the gallery holds impression 0 of each finger; a mated
 * search probes with impression 1 of a gallery person's ten fingers, a
 * non-mated search with impression 1 of people who are not enrolled. The
 * gallery is saved to a buffer and loaded back, and the loaded copy is
 * the one searched, so the load time printed is the real one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-gallery.h"
#include "afis/afis-synth.h"
#include "cli-common.h"
#include "rekam-afis-cli.h"

#define ADJUDICATION_THRESHOLD AFIS_GALLERY_ADJUDICATION_THRESHOLD

static int
person_probe (uint64_t person, uint32_t impression, AfisSearchTemplate *storage,
              AfisProbe *probe, AfisFingerprint *print)
{
  memset (probe, 0, sizeof *probe);
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    {
      if (afis_synth_minutiae (person * AFIS_GALLERY_FINGERS + (uint64_t) f + 1, impression, print)
              != AFIS_OK
          || afis_search_template_build (print, &storage[f]) != AFIS_OK)
        continue;
      probe->fingers[f] = &storage[f];
    }
  return 0;
}

int
afis_cli_bench (int argc, char **argv)
{
  long people = 10000, searches = 50, threads = 2, shortlist = 200;
  const char *save_path = NULL;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          printf ("Usage: rekam-afis bench [--people N] [--searches S] [--threads T]\n"
                  "                        [--shortlist K] [--save FILE]\n\n"
                  "Builds a synthetic gallery of N people x 10 fingers (default 10000),\n"
                  "saves and reloads it, then runs S mated and S non-mated 10-finger\n"
                  "searches (default 50) on T threads (default 2). Prints gallery size,\n"
                  "memory per template, save and load time, median search latency,\n"
                  "rank-1 hit rate of mated searches and the non-mated candidates above\n"
                  "the adjudication threshold (fused score >= %d).\n",
                  ADJUDICATION_THRESHOLD);
          return 0;
        }
      if (i + 1 >= argc)
        {
          fprintf (stderr, "rekam-afis bench: %s needs a value\n", argv[i]);
          return 2;
        }
      long *target = NULL, min = 1, max = 1;
      if (strcmp (argv[i], "--people") == 0)
        target = &people, max = 10000000;
      else if (strcmp (argv[i], "--searches") == 0)
        target = &searches, max = 100000;
      else if (strcmp (argv[i], "--threads") == 0)
        target = &threads, max = AFIS_GALLERY_MAX_THREADS;
      else if (strcmp (argv[i], "--shortlist") == 0)
        target = &shortlist, max = 100000;
      else if (strcmp (argv[i], "--save") == 0)
        {
          save_path = argv[++i];
          continue;
        }
      else
        {
          fprintf (stderr, "rekam-afis bench: unknown option %s\n", argv[i]);
          return 2;
        }
      *target = afis_cli_parse_long (argv[++i], min, max);
      if (*target < 0)
        {
          fprintf (stderr, "rekam-afis bench: bad value for %s\n", argv[i - 1]);
          return 2;
        }
    }
  AfisGallery *gallery;
  if (afis_gallery_new (&gallery) != AFIS_OK)
    return 1;
  AfisSearchTemplate *storage = malloc (AFIS_GALLERY_FINGERS * sizeof *storage);
  AfisFingerprint *print = malloc (sizeof *print);
  AfisCandidate *candidates = malloc (10 * sizeof *candidates);
  double *latency = malloc ((size_t) searches * sizeof (double));
  double *cpu = malloc ((size_t) searches * sizeof (double));
  uint8_t *image = NULL;
  AfisGallery *loaded = NULL;
  int status = 1;
  if (storage == NULL || print == NULL || candidates == NULL || latency == NULL || cpu == NULL)
    goto done;
  double t0 = afis_cli_now ();
  for (long p = 0; p < people; p++)
    {
      AfisProbe fingers;
      person_probe ((uint64_t) p, 0, storage, &fingers, print);
      char id[AFIS_GALLERY_ID_SIZE];
      snprintf (id, sizeof id, "P%08ld", p);
      if (afis_gallery_add (gallery, id, &fingers) != AFIS_OK)
        {
          fprintf (stderr, "rekam-afis bench: cannot add person %ld\n", p);
          goto done;
        }
    }
  double built = afis_cli_now () - t0;
  size_t size = afis_gallery_saved_size (gallery), length = 0;
  image = malloc (size);
  if (image == NULL)
    goto done;
  t0 = afis_cli_now ();
  double c0 = afis_cli_process_cpu_now ();
  if (afis_gallery_save (gallery, image, size, &length) != AFIS_OK)
    goto done;
  double saved = afis_cli_now () - t0, saved_cpu = afis_cli_process_cpu_now () - c0;
  if (save_path != NULL && afis_cli_write_file (save_path, image, length) < 0)
    fprintf (stderr, "rekam-afis bench: cannot write %s\n", save_path);
  t0 = afis_cli_now ();
  c0 = afis_cli_process_cpu_now ();
  if (afis_gallery_load (image, length, &loaded) != AFIS_OK)
    {
      fprintf (stderr, "rekam-afis bench: reload failed\n");
      goto done;
    }
  double load = afis_cli_now () - t0, load_cpu = afis_cli_process_cpu_now () - c0;
  free (image);
  image = NULL;
  afis_gallery_free (gallery);
  gallery = NULL;

  AfisSearchOptions options = { (int) threads, (int) shortlist };
  long hits = 0, false_candidates = 0;
  for (long s = 0; s < searches; s++)
    {
      /* spread mated searches over the gallery with a fixed stride */
      long person = (s * 7919L + 13) % people;
      AfisProbe probe;
      person_probe ((uint64_t) person, 1, storage, &probe, print);
      size_t count = 0;
      t0 = afis_cli_now ();
      c0 = afis_cli_process_cpu_now ();
      if (afis_gallery_search (loaded, &probe, &options, candidates, 10, &count) != AFIS_OK)
        goto done;
      latency[s] = afis_cli_now () - t0;
      cpu[s] = afis_cli_process_cpu_now () - c0;
      char id[AFIS_GALLERY_ID_SIZE];
      snprintf (id, sizeof id, "P%08ld", person);
      if (count > 0 && strcmp (candidates[0].id, id) == 0)
        hits++;
    }
  for (long s = 0; s < searches; s++)
    {
      AfisProbe probe;
      person_probe ((uint64_t) (people + 1000 + s), 1, storage, &probe, print);
      size_t count = 0;
      if (afis_gallery_search (loaded, &probe, &options, candidates, 10, &count) != AFIS_OK)
        goto done;
      for (size_t k = 0; k < count; k++)
        false_candidates += candidates[k].score >= ADJUDICATION_THRESHOLD;
    }
  qsort (latency, (size_t) searches, sizeof (double), afis_cli_compare_double);
  qsort (cpu, (size_t) searches, sizeof (double), afis_cli_compare_double);
  printf ("gallery: %ld people, %zu templates (built in %.1f s)\n", people,
          afis_gallery_template_count (loaded), built);
  printf ("memory per template: %zu bytes\n", afis_gallery_bytes_per_template ());
  printf ("save: %.3f s wall, %.3f s CPU; load: %.3f s wall, %.3f s CPU (%.1f MB)\n", saved,
          saved_cpu, load, load_cpu, length / 1e6);
  printf ("10-finger search, %ld threads, shortlist %ld: median %.1f ms wall (min %.1f, max %.1f), "
          "median %.1f ms CPU over all threads\n",
          threads, shortlist, 1000 * latency[searches / 2], 1000 * latency[0],
          1000 * latency[searches - 1], 1000 * cpu[searches / 2]);
  printf ("mated searches: rank-1 %ld/%ld (%.2f%%)\n", hits, searches, 100.0 * hits / searches);
  printf ("non-mated searches: %ld candidates at or above %d in %ld searches\n", false_candidates,
          ADJUDICATION_THRESHOLD, searches);
  status = 0;
done:
  afis_gallery_free (gallery);
  afis_gallery_free (loaded);
  free (image);
  free (storage);
  free (print);
  free (candidates);
  free (latency);
  free (cpu);
  return status;
}
