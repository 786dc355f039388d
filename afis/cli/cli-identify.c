/* rekam-afis identify: 1:N search of probe records against a folder of
 * records (one file per person, its views being that person's fingers). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-gallery.h"
#include "cli-common.h"
#include "rekam-afis-cli.h"

/* Fills @probe (and @storage) from the views of @record: each view goes to
 * its finger position; position 0 (unknown) is taken as 1. */
static void
record_fingers (const AfisTemplate *record, AfisSearchTemplate *storage, AfisProbe *probe,
                AfisFingerprint *print)
{
  memset (probe, 0, sizeof *probe);
  for (int v = 0; v < record->view_count; v++)
    {
      int position = record->views[v].position;
      int slot = position >= 1 && position <= 10 ? position - 1 : 0;
      if (probe->fingers[slot] != NULL)
        continue; /* first view of a finger wins */
      if (afis_template_view_print (record, v, print) != AFIS_OK
          || afis_search_template_build (print, &storage[slot]) != AFIS_OK)
        continue;
      probe->fingers[slot] = &storage[slot];
    }
}

int
afis_cli_identify (int argc, char **argv)
{
  const char *gallery_dir = NULL;
  int top = 10, threads = 2, first = -1;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          printf ("Usage: rekam-afis identify --gallery DIR [--top N] [--threads N] PROBE.fmr...\n\n"
                  "DIR holds one ISO/IEC 19794-2 record per person (<id>.fmr), its views\n"
                  "being that person's fingers by position. Each probe record (one or\n"
                  "more fingers) is searched; prints, per probe, the ranked candidates\n"
                  "with the fused score and the per-finger scores (- = not compared).\n");
          return 0;
        }
      if ((strcmp (argv[i], "--gallery") == 0 || strcmp (argv[i], "--top") == 0
           || strcmp (argv[i], "--threads") == 0) && i + 1 >= argc)
        {
          fprintf (stderr, "rekam-afis identify: %s needs a value\n", argv[i]);
          return 2;
        }
      if (strcmp (argv[i], "--gallery") == 0)
        gallery_dir = argv[++i];
      else if (strcmp (argv[i], "--top") == 0)
        {
          top = (int) afis_cli_parse_long (argv[++i], 1, 1000);
          if (top < 0)
            {
              fprintf (stderr, "rekam-afis identify: --top needs 1..1000\n");
              return 2;
            }
        }
      else if (strcmp (argv[i], "--threads") == 0)
        {
          threads = (int) afis_cli_parse_long (argv[++i], 1, AFIS_GALLERY_MAX_THREADS);
          if (threads < 0)
            {
              fprintf (stderr, "rekam-afis identify: --threads needs 1..%d\n", AFIS_GALLERY_MAX_THREADS);
              return 2;
            }
        }
      else if (first < 0)
        first = i;
    }
  if (gallery_dir == NULL || first < 0)
    {
      fprintf (stderr, "Usage: rekam-afis identify --gallery DIR PROBE.fmr...\n");
      return 2;
    }
  DIR *d = opendir (gallery_dir);
  if (d == NULL)
    {
      fprintf (stderr, "rekam-afis identify: cannot open %s\n", gallery_dir);
      return 1;
    }
  AfisGallery *gallery;
  if (afis_gallery_new (&gallery) != AFIS_OK)
    {
      closedir (d);
      return 1;
    }
  AfisSearchTemplate *storage = malloc (AFIS_GALLERY_FINGERS * sizeof *storage);
  AfisFingerprint *print = malloc (sizeof *print);
  AfisCandidate *candidates = malloc ((size_t) top * sizeof *candidates);
  int status = 0;
  if (storage == NULL || print == NULL || candidates == NULL)
    {
      status = 1;
      goto done;
    }
  struct dirent *de;
  size_t people = 0;
  while ((de = readdir (d)) != NULL)
    {
      size_t len = strlen (de->d_name);
      if (len < 5 || strcmp (de->d_name + len - 4, ".fmr") != 0)
        continue;
      char path[4096], reason[512], id[AFIS_GALLERY_ID_SIZE];
      snprintf (path, sizeof path, "%s/%s", gallery_dir, de->d_name);
      AfisTemplate *record;
      if (afis_cli_load_record (path, &record, reason, sizeof reason) < 0)
        {
          fprintf (stderr, "%s: %s (skipped)\n", path, reason);
          continue;
        }
      afis_cli_basename (de->d_name, id, sizeof id);
      AfisProbe fingers;
      record_fingers (record, storage, &fingers, print);
      free (record);
      if (afis_gallery_add (gallery, id, &fingers) == AFIS_OK)
        people++;
    }
  fprintf (stderr, "gallery: %zu people, %zu fingers\n", people, afis_gallery_template_count (gallery));
  for (int i = first; i < argc; i++)
    {
      if (strcmp (argv[i], "--gallery") == 0 || strcmp (argv[i], "--top") == 0
          || strcmp (argv[i], "--threads") == 0)
        {
          i++;
          continue;
        }
      char reason[512];
      AfisTemplate *record;
      if (afis_cli_load_record (argv[i], &record, reason, sizeof reason) < 0)
        {
          fprintf (stderr, "%s: %s\n", argv[i], reason);
          status = 1;
          continue;
        }
      AfisProbe probe;
      record_fingers (record, storage, &probe, print);
      free (record);
      AfisSearchOptions options = { threads, 200 };
      size_t count = 0;
      if (afis_gallery_search (gallery, &probe, &options, candidates, (size_t) top, &count) != AFIS_OK)
        {
          fprintf (stderr, "%s: search failed\n", argv[i]);
          status = 1;
          continue;
        }
      printf ("%s\n", argv[i]);
      for (size_t k = 0; k < count; k++)
        {
          printf ("  %zu\t%s\t%d\t", k + 1, candidates[k].id, candidates[k].score);
          for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
            {
              if (candidates[k].finger_scores[f] < 0)
                printf ("%s-", f ? " " : "");
              else
                printf ("%s%d", f ? " " : "", candidates[k].finger_scores[f]);
            }
          printf ("\n");
        }
    }
done:
  closedir (d);
  afis_gallery_free (gallery);
  free (storage);
  free (print);
  free (candidates);
  return status;
}
