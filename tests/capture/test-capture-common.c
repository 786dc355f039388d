/* capture: the shared basics (images, feedback, JPEG). */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture-feedback.h"
#include "capture/capture-image.h"
#include "capture/capture-jpeg.h"

static void
fill_gradient (CaptureImage *image)
{
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width * image->channels; x++)
      capture_image_row (image, y)[x] = (uint8_t) ((x * 3 + y * 5) & 0xff);
}

static void
test_image_rejects_bad_dimensions (void)
{
  CaptureImage image = { 0 };
  g_assert_cmpint (capture_image_init (&image, 0, 10, 1), ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (capture_image_init (&image, 10, 10, 2), ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (capture_image_init (&image, 100000, 10, 1), ==, CAPTURE_ERROR_IMAGE_TOO_LARGE);
  g_assert_cmpint (capture_image_init (&image, 16000, 16000, 1), ==, CAPTURE_ERROR_IMAGE_TOO_LARGE);
  g_assert_null (image.pixels);
}

static void
test_image_to_gray (void)
{
  CaptureImage rgb, gray;
  g_assert_cmpint (capture_image_init (&rgb, 2, 1, 3), ==, CAPTURE_OK);
  uint8_t *p = capture_image_row (&rgb, 0);
  p[0] = 255; p[1] = 255; p[2] = 255; /* white */
  p[3] = 255; p[4] = 0; p[5] = 0;     /* red */
  g_assert_cmpint (capture_image_to_gray (&rgb, &gray), ==, CAPTURE_OK);
  g_assert_cmpint (gray.pixels[0], ==, 255);
  g_assert_cmpint (gray.pixels[1], ==, 76);
  capture_image_clear (&rgb);
  capture_image_clear (&gray);
}

static void
test_feedback_verdict (void)
{
  CaptureFeedback feedback;
  capture_feedback_init (&feedback);
  g_assert_true (capture_feedback_passed (&feedback));
  capture_feedback_add (&feedback, CAPTURE_SEVERITY_WARNING, "test.warn", "peringatan", "warning", 1.0);
  g_assert_true (capture_feedback_passed (&feedback));
  for (int i = 0; i < CAPTURE_FEEDBACK_MAX_ITEMS; i++)
    capture_feedback_add (&feedback, CAPTURE_SEVERITY_INFO, "test.info", "info", "info", i);
  /* the list is full: a failure must still fail the verdict */
  capture_feedback_add (&feedback, CAPTURE_SEVERITY_FAILURE, "test.fail", "gagal", "failed", 0);
  g_assert_false (capture_feedback_passed (&feedback));
  g_assert_nonnull (capture_feedback_find (&feedback, "test.warn"));
  g_assert_null (capture_feedback_find (&feedback, "test.fail"));
}

static void
test_jpeg_roundtrip (void)
{
  for (int channels = 1; channels <= 3; channels += 2)
    {
      CaptureImage image, back;
      g_assert_cmpint (capture_image_init (&image, 64, 48, channels), ==, CAPTURE_OK);
      fill_gradient (&image);
      uint8_t *data = NULL;
      size_t size = 0;
      g_assert_cmpint (capture_jpeg_encode (&image, 95, &data, &size), ==, CAPTURE_OK);
      g_assert_cmpint (capture_jpeg_decode (data, size, 0, &back), ==, CAPTURE_OK);
      g_assert_cmpint (back.width, ==, 64);
      g_assert_cmpint (back.height, ==, 48);
      g_assert_cmpint (back.channels, ==, channels);
      double err = 0;
      for (int y = 0; y < 48; y++)
        for (int x = 0; x < 64 * channels; x++)
          err += abs (capture_image_row (&image, y)[x] - capture_image_row (&back, y)[x]);
      g_assert_cmpfloat (err / (64 * 48 * channels), <, 6.0);
      free (data);
      capture_image_clear (&image);
      capture_image_clear (&back);
    }
}

static void
test_jpeg_budget (void)
{
  CaptureImage image;
  g_assert_cmpint (capture_image_init (&image, 200, 200, 3), ==, CAPTURE_OK);
  GRand *rand = g_rand_new_with_seed (7);
  for (size_t i = 0; i < 200 * 200 * 3; i++)
    image.pixels[i] = (uint8_t) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  uint8_t *data = NULL;
  size_t size = 0;
  int quality = 0;
  g_assert_cmpint (capture_jpeg_encode_budget (&image, 20000, 10, 95, &data, &size, &quality), ==, CAPTURE_OK);
  g_assert_cmpuint (size, <=, 20000);
  g_assert_cmpint (quality, >=, 10);
  free (data);
  data = NULL;
  g_assert_cmpint (capture_jpeg_encode_budget (&image, 100, 10, 95, &data, &size, &quality), ==, CAPTURE_ERROR_SIZE_BUDGET);
  g_assert_null (data);
  capture_image_clear (&image);
}

static void
test_jpeg_rejects_truncated (void)
{
  CaptureImage image, back = { 0 };
  g_assert_cmpint (capture_image_init (&image, 64, 64, 1), ==, CAPTURE_OK);
  fill_gradient (&image);
  uint8_t *data = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_jpeg_encode (&image, 90, &data, &size), ==, CAPTURE_OK);
  g_assert_cmpint (capture_jpeg_decode (data, size / 2, 0, &back), ==, CAPTURE_ERROR_MALFORMED_DATA);
  g_assert_cmpint (capture_jpeg_decode (data, 3, 0, &back), ==, CAPTURE_ERROR_MALFORMED_DATA);
  g_assert_cmpint (capture_jpeg_decode (data, 0, 0, &back), ==, CAPTURE_ERROR_MALFORMED_DATA);
  g_assert_null (back.pixels);
  free (data);
  capture_image_clear (&image);
}

static void
test_jpeg_rejects_huge_dimensions (void)
{
  CaptureImage image, back = { 0 };
  g_assert_cmpint (capture_image_init (&image, 16, 16, 1), ==, CAPTURE_OK);
  uint8_t *data = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_jpeg_encode (&image, 90, &data, &size), ==, CAPTURE_OK);
  /* patch the frame header (SOF0: FF C0 len P Y X) to 60000 x 60000 */
  size_t sof = 0;
  for (size_t i = 2; i + 9 < size && sof == 0; i++)
    if (data[i] == 0xff && data[i + 1] == 0xc0)
      sof = i;
  g_assert_cmpuint (sof, >, 0);
  data[sof + 5] = 0xea;
  data[sof + 6] = 0x60;
  data[sof + 7] = 0xea;
  data[sof + 8] = 0x60;
  g_assert_cmpint (capture_jpeg_decode (data, size, 0, &back), ==, CAPTURE_ERROR_IMAGE_TOO_LARGE);
  /* and zero height is malformed */
  data[sof + 5] = 0;
  data[sof + 6] = 0;
  CaptureStatus status = capture_jpeg_decode (data, size, 0, &back);
  g_assert_cmpint (status, !=, CAPTURE_OK);
  g_assert_null (back.pixels);
  free (data);
  capture_image_clear (&image);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture/image/rejects-bad-dimensions", test_image_rejects_bad_dimensions);
  g_test_add_func ("/capture/image/to-gray", test_image_to_gray);
  g_test_add_func ("/capture/feedback/verdict", test_feedback_verdict);
  g_test_add_func ("/capture/jpeg/roundtrip", test_jpeg_roundtrip);
  g_test_add_func ("/capture/jpeg/budget", test_jpeg_budget);
  g_test_add_func ("/capture/jpeg/rejects-truncated", test_jpeg_rejects_truncated);
  g_test_add_func ("/capture/jpeg/rejects-huge-dimensions", test_jpeg_rejects_huge_dimensions);
  return g_test_run ();
}
