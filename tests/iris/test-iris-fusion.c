/* Score fusion: calibration on known distributions, fused false-hit
 * rate by simulation, weak and missing modalities, real iris scores. */
#include <math.h>
#include <string.h>

#include "afis/afis-fusion.h"
#include "iris-test-util.h"

typedef struct {
  guint64 state;
} Rng;

static double
uniform (Rng *r)
{
  r->state = r->state * 6364136223846793005ull + 1442695040888963407ull;
  return ((double) (r->state >> 11) + 0.5) / 9007199254740992.0;
}

static double
normal (Rng *r, double mean, double sd)
{
  double u = uniform (r), v = uniform (r);
  return mean + sd * sqrt (-2 * log (u)) * cos (2 * G_PI * v);
}

static void
test_calibrate_normal (void)
{
  Rng r = { 1 };
  enum { N = 20000 };
  double *s = g_new (double, N);
  AfisFusionCalibration c;

  for (int i = 0; i < N; i++)
    s[i] = normal (&r, 0.45, 0.02);
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_DISTANCE, s, N, &c), ==, AFIS_OK);
  g_assert_cmpfloat (fabs (c.mean - 0.45), <, 0.004);
  g_assert_cmpfloat (fabs (c.sd - 0.02), <, 0.003);
  /* the model's FMR at 3 sd below the mean */
  double fmr = afis_fusion_fmr (&c, 0.45 - 3 * 0.02);
  g_assert_cmpfloat (fmr, >, 0.00135 / 2);
  g_assert_cmpfloat (fmr, <, 0.00135 * 2);
  /* monotone: more similar, lower rate */
  g_assert_cmpfloat (afis_fusion_fmr (&c, 0.30), <, afis_fusion_fmr (&c, 0.35));
  g_free (s);
}

static void
test_calibrate_rejects (void)
{
  double same[50];
  AfisFusionCalibration c;

  for (int i = 0; i < 50; i++)
    same[i] = 0.5;
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_DISTANCE, same, 50, &c), ==,
                   AFIS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_DISTANCE, same, 5, &c), ==,
                   AFIS_ERROR_INVALID_ARGUMENT);
  same[3] = NAN;
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_SIMILARITY, same, 50, &c), ==,
                   AFIS_ERROR_INVALID_ARGUMENT);
}

/* Iris distances N(0.45, 0.02) and fingerprint similarities N(20, 8)
 * for impostors: the fused decision at a target must give about that
 * false-hit rate, with one or two modalities. */
static void
test_fused_false_hit_rate (void)
{
  Rng r = { 7 };
  enum { CAL = 50000, TRIALS = 200000 };
  double *iris = g_new (double, CAL), *finger = g_new (double, CAL);
  AfisFusionCalibration ci, cf;
  const double target = 1e-3;
  int hits_two = 0, hits_one = 0;

  for (int i = 0; i < CAL; i++)
    {
      iris[i] = normal (&r, 0.45, 0.02);
      finger[i] = normal (&r, 20, 8);
    }
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_DISTANCE, iris, CAL, &ci), ==, AFIS_OK);
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_SIMILARITY, finger, CAL, &cf), ==, AFIS_OK);
  for (int i = 0; i < TRIALS; i++)
    {
      AfisFusionEvidence ev[2] = { { &ci, normal (&r, 0.45, 0.02) }, { &cf, normal (&r, 20, 8) } };
      AfisFusionDecision d;
      g_assert_cmpint (afis_fusion_decide (ev, 2, target, &d), ==, AFIS_OK);
      hits_two += d.hit;
      g_assert_cmpint (afis_fusion_decide (ev + 1, 1, target, &d), ==, AFIS_OK);
      hits_one += d.hit;
    }
  g_test_message ("fused false hits: two modalities %d/%d, one %d/%d (target %g)",
                  hits_two, TRIALS, hits_one, TRIALS, target);
  g_assert_cmpfloat (hits_two, >, 0.4 * target * TRIALS);
  g_assert_cmpfloat (hits_two, <, 2.0 * target * TRIALS);
  g_assert_cmpfloat (hits_one, >, 0.4 * target * TRIALS);
  g_assert_cmpfloat (hits_one, <, 2.0 * target * TRIALS);
  g_free (iris);
  g_free (finger);
}

static void
test_weak_or_missing_modality (void)
{
  Rng r = { 9 };
  enum { CAL = 5000 };
  double *iris = g_new (double, CAL), *finger = g_new (double, CAL);
  AfisFusionCalibration ci, cf;
  AfisFusionDecision d;

  for (int i = 0; i < CAL; i++)
    {
      iris[i] = normal (&r, 0.45, 0.02);
      finger[i] = normal (&r, 20, 8);
    }
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_DISTANCE, iris, CAL, &ci), ==, AFIS_OK);
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_SIMILARITY, finger, CAL, &cf), ==, AFIS_OK);
  /* injured fingers (impostor-like score), two good eyes: still a hit */
  AfisFusionEvidence weak_finger[3] = { { &ci, 0.28 }, { &ci, 0.30 }, { &cf, 21 } };
  g_assert_cmpint (afis_fusion_decide (weak_finger, 3, 1e-6, &d), ==, AFIS_OK);
  g_assert_true (d.hit);
  g_assert_cmpint (d.count, ==, 3);
  /* one eye missing, fingers clear */
  AfisFusionEvidence one_eye[2] = { { &ci, 0.36 }, { &cf, 70 } };
  g_assert_cmpint (afis_fusion_decide (one_eye, 2, 1e-6, &d), ==, AFIS_OK);
  g_assert_true (d.hit);
  /* everything impostor-like: no hit */
  AfisFusionEvidence none[3] = { { &ci, 0.44 }, { &ci, 0.46 }, { &cf, 25 } };
  g_assert_cmpint (afis_fusion_decide (none, 3, 1e-6, &d), ==, AFIS_OK);
  g_assert_false (d.hit);
  g_assert_cmpfloat (d.fused_fmr, >, 0.01);
  /* no evidence at all, and bad arguments */
  g_assert_cmpint (afis_fusion_decide (NULL, 0, 1e-6, &d), ==, AFIS_OK);
  g_assert_false (d.hit);
  g_assert_cmpint (afis_fusion_decide (none, 3, 0, &d), ==, AFIS_ERROR_INVALID_ARGUMENT);
  AfisFusionEvidence bad = { NULL, 0.3 };
  g_assert_cmpint (afis_fusion_decide (&bad, 1, 1e-3, &d), ==, AFIS_ERROR_INVALID_ARGUMENT);
  g_free (iris);
  g_free (finger);
}

static void
test_person_scores (void)
{
  Rng r = { 11 };
  enum { CAL = 5000 };
  double *iris = g_new (double, CAL), *finger = g_new (double, CAL);
  AfisFusionCalibration ci, cf;
  AfisFusionPersonScores p;
  AfisFusionDecision d;

  for (int i = 0; i < CAL; i++)
    {
      iris[i] = normal (&r, 0.45, 0.02);
      finger[i] = normal (&r, 20, 8);
    }
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_DISTANCE, iris, CAL, &ci), ==, AFIS_OK);
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_SIMILARITY, finger, CAL, &cf), ==, AFIS_OK);
  /* two injured fingers only (weak scores), both eyes clear: a hit */
  for (int i = 0; i < AFIS_FUSION_FINGERS; i++)
    p.finger_scores[i] = -1;
  p.finger_scores[1] = 30;
  p.finger_scores[6] = 25;
  p.iris_left = 0.27;
  p.iris_right = 0.31;
  g_assert_cmpint (afis_fusion_decide_person (&p, &cf, &ci, 1e-8, &d), ==, AFIS_OK);
  g_assert_true (d.hit);
  g_assert_cmpint (d.count, ==, 4);
  /* no eyes at all and ordinary fingers: no hit */
  p.iris_left = p.iris_right = -1;
  g_assert_cmpint (afis_fusion_decide_person (&p, &cf, NULL, 1e-8, &d), ==, AFIS_OK);
  g_assert_false (d.hit);
  g_assert_cmpint (d.count, ==, 2);
  /* scores without their calibration: refused */
  p.iris_left = 0.3;
  g_assert_cmpint (afis_fusion_decide_person (&p, &cf, NULL, 1e-8, &d), ==,
                   AFIS_ERROR_INVALID_ARGUMENT);
  g_free (iris);
  g_free (finger);
}

static void
test_real_iris_scores (void)
{
  gchar *dir = iris_test_casia_dir ();
  enum { EYES = 8, IMAGES = 7 };
  static const int session[IMAGES] = { 1, 1, 1, 2, 2, 2, 2 }, index[IMAGES] = { 1, 2, 3, 1, 2, 3, 4 };
  AfisIrisTemplate *t;
  int *ok;
  double *imp;
  size_t ni = 0, gen = 0, gen_hit = 0, imp_hit = 0;
  AfisFusionCalibration c;

  if (dir == NULL)
    {
      g_test_skip ("CASIA-IrisV1 not found under $REKAM_SHARED_DATA/iris");
      return;
    }
  t = g_new0 (AfisIrisTemplate, EYES * IMAGES);
  ok = g_new0 (int, EYES * IMAGES);
  imp = g_new (double, EYES * IMAGES * EYES * IMAGES);
  for (int e = 0; e < EYES; e++)
    for (int k = 0; k < IMAGES; k++)
      {
        gchar *path = iris_test_casia_image (dir, 31 + e, session[k], index[k]);
        int w, h;
        AfisIrisReject reject;
        uint8_t *pixels = iris_test_read_bmp8 (path, &w, &h);
        g_assert_nonnull (pixels);
        ok[e * IMAGES + k] = afis_iris_extract (pixels, w, h, w, &t[e * IMAGES + k], NULL, NULL,
                                                &reject) == AFIS_OK;
        g_free (pixels);
        g_free (path);
      }
  for (int a = 0; a < EYES * IMAGES; a++)
    for (int b = a + 1; b < EYES * IMAGES; b++)
      if (a / IMAGES != b / IMAGES && ok[a] && ok[b])
        {
          double hd;
          g_assert_cmpint (afis_iris_template_match (&t[a], &t[b], &hd), ==, AFIS_OK);
          imp[ni++] = hd;
        }
  g_assert_cmpint (afis_fusion_calibrate (AFIS_SCORE_DISTANCE, imp, ni, &c), ==, AFIS_OK);
  for (size_t i = 0; i < ni; i++)
    {
      AfisFusionEvidence ev = { &c, imp[i] };
      AfisFusionDecision d;
      g_assert_cmpint (afis_fusion_decide (&ev, 1, 1e-2, &d), ==, AFIS_OK);
      imp_hit += (size_t) d.hit;
    }
  for (int e = 0; e < EYES; e++)
    for (int a = 0; a < IMAGES; a++)
      for (int b = a + 1; b < IMAGES; b++)
        {
          int i = e * IMAGES + a, j = e * IMAGES + b;
          double hd = 1.0;
          AfisFusionDecision d;
          if (ok[i] && ok[j])
            g_assert_cmpint (afis_iris_template_match (&t[i], &t[j], &hd), ==, AFIS_OK);
          AfisFusionEvidence ev = { &c, hd };
          g_assert_cmpint (afis_fusion_decide (&ev, 1, 1e-2, &d), ==, AFIS_OK);
          gen++;
          gen_hit += (size_t) d.hit;
        }
  g_test_message ("real iris: impostor hits %zu/%zu at 1e-2, genuine hits %zu/%zu",
                  imp_hit, ni, gen_hit, gen);
  /* calibrated on these very impostors: the rate must hold closely */
  g_assert_cmpfloat ((double) imp_hit, <=, 0.02 * (double) ni + 2);
  g_assert_cmpfloat ((double) gen_hit, >=, 0.9 * (double) gen);
  g_free (t);
  g_free (ok);
  g_free (imp);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fusion/calibrate-normal", test_calibrate_normal);
  g_test_add_func ("/fusion/calibrate-rejects", test_calibrate_rejects);
  g_test_add_func ("/fusion/fused-false-hit-rate", test_fused_false_hit_rate);
  g_test_add_func ("/fusion/weak-or-missing-modality", test_weak_or_missing_modality);
  g_test_add_func ("/fusion/person-scores", test_person_scores);
  g_test_add_func ("/fusion/real-iris-scores", test_real_iris_scores);
  return g_test_run ();
}
