/* capture: signature checks, rendering and the Type-8 forms. */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture/capture-signature.h"

/* A pad of 100 x 40 mm at 100 lines/mm, y down, pressure 0..1023. */
static const CaptureSignaturePad pad = {
  .width = 10000, .height = 4000, .units_per_inch = 2540, .max_pressure = 1023,
};

/* A looping scribble of @n points over @duration_ms, @length_mm wide. */
static CaptureSignaturePoint *
scribble (size_t n, double length_mm, uint32_t duration_ms)
{
  CaptureSignaturePoint *p = g_new0 (CaptureSignaturePoint, n);
  for (size_t i = 0; i < n; i++)
    {
      double t = (double) i / (n - 1);
      p[i].x = 1000 + t * length_mm * 100 + 300 * cos (t * 40);
      p[i].y = 2000 + 800 * sin (t * 40) * sin (t * 3);
      p[i].pressure = 300 + 400 * sin (t * 7) * sin (t * 7);
      p[i].time_ms = (uint32_t) (t * duration_ms);
      p[i].pen_down = (i % 60) != 59;   /* lifts the pen now and then */
    }
  return p;
}

static size_t
ink_pixels (const CaptureImage *image)
{
  size_t n = 0;
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      n += capture_image_row (image, y)[x] < 128;
  return n;
}

static void
test_good_signature_passes (void)
{
  CaptureSignaturePoint *p = scribble (400, 60, 2000);
  CaptureFeedback feedback;
  capture_feedback_init (&feedback);
  g_assert_cmpint (capture_signature_check (p, 400, &pad, &feedback), ==, CAPTURE_OK);
  g_assert_true (capture_feedback_passed (&feedback));
  const CaptureFeedbackItem *ink = capture_feedback_find (&feedback, "signature.ink_length");
  g_assert_nonnull (ink);
  g_assert_cmpfloat (ink->value, >, 60);

  CaptureImage image;
  g_assert_cmpint (capture_signature_render (p, 400, &pad, &image), ==, CAPTURE_OK);
  /* 500 ppi: the ink spans ~66 mm (scribble + loops) plus 2 x 2 mm */
  g_assert_cmpint (image.width, >, 60 / 25.4 * 500);
  g_assert_cmpint (image.width, <, 80 / 25.4 * 500);
  g_assert_cmpuint (ink_pixels (&image), >, 1000);
  /* white margin all around */
  for (int x = 0; x < image.width; x++)
    g_assert_cmpint (capture_image_row (&image, 0)[x], ==, 255);

  uint8_t *bits = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_signature_binarise (&image, 128, &bits, &size), ==, CAPTURE_OK);
  g_assert_cmpuint (size, ==, (size_t) ((image.width + 7) / 8) * image.height);
  size_t set = 0;
  for (size_t i = 0; i < size; i++)
    set += (size_t) __builtin_popcount (bits[i]);
  g_assert_cmpuint (set, ==, ink_pixels (&image));
  free (bits);
  capture_image_clear (&image);
  g_free (p);
}

static void
test_type8_vectors (void)
{
  CaptureSignaturePoint *p = scribble (120, 60, 2000);
  uint8_t *data = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_signature_type8_vectors (p, 120, &pad, &data, &size), ==, CAPTURE_OK);
  g_assert_cmpuint (size, ==, 5 * 121);
  g_assert_cmpuint (data[size - 1], ==, 255);
  /* points 59 and 119 are pen-up: pressure 0; others 1..254 */
  g_assert_cmpuint (data[5 * 59 + 4], ==, 0);
  g_assert_cmpuint (data[5 * 119 + 4], ==, 0);
  for (size_t i = 0; i < 120; i++)
    if (i % 60 != 59)
      {
        g_assert_cmpuint (data[5 * i + 4], >=, 1);
        g_assert_cmpuint (data[5 * i + 4], <=, 254);
      }
  /* 2540 units/inch -> 1000 units/inch: x = 1000 + 300 at t=0 */
  unsigned x0 = (unsigned) data[0] << 8 | data[1];
  g_assert_cmpuint (x0, ==, (unsigned) lround ((1000 + 300) / 2.54));
  free (data);
  g_free (p);
}

static void
test_rejects_empty (void)
{
  CaptureFeedback feedback;
  capture_feedback_init (&feedback);
  g_assert_cmpint (capture_signature_check (NULL, 0, &pad, &feedback), ==, CAPTURE_OK);
  g_assert_nonnull (capture_feedback_find (&feedback, "signature.empty"));
  g_assert_false (capture_feedback_passed (&feedback));
  /* hovering only: no ink */
  CaptureSignaturePoint *p = scribble (100, 60, 2000);
  for (int i = 0; i < 100; i++)
    p[i].pen_down = false;
  capture_feedback_init (&feedback);
  g_assert_cmpint (capture_signature_check (p, 100, &pad, &feedback), ==, CAPTURE_OK);
  g_assert_nonnull (capture_feedback_find (&feedback, "signature.empty"));
  CaptureImage image = { 0 };
  g_assert_cmpint (capture_signature_render (p, 100, &pad, &image), ==, CAPTURE_ERROR_NOT_FOUND);
  g_assert_null (image.pixels);
  g_free (p);
}

static void
test_rejects_too_short (void)
{
  /* a 6 mm tick */
  CaptureSignaturePoint *p = scribble (40, 3, 2000);
  for (int i = 0; i < 40; i++)
    {
      p[i].x = 2000 + i * 15;
      p[i].y = 2000;
    }
  CaptureFeedback feedback;
  capture_feedback_init (&feedback);
  g_assert_cmpint (capture_signature_check (p, 40, &pad, &feedback), ==, CAPTURE_OK);
  g_assert_nonnull (capture_feedback_find (&feedback, "signature.too_short"));
  g_assert_false (capture_feedback_passed (&feedback));
  g_free (p);
  /* long enough but signed in 100 ms: a swipe, not a signature */
  p = scribble (400, 60, 100);
  capture_feedback_init (&feedback);
  g_assert_cmpint (capture_signature_check (p, 400, &pad, &feedback), ==, CAPTURE_OK);
  g_assert_nonnull (capture_feedback_find (&feedback, "signature.too_short"));
  g_free (p);
}

static void
test_rejects_out_of_box (void)
{
  CaptureSignaturePoint *p = scribble (400, 60, 2000);
  p[200].x = 11000;   /* 10 mm beyond the right edge */
  CaptureFeedback feedback;
  capture_feedback_init (&feedback);
  g_assert_cmpint (capture_signature_check (p, 400, &pad, &feedback), ==, CAPTURE_OK);
  g_assert_nonnull (capture_feedback_find (&feedback, "signature.out_of_box"));
  g_assert_false (capture_feedback_passed (&feedback));
  g_free (p);
}

static void
test_rejects_bad_arguments (void)
{
  CaptureSignaturePad bad = pad;
  bad.units_per_inch = 0;
  CaptureFeedback feedback;
  capture_feedback_init (&feedback);
  CaptureSignaturePoint *p = scribble (10, 60, 2000);
  g_assert_cmpint (capture_signature_check (p, 10, &bad, &feedback), ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  p[3].x = NAN;
  g_assert_cmpint (capture_signature_check (p, 10, &pad, &feedback), ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (capture_signature_check (p, CAPTURE_SIGNATURE_MAX_POINTS + 1, &pad, &feedback), ==,
                   CAPTURE_ERROR_CAPACITY);
  /* a huge stroke cannot ask for a huge image */
  p[3].x = 1e9;
  CaptureImage image = { 0 };
  g_assert_cmpint (capture_signature_render (p, 10, &pad, &image), ==, CAPTURE_ERROR_IMAGE_TOO_LARGE);
  g_free (p);
}

/* SVC2004: "X Y T button azimuth altitude pressure", WACOM tablet. */
static void
test_svc2004 (void)
{
  const char *shared = g_getenv ("REKAM_SHARED_DATA");
  g_autofree char *dir = g_build_filename (shared ? shared : "../shared/data", "signature",
                                           "svc2004-sample", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("SVC2004 sample absent (REKAM_SHARED_DATA/signature/svc2004-sample)");
      return;
    }
  const CaptureSignaturePad tablet = {
    .width = 20000, .height = 15000, .units_per_inch = 2540, .max_pressure = 1023, .y_up = true,
  };
  int checked = 0;
  for (int user = 1; user <= 5; user++)
    for (int k = 1; k <= 40; k += 3)
      {
        g_autofree char *name = g_strdup_printf ("USER%d_%d.txt", user, k);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autofree char *text = NULL;
        if (!g_file_get_contents (path, &text, NULL, NULL))
          continue;
        g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
        size_t n = 0, capacity = g_strv_length (lines);
        CaptureSignaturePoint *p = g_new0 (CaptureSignaturePoint, capacity);
        for (size_t i = 1; lines[i] != NULL; i++)
          {
            double x, y, t, button, azimuth, altitude, pressure;
            if (sscanf (lines[i], "%lf %lf %lf %lf %lf %lf %lf", &x, &y, &t, &button, &azimuth,
                        &altitude, &pressure) != 7)
              continue;
            p[n] = (CaptureSignaturePoint) { x, y, pressure, (uint32_t) t, button != 0 };
            n++;
          }
        CaptureFeedback feedback;
        capture_feedback_init (&feedback);
        g_assert_cmpint (capture_signature_check (p, n, &tablet, &feedback), ==, CAPTURE_OK);
        g_assert_true (capture_feedback_passed (&feedback));
        CaptureImage image;
        g_assert_cmpint (capture_signature_render (p, n, &tablet, &image), ==, CAPTURE_OK);
        g_assert_cmpuint (ink_pixels (&image), >, 2000);
        capture_image_clear (&image);
        /* the first half of a signature's points is still a signature,
         * its first twentieth is not */
        capture_feedback_init (&feedback);
        g_assert_cmpint (capture_signature_check (p, n / 20, &tablet, &feedback), ==, CAPTURE_OK);
        g_assert_nonnull (capture_feedback_find (&feedback, "signature.too_short"));
        g_free (p);
        checked++;
      }
  g_assert_cmpint (checked, >=, 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture/signature/good-signature-passes", test_good_signature_passes);
  g_test_add_func ("/capture/signature/type8-vectors", test_type8_vectors);
  g_test_add_func ("/capture/signature/rejects-empty", test_rejects_empty);
  g_test_add_func ("/capture/signature/rejects-too-short", test_rejects_too_short);
  g_test_add_func ("/capture/signature/rejects-out-of-box", test_rejects_out_of_box);
  g_test_add_func ("/capture/signature/rejects-bad-arguments", test_rejects_bad_arguments);
  g_test_add_func ("/capture/signature/svc2004", test_svc2004);
  return g_test_run ();
}
