/* rekam-afis iris: extract, match, score, identify, quality; dispatch to
 * eval and bench (their own files). Exit status: 0 success, 1 failure of
 * the work, 2 usage. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afis-image-load.h"
#include "afis/afis-iris.h"
#include "cli-iris-util.h"
#include "rekam-afis-cli.h"

static int
iris_extract (int argc, char **argv)
{
  const char *out_dir = NULL;
  int failures = 0, images = 0;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "-o") == 0 && i + 1 < argc)
      out_dir = argv[++i];
  if (out_dir == NULL)
    {
      fprintf (stderr, "Usage: rekam-afis iris extract IMAGE... -o DIR\n");
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      AfisCliImage image;
      AfisIrisTemplate t;
      AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
      AfisStatus status;
      char reason[256], stem[256], path[4096];

      if (strcmp (argv[i], "-o") == 0)
        {
          i++;
          continue;
        }
      images++;
      if (afis_cli_image_load (argv[i], &image, reason, sizeof reason) != 0)
        {
          fprintf (stderr, "%s: %s\n", argv[i], reason);
          failures++;
          continue;
        }
      status = afis_iris_extract (image.pixels, image.width, image.height,
                                  image.width, &t, NULL, NULL, &reject);
      afis_cli_image_clear (&image);
      if (status != AFIS_OK)
        {
          fprintf (stderr, "%s: %s\n", argv[i],
                   status == AFIS_ERROR_UNUSABLE_IMAGE
                     ? afis_iris_reject_string (reject) : afis_strerror (status));
          failures++;
          continue;
        }
      cli_iris_stem (argv[i], stem, sizeof stem);
      if ((size_t) snprintf (path, sizeof path, "%s/%s.iris", out_dir, stem) >= sizeof path
          || cli_iris_template_save (path, &t) != 0)
        {
          fprintf (stderr, "%s: cannot write %s: %s\n", argv[i], path, strerror (errno));
          failures++;
        }
    }
  if (images == 0)
    {
      fprintf (stderr, "Usage: rekam-afis iris extract IMAGE... -o DIR\n");
      return 2;
    }
  return failures ? 1 : 0;
}

static int
iris_match (int argc, char **argv)
{
  AfisIrisTemplate a, b;
  double distance;

  if (argc != 3)
    {
      fprintf (stderr, "Usage: rekam-afis iris match A.iris B.iris\n");
      return 2;
    }
  if (cli_iris_template_load (argv[1], &a) != 0 || cli_iris_template_load (argv[2], &b) != 0)
    return 1;
  if (afis_iris_template_match (&a, &b, &distance) != AFIS_OK)
    return 1;
  printf ("%.4f\n", distance);
  return 0;
}

static int
iris_score (int argc, char **argv)
{
  char line[8192];
  int failures = 0;

  if (argc != 1)
    {
      fprintf (stderr, "Usage: rekam-afis iris score < PAIRS (A<TAB>B per line)\n");
      return 2;
    }
  while (fgets (line, sizeof line, stdin) != NULL)
    {
      AfisIrisTemplate a, b;
      double distance;
      char *tab, *end;

      end = line + strcspn (line, "\r\n");
      *end = '\0';
      if (line[0] == '\0')
        continue;
      tab = strchr (line, '\t');
      if (tab == NULL)
        {
          fprintf (stderr, "rekam-afis iris score: line without a tab\n");
          printf ("nan\n");
          failures++;
          continue;
        }
      *tab = '\0';
      if (cli_iris_template_load (line, &a) != 0 || cli_iris_template_load (tab + 1, &b) != 0
          || afis_iris_template_match (&a, &b, &distance) != AFIS_OK)
        {
          printf ("nan\n");
          failures++;
          continue;
        }
      printf ("%.4f\n", distance);
    }
  return failures ? 1 : 0;
}

typedef struct {
  char name[256];
  AfisIrisTemplate t;
} Entry;

static int
compare_hit (const void *a, const void *b)
{
  const double *x = a, *y = b;
  return (x[0] > y[0]) - (x[0] < y[0]);
}

static int
iris_identify (int argc, char **argv)
{
  const char *gallery_dir = NULL;
  Entry *gallery = NULL;
  size_t n = 0, cap = 0;
  int top = 5, probes = 0, failures = 0;
  DIR *dir;
  struct dirent *de;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--gallery") == 0 && i + 1 < argc)
      gallery_dir = argv[++i];
    else if (strcmp (argv[i], "--top") == 0 && i + 1 < argc)
      top = atoi (argv[++i]);
  if (gallery_dir == NULL || top < 1)
    {
      fprintf (stderr, "Usage: rekam-afis iris identify --gallery DIR [--top N] PROBE.iris...\n");
      return 2;
    }
  dir = opendir (gallery_dir);
  if (dir == NULL)
    {
      fprintf (stderr, "rekam-afis iris identify: %s: %s\n", gallery_dir, strerror (errno));
      return 1;
    }
  while ((de = readdir (dir)) != NULL)
    {
      char path[4096];
      size_t len = strlen (de->d_name);
      if (len < 6 || strcmp (de->d_name + len - 5, ".iris") != 0)
        continue;
      if (n == cap)
        {
          size_t ncap = cap ? 2 * cap : 256;
          Entry *grown = realloc (gallery, ncap * sizeof *gallery);
          if (grown == NULL)
            break;
          gallery = grown;
          cap = ncap;
        }
      snprintf (path, sizeof path, "%s/%s", gallery_dir, de->d_name);
      if (cli_iris_template_load (path, &gallery[n].t) != 0)
        continue;
      cli_iris_stem (de->d_name, gallery[n].name, sizeof gallery[n].name);
      n++;
    }
  closedir (dir);
  double (*hits)[2] = n ? malloc (n * sizeof *hits) : NULL;
  static AfisIrisProbe probe;
  for (int i = 1; i < argc; i++)
    {
      AfisIrisTemplate t;
      if (strcmp (argv[i], "--gallery") == 0 || strcmp (argv[i], "--top") == 0)
        {
          i++;
          continue;
        }
      probes++;
      if (cli_iris_template_load (argv[i], &t) != 0
          || afis_iris_probe_prepare (&t, &probe) != AFIS_OK)
        {
          failures++;
          continue;
        }
      for (size_t g = 0; g < n && hits; g++)
        {
          hits[g][0] = afis_iris_probe_compare (&probe, &gallery[g].t);
          hits[g][1] = (double) g;
        }
      if (hits)
        qsort (hits, n, sizeof *hits, compare_hit);
      printf ("%s", argv[i]);
      for (size_t k = 0; k < n && k < (size_t) top; k++)
        printf ("\t%s:%.4f", gallery[(size_t) hits[k][1]].name, hits[k][0]);
      printf ("\n");
    }
  free (hits);
  free (gallery);
  if (probes == 0)
    {
      fprintf (stderr, "Usage: rekam-afis iris identify --gallery DIR [--top N] PROBE.iris...\n");
      return 2;
    }
  return failures ? 1 : 0;
}

/* Technicians: segmentation and ISO/IEC 29794-6 measures of each image. */
static int
iris_quality (int argc, char **argv)
{
  int failures = 0;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: rekam-afis iris quality IMAGE...\n");
      return 2;
    }
  printf ("image\tpupil_x\tpupil_y\tpupil_r\tiris_x\tiris_y\tiris_r\tusable\tsharp\tgaze\tipc\tisc\tcirc\tratio\toverall\n");
  for (int i = 1; i < argc; i++)
    {
      AfisCliImage image;
      AfisIrisSegmentation s;
      AfisIrisQuality q;
      AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
      AfisStatus status;
      char reason[256];

      if (afis_cli_image_load (argv[i], &image, reason, sizeof reason) != 0)
        {
          fprintf (stderr, "%s: %s\n", argv[i], reason);
          failures++;
          continue;
        }
      status = afis_iris_segment (image.pixels, image.width, image.height, image.width, &s, &reject);
      if (status == AFIS_OK)
        status = afis_iris_quality (image.pixels, image.width, image.height, image.width, &s, &q);
      afis_cli_image_clear (&image);
      if (status != AFIS_OK)
        {
          fprintf (stderr, "%s: %s\n", argv[i],
                   status == AFIS_ERROR_UNUSABLE_IMAGE
                     ? afis_iris_reject_string (reject) : afis_strerror (status));
          failures++;
          continue;
        }
      printf ("%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%.0f\t%.1f\t%.0f\t%.0f\t%.0f\t%.0f\t%d\n",
              argv[i], s.pupil.x, s.pupil.y, s.pupil.radius, s.iris.x, s.iris.y,
              s.iris.radius, q.usable_area, q.sharpness, q.gaze, q.iris_pupil_contrast,
              q.iris_sclera_contrast, q.pupil_circularity, q.pupil_iris_ratio, q.overall);
    }
  return failures ? 1 : 0;
}

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} IrisCommand;

static const IrisCommand iris_commands[] = {
  { "extract", iris_extract, "iris extract IMAGE... -o DIR        write DIR/<name>.iris templates" },
  { "match", iris_match, "iris match A.iris B.iris            normalised Hamming distance (0..1, lower = closer)" },
  { "score", iris_score, "iris score < PAIRS                  one distance per tab-separated pair" },
  { "identify", iris_identify, "iris identify --gallery DIR PROBE... ranked candidates" },
  { "quality", iris_quality, "iris quality IMAGE...               segmentation and ISO/IEC 29794-6 measures" },
  { "record", cli_iris_record, "iris record [--eye left|right] IMAGE... -o FILE | --read FILE   ISO/IEC 19794-6" },
  { "eval", cli_iris_eval, "iris eval DIR...                    accuracy and speed on eye folders" },
  { "synth", cli_iris_synth, "iris synth -o DIR [--eyes N] ...    synthetic eye images (PNG)" },
  { "bench", cli_iris_bench, "iris bench [--people N] ...         1:N search at scale" },
};

static void
iris_usage (FILE *out)
{
  fprintf (out, "Usage: rekam-afis iris COMMAND [ARGS...]\n\nCommands:\n");
  for (size_t i = 0; i < sizeof iris_commands / sizeof iris_commands[0]; i++)
    fprintf (out, "  %s\n", iris_commands[i].summary);
}

int
afis_cli_iris (int argc, char **argv)
{
  if (argc < 2)
    {
      iris_usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      iris_usage (stdout);
      return 0;
    }
  for (size_t i = 0; i < sizeof iris_commands / sizeof iris_commands[0]; i++)
    if (strcmp (argv[1], iris_commands[i].name) == 0)
      return iris_commands[i].run (argc - 1, argv + 1);
  fprintf (stderr, "rekam-afis iris: unknown command '%s'\n", argv[1]);
  iris_usage (stderr);
  return 2;
}
