/* Matching behaviour on synthetic prints: impressions of one finger match,
 * different fingers do not, and a rotated or shifted image scores as the
 * original does. Synthetic data keeps this test free of the data sets. */
#include <math.h>
#include <string.h>

#include "afis-test.h"
#include "afis/afis-finger.h"
#include "afis/afis-synth.h"

#define FINGERS 3
#define IMPRESSIONS 3
#define CANVAS 480

static uint8_t impression[FINGERS][IMPRESSIONS][AFIS_SYNTH_WIDTH * AFIS_SYNTH_HEIGHT];
static AfisSearchTemplate search[FINGERS][IMPRESSIONS];
static AfisFingerprint print;

static void
synth_setup (void)
{
  for (int f = 0; f < FINGERS; f++)
    {
      AfisSynthMaster *master;
      CHECK (afis_synth_master_new (1000 + (uint64_t) f, &master) == AFIS_OK);
      for (int k = 0; k < IMPRESSIONS; k++)
        {
          CHECK (afis_synth_impression (master, (uint32_t) k, impression[f][k]) == AFIS_OK);
          CHECK (afis_finger_extract (impression[f][k], AFIS_SYNTH_WIDTH, AFIS_SYNTH_HEIGHT,
                                      AFIS_SYNTH_WIDTH, 500, &print) == AFIS_OK);
          CHECK (print.count >= 15);
          CHECK (print.quality > 0 && print.quality <= 100);
          CHECK (afis_search_template_build (&print, &search[f][k]) == AFIS_OK);
        }
      afis_synth_master_free (master);
    }
}

static void
synth_is_deterministic (void)
{
  AfisSynthMaster *master;
  static uint8_t again[AFIS_SYNTH_WIDTH * AFIS_SYNTH_HEIGHT];
  CHECK (afis_synth_master_new (1001, &master) == AFIS_OK);
  CHECK (afis_synth_impression (master, 2, again) == AFIS_OK);
  afis_synth_master_free (master);
  CHECK (memcmp (again, impression[1][2], sizeof again) == 0);
}

static void
synth_impressions_match_and_fingers_separate (void)
{
  int min_genuine = AFIS_SCORE_MAX, max_impostor = 0;
  for (int f = 0; f < FINGERS; f++)
    for (int k = 0; k < IMPRESSIONS; k++)
      for (int g = 0; g < FINGERS; g++)
        for (int l = 0; l < IMPRESSIONS; l++)
          {
            if (f == g && k == l)
              continue;
            int score;
            CHECK (afis_finger_match (&search[f][k], &search[g][l], &score) == AFIS_OK);
            if (f == g)
              min_genuine = score < min_genuine ? score : min_genuine;
            else
              max_impostor = score > max_impostor ? score : max_impostor;
          }
  printf ("  synthetic: lowest genuine %d, highest impostor %d\n", min_genuine, max_impostor);
  /* synthetic prints of one pattern class are more alike than real ones,
   * so the impostor bound is separation, not the FVC-calibrated FMR */
  CHECK (min_genuine >= AFIS_THRESHOLD_FMR_100000);
  CHECK (max_impostor < min_genuine);
}

/* Rotates @src (w x h) by @degrees about its centre and shifts it by
 * (@dx, @dy) onto a CANVAS x CANVAS background. */
static void
transform_image (const uint8_t *src, int w, int h, float degrees, float dx, float dy, uint8_t *dst)
{
  float a = degrees * 3.14159265f / 180.0f, c = cosf (a), s = sinf (a);
  for (int y = 0; y < CANVAS; y++)
    for (int x = 0; x < CANVAS; x++)
      {
        float u = x - CANVAS / 2.0f - dx, v = y - CANVAS / 2.0f - dy;
        float sx = c * u + s * v + w / 2.0f, sy = -s * u + c * v + h / 2.0f;
        int x0 = (int) floorf (sx), y0 = (int) floorf (sy);
        float value = 235.0f;
        if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h)
          {
            float fx = sx - x0, fy = sy - y0;
            const uint8_t *p = src + y0 * w + x0;
            value = (1 - fy) * ((1 - fx) * p[0] + fx * p[1]) + fy * ((1 - fx) * p[w] + fx * p[w + 1]);
          }
        dst[y * CANVAS + x] = (uint8_t) lroundf (value);
      }
}

static void
match_survives_rotation_and_translation (void)
{
  static uint8_t moved[CANVAS * CANVAS];
  static const float cases[][3] = { { 0, 40, -30 }, { 30, 0, 0 }, { 90, -20, 10 }, { 180, 0, 25 }, { -45, 15, 15 } };
  int reference;
  CHECK (afis_finger_match (&search[0][0], &search[0][1], &reference) == AFIS_OK);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      transform_image (impression[0][1], AFIS_SYNTH_WIDTH, AFIS_SYNTH_HEIGHT, cases[i][0], cases[i][1],
                       cases[i][2], moved);
      AfisSearchTemplate t;
      CHECK (afis_finger_extract (moved, CANVAS, CANVAS, CANVAS, 500, &print) == AFIS_OK);
      CHECK (afis_search_template_build (&print, &t) == AFIS_OK);
      int score, other;
      CHECK (afis_finger_match (&search[0][0], &t, &score) == AFIS_OK);
      CHECK (afis_finger_match (&search[1][0], &t, &other) == AFIS_OK);
      printf ("  rotated %.0f, shifted (%.0f, %.0f): %d (upright %d, other finger %d)\n", cases[i][0],
              cases[i][1], cases[i][2], score, reference, other);
      CHECK (score >= AFIS_THRESHOLD_FMR_10000);
      CHECK (score >= reference / 2);
      CHECK (other < score);
    }
}

static void
extract_rejects_bad_input (void)
{
  static uint8_t blank[200 * 200];
  memset (blank, 200, sizeof blank);
  AfisFingerprint untouched;
  memset (&untouched, 0x33, sizeof untouched);
  CHECK (afis_finger_extract (blank, 200, 200, 200, 500, &untouched) == AFIS_ERROR_UNUSABLE_IMAGE);
  CHECK (untouched.count == 0x3333);
  CHECK (afis_finger_extract (blank, 20, 20, 20, 500, &untouched) == AFIS_ERROR_IMAGE_TOO_SMALL);
  CHECK (afis_finger_extract (blank, 200, 200, 100, 500, &untouched) == AFIS_ERROR_INVALID_ARGUMENT);
  CHECK (afis_finger_extract (NULL, 200, 200, 200, 500, &untouched) == AFIS_ERROR_INVALID_ARGUMENT);
  CHECK (afis_finger_extract (blank, 200, 200, 200, 50, &untouched) == AFIS_ERROR_INVALID_ARGUMENT);
  /* 1000 px at 100 ppi would become 5000 px at 500 ppi */
  static uint8_t wide[1000 * 1000];
  CHECK (afis_finger_extract (wide, 1000, 1000, 1000, 100, &untouched) == AFIS_ERROR_IMAGE_TOO_LARGE);
  CHECK (untouched.count == 0x3333);
}

int
main (void)
{
  RUN (synth_setup);
  if (afis_test_failures)
    return 1;
  RUN (synth_is_deterministic);
  RUN (synth_impressions_match_and_fingers_separate);
  RUN (match_survives_rotation_and_translation);
  RUN (extract_rejects_bad_input);
  return afis_test_failures ? 1 : 0;
}
