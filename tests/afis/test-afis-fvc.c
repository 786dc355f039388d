/* Accuracy regression on a small fixed subset of FVC2002 (DB1_B and
 * DB3_B, fingers 101-105, impressions 1-4): at the FMR 1/1,000 threshold,
 * almost every genuine pair must match and (almost) no impostor pair may.
 * Skips (77) when the data sets are absent. Not timed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afis-image-load.h"
#include "afis-test.h"
#include "afis/afis-finger.h"

#define FINGERS 5
#define IMPRESSIONS 4

static const char *data_root;
static AfisFingerprint print;

static void
run_database (const char *name, int ppi, int min_genuine_percent, int max_impostor)
{
  static AfisSearchTemplate t[FINGERS][IMPRESSIONS];
  static int ok[FINGERS][IMPRESSIONS];
  for (int f = 0; f < FINGERS; f++)
    for (int k = 0; k < IMPRESSIONS; k++)
      {
        char path[4096], reason[256];
        snprintf (path, sizeof path, "%s/fingerprint/%s/%d_%d.tif", data_root, name, 101 + f, k + 1);
        AfisCliImage image;
        ok[f][k] = 0;
        CHECK (afis_cli_image_load (path, &image, reason, sizeof reason) == 0);
        AfisStatus status = afis_finger_extract (image.pixels, image.width, image.height,
                                                 (size_t) image.width, ppi, &print);
        afis_cli_image_clear (&image);
        if (status == AFIS_OK && afis_search_template_build (&print, &t[f][k]) == AFIS_OK)
          ok[f][k] = 1;
      }
  int genuine = 0, genuine_match = 0, impostor = 0, impostor_match = 0;
  for (int f = 0; f < FINGERS; f++)
    for (int k = 0; k < IMPRESSIONS; k++)
      for (int g = f; g < FINGERS; g++)
        for (int l = g == f ? k + 1 : 0; l < IMPRESSIONS; l++)
          {
            /* a failure to extract counts as a non-match */
            int score = -1;
            if (ok[f][k] && ok[g][l])
              CHECK (afis_finger_match (&t[f][k], &t[g][l], &score) == AFIS_OK);
            if (f == g)
              {
                genuine++;
                genuine_match += score >= AFIS_THRESHOLD_FMR_1000;
              }
            else
              {
                impostor++;
                impostor_match += score >= AFIS_THRESHOLD_FMR_1000;
              }
          }
  printf ("  %s: genuine %d/%d match, impostor %d/%d match at %d\n", name, genuine_match, genuine,
          impostor_match, impostor, AFIS_THRESHOLD_FMR_1000);
  CHECK (genuine_match * 100 >= min_genuine_percent * genuine);
  CHECK (impostor_match <= max_impostor);
}

static void
fvc_db1_subset (void)
{
  run_database ("fvc2002_db1_b", 500, 90, 1);
}

static void
fvc_db3_subset (void)
{
  run_database ("fvc2002_db3_b", 500, 85, 1);
}

int
main (void)
{
  data_root = getenv ("REKAM_SHARED_DATA");
  char probe[4096];
  snprintf (probe, sizeof probe, "%s/fingerprint/fvc2002_db1_b/101_1.tif", data_root ? data_root : "");
  FILE *f = data_root ? fopen (probe, "rb") : NULL;
  if (f == NULL)
    {
      printf ("SKIP: FVC2002 data not found under $REKAM_SHARED_DATA/fingerprint\n");
      return 77;
    }
  fclose (f);
  RUN (fvc_db1_subset);
  RUN (fvc_db3_subset);
  return afis_test_failures ? 1 : 0;
}
