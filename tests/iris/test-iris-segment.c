/* Iris segmentation: boundaries of drawn eyes, rejections, bad input,
 * a few real CASIA-IrisV1 images. */
#include <math.h>
#include <string.h>

#include "iris-test-util.h"

static void
check_boundaries (int width, int height, uint64_t first_eye, int eyes, int captures)
{
  for (int e = 0; e < eyes; e++)
    for (int c = 0; c < captures; c++)
      {
        AfisIrisSynthTruth truth;
        AfisIrisSegmentation s;
        AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
        uint8_t *pixels = iris_test_synth (first_eye + (uint64_t) e, (uint64_t) c, NULL,
                                           width, height, &truth);
        AfisStatus status = afis_iris_segment (pixels, width, height, width, &s, &reject);
        g_assert_cmpint (status, ==, AFIS_OK);
        float tol_p = 0.08f * truth.pupil_radius + 1.5f;
        float tol_i = 0.05f * truth.iris_radius + 1.5f;
        g_assert_cmpfloat (fabsf (s.pupil.x - truth.pupil_x), <=, tol_p);
        g_assert_cmpfloat (fabsf (s.pupil.y - truth.pupil_y), <=, tol_p);
        g_assert_cmpfloat (fabsf (s.pupil.radius - truth.pupil_radius), <=, tol_p);
        g_assert_cmpfloat (fabsf (s.iris.x - truth.iris_x), <=, tol_i);
        g_assert_cmpfloat (fabsf (s.iris.y - truth.iris_y), <=, tol_i);
        g_assert_cmpfloat (fabsf (s.iris.radius - truth.iris_radius), <=, tol_i);
        /* every boundary sample near the drawn circle (pupils are drawn
         * round here, so the per-angle fit must not invent a shape) */
        for (int i = 0; i < AFIS_IRIS_BOUNDARY_POINTS; i++)
          g_assert_cmpfloat (fabsf (s.pupil.radii[i] - truth.pupil_radius), <=, 2 * tol_p);
        /* the upper lid, when found, is near the drawn one */
        if (s.upper.present && truth.upper_lid_y > truth.iris_y - truth.iris_radius)
          g_assert_cmpfloat (fabsf (s.upper.apex_y - truth.upper_lid_y), <=, 0.15f * truth.iris_radius);
        g_free (pixels);
      }
}

static void
test_synthetic_boundaries (void)
{
  check_boundaries (320, 280, 100, 8, 3);
}

static void
test_synthetic_640x480 (void)
{
  /* the downsampled path: coordinates must come back in full pixels */
  check_boundaries (640, 480, 200, 3, 2);
}

static void
test_reject_closed_eye (void)
{
  AfisIrisSynthOptions options = { .closed = 1 };
  AfisIrisSegmentation s;
  AfisIrisQuality q;
  AfisIrisTemplate t;
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
  uint8_t *pixels = iris_test_synth (5, 1, &options, 320, 280, NULL);

  g_assert_cmpint (afis_iris_extract (pixels, 320, 280, 320, &t, &s, &q, &reject), ==,
                   AFIS_ERROR_UNUSABLE_IMAGE);
  g_assert_cmpint (reject, !=, AFIS_IRIS_REJECT_NONE);
  g_free (pixels);
}

static void
test_reject_occluded (void)
{
  /* lid down over most of the iris */
  AfisIrisSynthOptions options = { .occlusion = 1.6f };
  AfisIrisTemplate t;
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
  uint8_t *pixels = iris_test_synth (6, 0, &options, 320, 280, NULL);

  g_assert_cmpint (afis_iris_extract (pixels, 320, 280, 320, &t, NULL, NULL, &reject), ==,
                   AFIS_ERROR_UNUSABLE_IMAGE);
  g_assert_cmpint (reject, !=, AFIS_IRIS_REJECT_NONE);
  g_free (pixels);
}

static void
test_reject_no_eye (void)
{
  uint8_t *flat = g_malloc (320 * 280);
  uint8_t *noise = g_malloc (320 * 280);
  AfisIrisSegmentation s;
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
  guint32 state = 7;

  memset (flat, 140, 320 * 280);
  g_assert_cmpint (afis_iris_segment (flat, 320, 280, 320, &s, &reject), ==,
                   AFIS_ERROR_UNUSABLE_IMAGE);
  g_assert_cmpint (reject, ==, AFIS_IRIS_REJECT_NO_EYE);
  for (int i = 0; i < 320 * 280; i++)
    {
      state = state * 1664525u + 1013904223u;
      noise[i] = (uint8_t) (state >> 24);
    }
  reject = AFIS_IRIS_REJECT_NONE;
  g_assert_cmpint (afis_iris_segment (noise, 320, 280, 320, &s, &reject), ==,
                   AFIS_ERROR_UNUSABLE_IMAGE);
  g_assert_cmpint (reject, !=, AFIS_IRIS_REJECT_NONE);
  g_free (flat);
  g_free (noise);
}

static void
test_blur_lowers_sharpness (void)
{
  AfisIrisSynthOptions blurred = { .extra_blur = 6 };
  AfisIrisSegmentation s;
  AfisIrisQuality sharp_q, blur_q;
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
  uint8_t *a = iris_test_synth (8, 0, NULL, 320, 280, NULL);
  uint8_t *b = iris_test_synth (8, 0, &blurred, 320, 280, NULL);

  g_assert_cmpint (afis_iris_segment (a, 320, 280, 320, &s, &reject), ==, AFIS_OK);
  g_assert_cmpint (afis_iris_quality (a, 320, 280, 320, &s, &sharp_q), ==, AFIS_OK);
  if (afis_iris_segment (b, 320, 280, 320, &s, &reject) == AFIS_OK)
    {
      g_assert_cmpint (afis_iris_quality (b, 320, 280, 320, &s, &blur_q), ==, AFIS_OK);
      g_assert_cmpfloat (blur_q.sharpness, <, sharp_q.sharpness / 2);
      g_assert_cmpint (blur_q.overall, <, sharp_q.overall);
    }
  g_free (a);
  g_free (b);
}

static void
test_reject_blur (void)
{
  AfisIrisSynthOptions blurred = { .extra_blur = 10 };
  AfisIrisTemplate t;
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
  uint8_t *pixels = iris_test_synth (8, 0, &blurred, 320, 280, NULL);

  g_assert_cmpint (afis_iris_extract (pixels, 320, 280, 320, &t, NULL, NULL, &reject), ==,
                   AFIS_ERROR_UNUSABLE_IMAGE);
  g_assert_cmpint (reject, ==, AFIS_IRIS_REJECT_BLUR);
  g_free (pixels);
}

static void
test_invalid_arguments (void)
{
  uint8_t small[64 * 64] = { 0 };
  AfisIrisSegmentation s, before;
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;

  memset (&s, 0x5A, sizeof s);
  before = s;
  g_assert_cmpint (afis_iris_segment (NULL, 320, 280, 320, &s, &reject), ==,
                   AFIS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (afis_iris_segment (small, 64, 64, 64, &s, &reject), ==,
                   AFIS_ERROR_IMAGE_TOO_SMALL);
  g_assert_cmpint (afis_iris_segment (small, 5000, 64, 5000, &s, &reject), ==,
                   AFIS_ERROR_IMAGE_TOO_SMALL);
  g_assert_cmpint (afis_iris_segment (small, 100, 100, 50, &s, &reject), ==,
                   AFIS_ERROR_INVALID_ARGUMENT);
  /* untouched on failure */
  g_assert_cmpmem (&s, sizeof s, &before, sizeof before);
  g_assert_cmpstr (afis_iris_reject_string (AFIS_IRIS_REJECT_BLUR), ==, "image blurred");
}

static void
test_quality_ranks_captures (void)
{
  /* a frontal, open, sharp capture scores above a half-closed one */
  AfisIrisSynthOptions occluded = { .occlusion = 0.7f };
  AfisIrisTemplate t;
  AfisIrisQuality good, poor;
  AfisIrisReject reject;
  uint8_t *a = iris_test_synth (9, 0, NULL, 320, 280, NULL);
  uint8_t *b = iris_test_synth (9, 0, &occluded, 320, 280, NULL);

  g_assert_cmpint (afis_iris_extract (a, 320, 280, 320, &t, NULL, &good, &reject), ==, AFIS_OK);
  g_assert_cmpint (good.overall, >=, 50);
  g_assert_cmpfloat (good.usable_area, >, 60);
  g_assert_cmpfloat (good.pupil_circularity, >, 90);
  if (afis_iris_extract (b, 320, 280, 320, &t, NULL, &poor, &reject) == AFIS_OK)
    {
      g_assert_cmpfloat (poor.usable_area, <, good.usable_area);
      g_assert_cmpint (poor.overall, <=, good.overall);
    }
  g_free (a);
  g_free (b);
}

static void
test_casia_images (void)
{
  gchar *dir = iris_test_casia_dir ();
  static const int eyes[] = { 1, 17, 45, 90 };

  if (dir == NULL)
    {
      g_test_skip ("CASIA-IrisV1 not found under $REKAM_SHARED_DATA/iris");
      return;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (eyes); i++)
    {
      gchar *path = iris_test_casia_image (dir, eyes[i], 1, 1);
      int w = 0, h = 0;
      uint8_t *pixels = iris_test_read_bmp8 (path, &w, &h);
      AfisIrisSegmentation s;
      AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
      g_assert_nonnull (pixels);
      g_assert_cmpint (afis_iris_segment (pixels, w, h, w, &s, &reject), ==, AFIS_OK);
      /* CASIA-IrisV1 irises are 90-125 px in radius, pupils 25-70 */
      g_assert_cmpfloat (s.iris.radius, >=, 85);
      g_assert_cmpfloat (s.iris.radius, <=, 130);
      g_assert_cmpfloat (s.pupil.radius, >=, 22);
      g_assert_cmpfloat (s.pupil.radius, <=, 72);
      /* the painted pupil is uniform and dark: its centre is dark */
      g_assert_cmpint (pixels[(int) s.pupil.y * w + (int) s.pupil.x], <, 80);
      g_free (pixels);
      g_free (path);
    }
  g_free (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/iris/segment/synthetic-boundaries", test_synthetic_boundaries);
  g_test_add_func ("/iris/segment/synthetic-640x480", test_synthetic_640x480);
  g_test_add_func ("/iris/segment/reject-closed-eye", test_reject_closed_eye);
  g_test_add_func ("/iris/segment/reject-occluded", test_reject_occluded);
  g_test_add_func ("/iris/segment/reject-no-eye", test_reject_no_eye);
  g_test_add_func ("/iris/segment/blur-lowers-sharpness", test_blur_lowers_sharpness);
  g_test_add_func ("/iris/segment/reject-blur", test_reject_blur);
  g_test_add_func ("/iris/segment/invalid-arguments", test_invalid_arguments);
  g_test_add_func ("/iris/segment/quality-ranks-captures", test_quality_ranks_captures);
  g_test_add_func ("/iris/segment/casia-images", test_casia_images);
  return g_test_run ();
}
