/* rekam-afis iris eval: accuracy and speed on folders of eye images.
 *
 * Layout: DIR/<eye>/.../<image> (CASIA-IrisV1: NNN/S/NNN_S_K.bmp); the
 * first folder level under DIR names the eye, and images of one eye are
 * taken in path order. Protocol (shared/data/README.md): genuine = every
 * pair of images of one eye; impostor = the first image of each eye
 * against the first image of every other eye (--all-impostors: every
 * cross-eye pair). An image that gives no template is a failure to
 * enrol and every comparison it is in scores 1.0 (a non-match): errors
 * are counted, never dropped. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "afis-image-load.h"
#include "afis/afis-fusion.h"
#include "afis/afis-iris.h"
#include "cli-iris-util.h"

typedef struct {
  char *path;
  int eye;               /* index into the eye names */
  int ok;                /* a template was made */
  AfisIrisTemplate t;
} Sample;

typedef struct {
  Sample *items;
  size_t n, cap;
  char **eyes;
  size_t n_eyes, cap_eyes;
} Set;

static int
eye_index (Set *set, const char *name)
{
  for (size_t i = 0; i < set->n_eyes; i++)
    if (strcmp (set->eyes[i], name) == 0)
      return (int) i;
  if (set->n_eyes == set->cap_eyes)
    {
      size_t cap = set->cap_eyes ? 2 * set->cap_eyes : 64;
      char **grown = realloc (set->eyes, cap * sizeof *grown);
      if (grown == NULL)
        return -1;
      set->eyes = grown;
      set->cap_eyes = cap;
    }
  set->eyes[set->n_eyes] = strdup (name);
  return set->eyes[set->n_eyes] ? (int) set->n_eyes++ : -1;
}

static void
walk (Set *set, const char *root, const char *path, int depth)
{
  DIR *dir = opendir (path);
  struct dirent *de;

  if (dir == NULL || depth > 4)
    {
      if (dir)
        closedir (dir);
      return;
    }
  while ((de = readdir (dir)) != NULL)
    {
      char child[4096];
      struct stat st;
      if (de->d_name[0] == '.')
        continue;
      if ((size_t) snprintf (child, sizeof child, "%s/%s", path, de->d_name) >= sizeof child)
        continue;
      if (stat (child, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        walk (set, root, child, depth + 1);
      else if (S_ISREG (st.st_mode) && depth >= 1 && cli_iris_is_image (de->d_name))
        {
          if (set->n == set->cap)
            {
              size_t cap = set->cap ? 2 * set->cap : 256;
              Sample *grown = realloc (set->items, cap * sizeof *grown);
              if (grown == NULL)
                break;
              set->items = grown;
              set->cap = cap;
            }
          memset (&set->items[set->n], 0, sizeof set->items[0]);
          set->items[set->n].path = strdup (child);
          /* eye = root + first component below it */
          set->items[set->n].eye = -1;
          if (set->items[set->n].path != NULL)
            set->n++;
        }
    }
  closedir (dir);
  (void) root;
}

static int
compare_sample (const void *a, const void *b)
{
  return strcmp (((const Sample *) a)->path, ((const Sample *) b)->path);
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* FNMR at the largest threshold whose FMR <= @fmr (accept if hd <= t);
 * sorted inputs. */
static double
fnmr_at (const double *gen, size_t ng, const double *imp, size_t ni, double fmr)
{
  size_t allowed = (size_t) (fmr * (double) ni);
  double t;
  size_t accepted = 0;

  /* the threshold sits just below the (allowed+1)-th smallest impostor */
  t = allowed < ni ? imp[allowed] : 2.0;
  for (size_t i = 0; i < ng; i++)
    if (gen[i] < t)
      accepted++;
  return 1.0 - (double) accepted / (double) ng;
}

static double
eer_of (const double *gen, size_t ng, const double *imp, size_t ni, double *ret_threshold)
{
  size_t gi = 0, ii = 0;
  double best = 1.0, best_t = 0;

  /* sweep thresholds over every distinct score */
  while (gi < ng || ii < ni)
    {
      double t = gi < ng && (ii >= ni || gen[gi] <= imp[ii]) ? gen[gi] : imp[ii];
      while (gi < ng && gen[gi] <= t)
        gi++;
      while (ii < ni && imp[ii] <= t)
        ii++;
      double fnmr = 1.0 - (double) gi / (double) ng;
      double fmr = (double) ii / (double) ni;
      double e = fnmr > fmr ? fnmr : fmr;
      if (e < best)
        {
          best = e;
          best_t = t;
        }
    }
  /* the crossing lies between the two rates; report their mean there */
  if (ret_threshold)
    *ret_threshold = best_t;
  return best;
}

/* --fusion: calibrate the iris matcher on every cross-eye pair, compare
 * predicted and observed false match rates, then fuse two eyes per
 * person. Persons are chimeric (eyes 2p and 2p+1 of the set are one
 * person's left and right eye; capture c of a person = image c of
 * both), as is usual with one-eye-per-subject sets. */
static void
eval_fusion (Set *set, AfisIrisProbe *probe)
{
  size_t cap = set->n * (set->n - 1) / 2 + 1, ni = 0;
  double *imp = malloc (cap * sizeof *imp);
  AfisFusionCalibration cal;
  static const double targets[] = { 1e-2, 1e-3, 1e-4 };

  if (imp == NULL)
    return;
  for (size_t a = 0; a < set->n; a++)
    {
      if (!set->items[a].ok || afis_iris_probe_prepare (&set->items[a].t, probe) != AFIS_OK)
        continue;
      for (size_t b = a + 1; b < set->n; b++)
        if (set->items[b].ok && set->items[a].eye != set->items[b].eye)
          imp[ni++] = afis_iris_probe_compare (probe, &set->items[b].t);
    }
  if (afis_fusion_calibrate (AFIS_SCORE_DISTANCE, imp, ni, &cal) != AFIS_OK)
    {
      free (imp);
      return;
    }
  printf ("fusion_impostor_pairs\t%zu\tmean\t%.4f\tsd\t%.4f\n", ni, cal.mean, cal.sd);
  for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++)
    {
      /* the score at which the model predicts this FMR, by bisection */
      double lo = 0, hi = cal.mean, observed = 0;
      for (int it = 0; it < 60; it++)
        {
          double mid = 0.5 * (lo + hi);
          if (afis_fusion_fmr (&cal, mid) < targets[k])
            lo = mid;
          else
            hi = mid;
        }
      for (size_t i = 0; i < ni; i++)
        if (imp[i] <= lo)
          observed++;
      printf ("fusion_fmr_predicted\t%.0e\tat_hd\t%.4f\tobserved\t%.2e\t(%.0f/%zu)\n",
              targets[k], lo, observed / (double) ni, observed, ni);
    }
  free (imp);

  /* chimeric persons: per eye, the indices of its images */
  size_t n_eyes = set->n_eyes, persons = n_eyes / 2;
  int (*img)[8] = calloc (n_eyes ? n_eyes : 1, sizeof *img);
  int *count = calloc (n_eyes ? n_eyes : 1, sizeof *count);
  if (img == NULL || count == NULL)
    {
      free (img);
      free (count);
      return;
    }
  /* eye order = order of first appearance in the sorted list */
  int *order = calloc (n_eyes ? n_eyes : 1, sizeof *order), seen = 0;
  for (size_t k = 0; k < set->n && order; k++)
    if (k == 0 || set->items[k].eye != set->items[k - 1].eye)
      order[seen++] = set->items[k].eye;
  for (int e = 0; e < seen; e++)
    for (size_t k = 0; k < set->n; k++)
      if (set->items[k].eye == order[e] && count[e] < 8)
        img[e][count[e]++] = (int) k;
  const double target = 1e-4;
  size_t gen_n = 0, gen_hit = 0, gen_hit_one = 0, imp_n = 0, imp_hit = 0, imp_hit_one = 0;
  for (size_t p = 0; p < persons; p++)
    for (size_t q = p; q < persons; q++)
      {
        int cmax = p == q ? count[2 * p] : 1;
        for (int c1 = 0; c1 < cmax; c1++)
          for (int c2 = p == q ? c1 + 1 : 0; c2 < (p == q ? count[2 * p] : 1); c2++)
            {
              double hd[2];
              int ok = 1;
              for (int e = 0; e < 2; e++)
                {
                  if (c1 >= count[2 * p + e] || c2 >= count[2 * q + e])
                    {
                      ok = 0;
                      break;
                    }
                  Sample *a = &set->items[img[2 * p + e][c1]], *b = &set->items[img[2 * q + e][c2]];
                  hd[e] = 1.0;
                  if (a->ok && b->ok && afis_iris_probe_prepare (&a->t, probe) == AFIS_OK)
                    hd[e] = afis_iris_probe_compare (probe, &b->t);
                }
              if (!ok)
                continue;
              AfisFusionEvidence ev[2] = { { &cal, hd[0] }, { &cal, hd[1] } };
              AfisFusionDecision both, one;
              if (afis_fusion_decide (ev, 2, target, &both) != AFIS_OK
                  || afis_fusion_decide (ev, 1, target, &one) != AFIS_OK)
                continue;
              if (p == q)
                {
                  gen_n++;
                  gen_hit += (size_t) both.hit;
                  gen_hit_one += (size_t) one.hit;
                }
              else
                {
                  imp_n++;
                  imp_hit += (size_t) both.hit;
                  imp_hit_one += (size_t) one.hit;
                }
            }
      }
  printf ("fusion_persons\t%zu\ttarget_fmr\t%.0e\n", persons, target);
  printf ("fusion_two_eyes\tfalse_hits\t%zu/%zu\tmisses\t%zu/%zu\n", imp_hit, imp_n,
          gen_n - gen_hit, gen_n);
  printf ("fusion_left_eye_only\tfalse_hits\t%zu/%zu\tmisses\t%zu/%zu\n", imp_hit_one, imp_n,
          gen_n - gen_hit_one, gen_n);
  free (img);
  free (count);
  free (order);
}

int
cli_iris_eval (int argc, char **argv)
{
  Set set = { 0 };
  int all_impostors = 0, limit = 0, fusion = 0;
  const char *scores_path = NULL;
  FILE *scores = NULL;
  double *seg_ms, *gen, *imp;
  size_t ng = 0, ni = 0, fte = 0;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--all-impostors") == 0)
        all_impostors = 1;
      else if (strcmp (argv[i], "--fusion") == 0)
        fusion = 1;
      else if (strcmp (argv[i], "--limit") == 0 && i + 1 < argc)
        limit = atoi (argv[++i]);
      else if (strcmp (argv[i], "--scores") == 0 && i + 1 < argc)
        scores_path = argv[++i];
      else if (argv[i][0] == '-')
        {
          fprintf (stderr, "Usage: rekam-afis iris eval [--limit EYES] [--all-impostors] [--fusion] [--scores FILE] DIR...\n");
          return 2;
        }
      else
        {
          size_t before = set.n;
          walk (&set, argv[i], argv[i], 0);
          for (size_t k = before; k < set.n; k++)
            {
              char name[4096];
              const char *rest = set.items[k].path + strlen (argv[i]) + 1;
              size_t len = strcspn (rest, "/");
              snprintf (name, sizeof name, "%d:%.*s", i, (int) len, rest);
              set.items[k].eye = eye_index (&set, name);
            }
        }
    }
  if (set.n == 0)
    {
      fprintf (stderr, "rekam-afis iris eval: no images found (DIR/<eye>/.../<image>)\n");
      return 2;
    }
  qsort (set.items, set.n, sizeof set.items[0], compare_sample);
  if (limit > 0)
    {
      /* the first LIMIT eyes in path order */
      size_t keep = 0;
      int seen = 0, last = -1;
      for (size_t k = 0; k < set.n; k++)
        {
          if (set.items[k].eye != last)
            {
              last = set.items[k].eye;
              seen++;
            }
          if (seen > limit)
            break;
          keep++;
        }
      for (size_t k = keep; k < set.n; k++)
        free (set.items[k].path);
      set.n = keep;
    }

  seg_ms = calloc (set.n, sizeof *seg_ms);
  double *seg_cpu_ms = calloc (set.n, sizeof *seg_cpu_ms);
  size_t n_seg = 0;
  for (size_t k = 0; k < set.n; k++)
    {
      AfisCliImage image;
      AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
      AfisStatus status;
      char reason[256];
      if (afis_cli_image_load (set.items[k].path, &image, reason, sizeof reason) != 0)
        {
          fprintf (stderr, "%s: %s\n", set.items[k].path, reason);
          fte++;
          continue;
        }
      double t0 = cli_iris_now (), c0 = cli_iris_cpu_now ();
      status = afis_iris_extract (image.pixels, image.width, image.height, image.width,
                                  &set.items[k].t, NULL, NULL, &reject);
      double t1 = cli_iris_now (), c1 = cli_iris_cpu_now ();
      if (seg_cpu_ms)
        seg_cpu_ms[k] = (c1 - c0) * 1000.0;
      afis_cli_image_clear (&image);
      if (seg_ms)
        seg_ms[n_seg++] = (t1 - t0) * 1000.0;
      if (status != AFIS_OK)
        {
          fprintf (stderr, "%s: %s\n", set.items[k].path,
                   status == AFIS_ERROR_UNUSABLE_IMAGE ? afis_iris_reject_string (reject)
                                                       : afis_strerror (status));
          fte++;
          continue;
        }
      set.items[k].ok = 1;
    }

  /* pairs */
  size_t max_pairs = set.n * (set.n - 1) / 2 + 1;
  gen = malloc (max_pairs * sizeof *gen);
  imp = malloc (max_pairs * sizeof *imp);
  AfisIrisProbe *probe = malloc (sizeof *probe);
  if (gen == NULL || imp == NULL || probe == NULL)
    {
      fprintf (stderr, "rekam-afis iris eval: out of memory\n");
      return 1;
    }
  if (scores_path != NULL && (scores = fopen (scores_path, "w")) == NULL)
    fprintf (stderr, "rekam-afis iris eval: %s: %s\n", scores_path, strerror (errno));
  for (size_t a = 0; a < set.n; a++)
    {
      int first_a = a == 0 || set.items[a - 1].eye != set.items[a].eye;
      if (set.items[a].ok && afis_iris_probe_prepare (&set.items[a].t, probe) != AFIS_OK)
        set.items[a].ok = 0;
      for (size_t b = a + 1; b < set.n; b++)
        {
          int same = set.items[a].eye == set.items[b].eye;
          int first_b = set.items[b - 1].eye != set.items[b].eye;
          if (!same && !all_impostors && !(first_a && first_b))
            continue;
          double hd = set.items[a].ok && set.items[b].ok
                        ? afis_iris_probe_compare (probe, &set.items[b].t) : 1.0;
          if (same)
            gen[ng++] = hd;
          else
            imp[ni++] = hd;
          if (scores)
            fprintf (scores, "%c\t%.5f\t%s\t%s\n", same ? 'G' : 'I', hd,
                     set.items[a].path, set.items[b].path);
        }
    }
  if (scores)
    fclose (scores);

  /* speed of the comparison alone, one thread */
  double cmp_per_s = 0;
  {
    size_t count = 0, ok_n = 0;
    AfisIrisTemplate *ok = malloc (set.n * sizeof *ok);
    for (size_t k = 0; ok && k < set.n; k++)
      if (set.items[k].ok)
        ok[ok_n++] = set.items[k].t;
    if (ok_n > 1 && afis_iris_probe_prepare (&ok[0], probe) == AFIS_OK)
      {
        double t0 = cli_iris_cpu_now (), t1 = t0, sink = 0;
        while (t1 - t0 < 0.5)
          {
            for (size_t k = 0; k < ok_n; k++)
              sink += afis_iris_probe_compare (probe, &ok[k]);
            count += ok_n;
            t1 = cli_iris_cpu_now ();
          }
        cmp_per_s = (double) count / (t1 - t0);
        if (sink < 0)
          printf ("?\n");
      }
    free (ok);
  }

  qsort (gen, ng, sizeof *gen, compare_double);
  qsort (imp, ni, sizeof *imp, compare_double);
  printf ("images\t%zu\neyes\t%zu\nfte\t%zu\t%.2f%%\n", set.n, set.n_eyes, fte,
          100.0 * (double) fte / (double) set.n);
  printf ("genuine\t%zu\nimpostor\t%zu\n", ng, ni);
  if (ng > 0 && ni > 0)
    {
      double t;
      double eer = eer_of (gen, ng, imp, ni, &t);
      printf ("eer\t%.3f%%\tthreshold\t%.4f\n", 100.0 * eer, t);
      printf ("fnmr@fmr1/100\t%.3f%%\n", 100.0 * fnmr_at (gen, ng, imp, ni, 0.01));
      if (ni >= 1000)
        printf ("fmr1000\t%.3f%%\n", 100.0 * fnmr_at (gen, ng, imp, ni, 0.001));
      else
        printf ("fmr1000\tn/a (fewer than 1000 impostor scores)\n");
      if (ni >= 100000)
        printf ("fnmr@fmr1/100000\t%.3f%%\n", 100.0 * fnmr_at (gen, ng, imp, ni, 0.00001));
      else
        printf ("fnmr@fmr1/100000\tn/a (fewer than 100000 impostor scores)\n");
      printf ("genuine_median\t%.4f\nimpostor_median\t%.4f\nimpostor_min\t%.4f\n",
              gen[ng / 2], imp[ni / 2], imp[0]);
    }
  printf ("median_extract_ms\t%.2f\t(wall)\n", cli_iris_median (seg_ms, n_seg));
  printf ("median_extract_cpu_ms\t%.2f\t(CPU time of the thread: segmentation, quality, encoding)\n",
          cli_iris_median (seg_cpu_ms, n_seg));
  printf ("comparisons_per_s\t%.0f\t(per CPU-second, one thread)\n", cmp_per_s);
  if (fusion)
    eval_fusion (&set, probe);
  for (size_t k = 0; k < set.n; k++)
    free (set.items[k].path);
  for (size_t k = 0; k < set.n_eyes; k++)
    free (set.eyes[k]);
  free (set.eyes);
  free (set.items);
  free (seg_ms);
  free (seg_cpu_ms);
  free (gen);
  free (imp);
  free (probe);
  return 0;
}
