/* Accuracy regression on a fixed CASIA-IrisV1 subset (eyes 001-020,
 * 140 images), data set protocol: genuine = every pair of images of one
 * eye, impostor = first image of each eye against the first of every
 * other; a failure to enrol scores 1.0 (counted, never dropped). Not
 * timed. The thresholds sit above what the code reaches today (EER
 * 0% on this subset, 0 failures to enrol, medians 0.20 / 0.45) with a
 * little room. */
#include <string.h>

#include "iris-test-util.h"

#define EYES 20
#define IMAGES 7

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  static const int session[IMAGES] = { 1, 1, 1, 2, 2, 2, 2 }, index[IMAGES] = { 1, 2, 3, 1, 2, 3, 4 };
  gchar *dir = iris_test_casia_dir ();
  AfisIrisTemplate *t;
  int ok[EYES * IMAGES], fte = 0;
  double gen[EYES * 21], imp[EYES * (EYES - 1) / 2];
  size_t ng = 0, ni = 0;

  (void) argc;
  (void) argv;
  if (dir == NULL)
    {
      printf ("SKIP: CASIA-IrisV1 not found under $REKAM_SHARED_DATA/iris\n");
      return 77;
    }
  t = g_new0 (AfisIrisTemplate, EYES * IMAGES);
  for (int e = 0; e < EYES; e++)
    for (int k = 0; k < IMAGES; k++)
      {
        gchar *path = iris_test_casia_image (dir, 1 + e, session[k], index[k]);
        int w, h;
        AfisIrisReject reject;
        uint8_t *pixels = iris_test_read_bmp8 (path, &w, &h);
        if (pixels == NULL)
          {
            printf ("FAIL: cannot read %s\n", path);
            return 1;
          }
        ok[e * IMAGES + k] = afis_iris_extract (pixels, w, h, w, &t[e * IMAGES + k], NULL, NULL,
                                                &reject) == AFIS_OK;
        fte += !ok[e * IMAGES + k];
        g_free (pixels);
        g_free (path);
      }
  for (int a = 0; a < EYES * IMAGES; a++)
    for (int b = a + 1; b < EYES * IMAGES; b++)
      {
        int same = a / IMAGES == b / IMAGES;
        if (!same && (a % IMAGES != 0 || b % IMAGES != 0))
          continue;
        double hd = 1.0;
        if (ok[a] && ok[b] && afis_iris_template_match (&t[a], &t[b], &hd) != AFIS_OK)
          return 1;
        if (same)
          gen[ng++] = hd;
        else
          imp[ni++] = hd;
      }
  qsort (gen, ng, sizeof gen[0], compare_double);
  qsort (imp, ni, sizeof imp[0], compare_double);
  /* EER: the smallest max(FNMR, FMR) over thresholds */
  double eer = 1.0;
  for (size_t i = 0; i < ng; i++)
    {
      double th = gen[i];
      size_t fa = 0;
      while (fa < ni && imp[fa] <= th)
        fa++;
      double fnmr = (double) (ng - i - 1) / (double) ng, fmr = (double) fa / (double) ni;
      double e = fnmr > fmr ? fnmr : fmr;
      if (e < eer)
        eer = e;
    }
  printf ("images %d fte %d genuine %zu impostor %zu eer %.2f%% genuine median %.3f impostor median %.3f\n",
          EYES * IMAGES, fte, ng, ni, 100 * eer, gen[ng / 2], imp[ni / 2]);
  g_free (t);
  g_free (dir);
  if (fte > 1 || eer > 0.015 || gen[ng / 2] > 0.26 || imp[ni / 2] < 0.42)
    {
      printf ("FAIL: accuracy regressed (limits: fte <= 1, eer <= 1.5%%, medians 0.26 / 0.42)\n");
      return 1;
    }
  return 0;
}
