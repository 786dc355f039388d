/* rekam-afis eval: the FVC protocol on folders of <finger>_<impression>
 * images.
 *
 * Genuine: every pair of impressions of one finger, each pair once.
 * Impostor (FVC): first impression of every finger against the first
 * impression of every other finger, each pair once. Impostor (all): every
 * pair of impressions of different fingers. A print that cannot be
 * extracted takes part in every comparison with a score below any real
 * score, so it counts as a non-match: a false non-match in genuine pairs.
 * The EER quoted first uses all cross-finger impostor pairs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-common.h"
#include "finger/afis-finger-private.h"
#include "rekam-afis-cli.h"

#define MAX_IMAGES 20000

typedef struct {
  char *path;
  long finger;
  long impression;
  int ok;
  AfisSearchTemplate search;
} Entry;

typedef struct {
  double eer;
  double fmr100;
  double fmr1000;
  double zero_fmr;
} Rates;

static int
compare_entry (const void *a, const void *b)
{
  const Entry *ea = a, *eb = b;
  if (ea->finger != eb->finger)
    return ea->finger < eb->finger ? -1 : 1;
  return (ea->impression > eb->impression) - (ea->impression < eb->impression);
}

static int
is_image_name (const char *name, long *finger, long *impression)
{
  const char *dot = strrchr (name, '.');
  if (dot == NULL)
    return 0;
  const char *ext = dot + 1;
  static const char *exts[] = { "tif", "tiff", "png", "bmp", "pgm", "jpg", "jpeg", "TIF", "PNG", "BMP" };
  int known = 0;
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
    if (strcmp (ext, exts[i]) == 0)
      known = 1;
  if (!known)
    return 0;
  char *end = NULL;
  long f = strtol (name, &end, 10);
  if (end == name || *end != '_')
    return 0;
  const char *second = end + 1;
  long i = strtol (second, &end, 10);
  if (end == second || end != dot)
    return 0;
  *finger = f;
  *impression = i;
  return 1;
}

/* Rates from sorted score arrays. FNMR at a threshold t counts genuine
 * scores below t; FMR counts impostor scores at or above t. */
static Rates
rates_compute (const double *gen, int ng, const double *imp, int ni)
{
  Rates r = { 1.0, 1.0, 1.0, 1.0 };
  if (ng == 0 || ni == 0)
    return r;
  /* candidate thresholds: every distinct score, plus one above all */
  int nt = ng + ni + 1;
  double *t = malloc ((size_t) nt * sizeof (double));
  if (t == NULL)
    return r;
  memcpy (t, gen, (size_t) ng * sizeof (double));
  memcpy (t + ng, imp, (size_t) ni * sizeof (double));
  t[nt - 1] = 1e9;
  qsort (t, (size_t) nt, sizeof (double), afis_cli_compare_double);
  double best_gap = 2.0;
  int gi = 0, ii = 0;
  for (int k = 0; k < nt; k++)
    {
      double th = t[k];
      while (gi < ng && gen[gi] < th)
        gi++;
      while (ii < ni && imp[ii] < th)
        ii++;
      double fnmr = (double) gi / ng, fmr = (double) (ni - ii) / ni;
      double gap = fmr > fnmr ? fmr - fnmr : fnmr - fmr;
      if (gap < best_gap)
        {
          best_gap = gap;
          r.eer = (fmr + fnmr) / 2.0;
        }
      if (fmr <= 0.01 && fnmr < r.fmr100)
        r.fmr100 = fnmr;
      if (fmr <= 0.001 && fnmr < r.fmr1000)
        r.fmr1000 = fnmr;
      if (fmr == 0.0 && fnmr < r.zero_fmr)
        r.zero_fmr = fnmr;
    }
  free (t);
  return r;
}

static void
print_rates (const char *label, Rates r, int ng, int ni)
{
  printf ("  %-26s EER %6.2f%%  FMR100 %6.2f%%  FMR1000 %6.2f%%  ZeroFMR %6.2f%%  "
          "(genuine %d, impostor %d)\n",
          label, 100 * r.eer, 100 * r.fmr100, 100 * r.fmr1000, 100 * r.zero_fmr, ng, ni);
}

static int
eval_dir (const char *dir, int ppi, const char *dump)
{
  DIR *d = opendir (dir);
  if (d == NULL)
    {
      fprintf (stderr, "rekam-afis eval: cannot open folder %s\n", dir);
      return 1;
    }
  Entry *entries = calloc (MAX_IMAGES, sizeof (Entry));
  if (entries == NULL)
    {
      closedir (d);
      return 1;
    }
  int n = 0;
  struct dirent *de;
  while ((de = readdir (d)) != NULL && n < MAX_IMAGES)
    {
      long f, i;
      if (!is_image_name (de->d_name, &f, &i))
        continue;
      size_t len = strlen (dir) + strlen (de->d_name) + 2;
      entries[n].path = malloc (len);
      if (entries[n].path == NULL)
        break;
      snprintf (entries[n].path, len, "%s/%s", dir, de->d_name);
      entries[n].finger = f;
      entries[n].impression = i;
      n++;
    }
  closedir (d);
  qsort (entries, (size_t) n, sizeof (Entry), compare_entry);
  double *times = malloc ((size_t) (n > 0 ? n : 1) * sizeof (double));
  AfisFingerprint *print = malloc (sizeof *print);
  int failures = 0, status = 1;
  if (times == NULL || print == NULL)
    goto done;
  double quality_sum = 0;
  for (int k = 0; k < n; k++)
    {
      char reason[256];
      double t0 = afis_cli_cpu_now ();
      int rc = afis_cli_extract_file (entries[k].path, ppi, print, reason, sizeof reason);
      times[k] = afis_cli_cpu_now () - t0;
      if (rc < 0)
        {
          fprintf (stderr, "  %s: %s\n", entries[k].path, reason);
          failures++;
          continue;
        }
      quality_sum += print->quality;
      if (afis_search_template_build (print, &entries[k].search) == AFIS_OK)
        entries[k].ok = 1;
      else
        failures++;
    }
  qsort (times, (size_t) n, sizeof (double), afis_cli_compare_double);

  int cap_gen = 0, cap_imp = 0;
  for (int a = 0; a < n; a++)
    for (int b = a + 1; b < n; b++)
      {
        if (entries[a].finger == entries[b].finger)
          cap_gen++;
        else
          cap_imp++;
      }
  double *gen = malloc ((size_t) (cap_gen + 1) * sizeof (double));
  double *imp_all = malloc ((size_t) (cap_imp + 1) * sizeof (double));
  double *imp_fvc = malloc ((size_t) (cap_imp + 1) * sizeof (double));
  FILE *dump_file = dump ? fopen (dump, "w") : NULL;
  if (gen == NULL || imp_all == NULL || imp_fvc == NULL)
    {
      free (gen);
      free (imp_all);
      free (imp_fvc);
      goto done;
    }
  int ng = 0, nia = 0, nif = 0;
  double t0 = afis_cli_cpu_now ();
  long comparisons = 0;
  for (int a = 0; a < n; a++)
    {
      int first_a = a == 0 || entries[a - 1].finger != entries[a].finger;
      for (int b = a + 1; b < n; b++)
        {
          double s = -1.0;
          AfisMatchDetail detail;
          memset (&detail, 0, sizeof detail);
          if (entries[a].ok && entries[b].ok)
            {
              s = dump_file ? afis_finger_score_detail (&entries[a].search, &entries[b].search, &detail)
                            : afis_finger_score (&entries[a].search, &entries[b].search);
              comparisons++;
            }
          if (entries[a].finger == entries[b].finger)
            gen[ng++] = s;
          else
            {
              imp_all[nia++] = s;
              int first_b = entries[b - 1].finger != entries[b].finger;
              if (first_a && first_b)
                imp_fvc[nif++] = s;
            }
          if (dump_file)
            fprintf (dump_file, "%s\t%s\t%d\t%g\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", entries[a].path,
                     entries[b].path, entries[a].finger == entries[b].finger, s, detail.n,
                     detail.supported, detail.overlap_a, detail.overlap_b, detail.votes,
                     entries[a].search.count, entries[b].search.count, detail.same_type);
        }
    }
  double elapsed = afis_cli_cpu_now () - t0;
  if (dump_file)
    fclose (dump_file);
  qsort (gen, (size_t) ng, sizeof (double), afis_cli_compare_double);
  qsort (imp_all, (size_t) nia, sizeof (double), afis_cli_compare_double);
  qsort (imp_fvc, (size_t) nif, sizeof (double), afis_cli_compare_double);
  printf ("%s (%d images, %d ppi)\n", dir, n, ppi);
  print_rates ("impostor: all cross-finger", rates_compute (gen, ng, imp_all, nia), ng, nia);
  print_rates ("impostor: FVC first-only", rates_compute (gen, ng, imp_fvc, nif), ng, nif);
  printf ("  failures to extract %d; mean quality %.1f; median extraction %.1f ms (CPU, incl. decoding); "
          "%.0f comparisons/s (one thread; CPU time)\n",
          failures, n - failures > 0 ? quality_sum / (n - failures) : 0.0,
          n > 0 ? 1000.0 * times[n / 2] : 0.0, elapsed > 0 ? comparisons / elapsed : 0.0);
  free (gen);
  free (imp_all);
  free (imp_fvc);
  status = 0;
done:
  for (int k = 0; k < n; k++)
    free (entries[k].path);
  free (entries);
  free (times);
  free (print);
  return status;
}

int
afis_cli_eval (int argc, char **argv)
{
  int ppi = 500, any = 0, status = 0;
  const char *dump = NULL;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          printf ("Usage: rekam-afis eval [--ppi N] DIR [[--ppi N] DIR...] [--dump FILE]\n\n"
                  "Runs the FVC protocol on each folder of <finger>_<impression>.<ext>\n"
                  "images: genuine = every pair of impressions of one finger; impostor =\n"
                  "every cross-finger pair (and, separately, first impressions only).\n"
                  "Failures to extract count as non-matches. Prints EER, FNMR at FMR 1/100\n"
                  "and 1/1000, FNMR at zero FMR, counts, median extraction time and\n"
                  "comparisons per second. --ppi applies to the folders after it.\n"
                  "--dump writes every comparison (tab-separated) to FILE.\n");
          return 0;
        }
      if (strcmp (argv[i], "--ppi") == 0 && i + 1 < argc)
        {
          long v = afis_cli_parse_long (argv[++i], 100, 4000);
          if (v < 0)
            {
              fprintf (stderr, "rekam-afis eval: --ppi needs a number 100..4000\n");
              return 2;
            }
          ppi = (int) v;
          continue;
        }
      if (strcmp (argv[i], "--dump") == 0 && i + 1 < argc)
        {
          dump = argv[++i];
          continue;
        }
      any = 1;
      if (eval_dir (argv[i], ppi, dump) != 0)
        status = 1;
    }
  if (!any)
    {
      fprintf (stderr, "Usage: rekam-afis eval [--ppi N] DIR...\n");
      return 2;
    }
  return status;
}
