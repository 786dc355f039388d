/* capture/iris: best frame per eye, feedback and the ISO 19794-6 record,
 * on afis's synthetic eyes (fixed seeds) and on CASIA-IrisV1 when
 * $REKAM_SHARED_DATA has it. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-iris-record.h"
#include "afis/afis-iris-synth.h"
#include "capture/capture-iris.h"

#define EYE_SEED 7

static void
synth (uint64_t capture_seed, const AfisIrisSynthOptions *options, int width, int height,
       CaptureImage *ret_frame)
{
  g_assert_cmpint (capture_image_init (ret_frame, width, height, 1), ==, CAPTURE_OK);
  g_assert_cmpint (afis_iris_synth_eye (EYE_SEED, capture_seed, options, width, height,
                                        ret_frame->pixels, NULL),
                   ==, AFIS_OK);
}

static CaptureFeedback
add (CaptureIrisSelector *selector, CaptureIrisEye eye, const CaptureImage *frame,
     CaptureIrisFrame *ret_frame)
{
  CaptureFeedback feedback;
  g_assert_cmpint (capture_iris_selector_add (selector, eye, frame, ret_frame, &feedback), ==,
                   CAPTURE_OK);
  return feedback;
}

static void
assert_fails_with (const CaptureFeedback *feedback, const char *code)
{
  const CaptureFeedbackItem *item = capture_feedback_find (feedback, code);
  if (item == NULL || item->severity != CAPTURE_SEVERITY_FAILURE)
    {
      for (size_t i = 0; i < feedback->n_items; i++)
        g_printerr ("  got %s\n", feedback->items[i].code);
      g_error ("expected failure %s", code);
    }
}

static void
test_best_frame_and_feedback (void)
{
  CaptureIrisSelector *selector;
  CaptureImage frame;
  CaptureIrisFrame result;
  CaptureFeedback feedback;
  g_assert_cmpint (capture_iris_selector_new (NULL, &selector), ==, CAPTURE_OK);
  g_assert_cmpint (capture_iris_selector_best (selector, CAPTURE_IRIS_EYE_RIGHT, NULL, NULL),
                   ==, CAPTURE_ERROR_NOT_FOUND);

  /* 0: heavy blur -> hold still, not kept */
  AfisIrisSynthOptions blur = { 0, 6.0f, 0 };
  synth (0, &blur, 640, 480, &frame);
  feedback = add (selector, CAPTURE_IRIS_EYE_RIGHT, &frame, &result);
  assert_fails_with (&feedback, "iris.hold_still");
  g_assert_false (result.best);
  capture_image_clear (&frame);

  /* 1: lids over most of the iris -> open wider */
  AfisIrisSynthOptions lids = { 0, 0, 0.8f };
  synth (0, &lids, 640, 480, &frame);
  feedback = add (selector, CAPTURE_IRIS_EYE_RIGHT, &frame, &result);
  assert_fails_with (&feedback, "iris.open_wider");
  capture_image_clear (&frame);

  /* a small frame: the iris is too small -> move closer (left eye: a
   * frame of another size would also count as the eye jumping) */
  synth (0, NULL, 200, 176, &frame);
  feedback = add (selector, CAPTURE_IRIS_EYE_LEFT, &frame, &result);
  assert_fails_with (&feedback, "iris.move_closer");
  capture_image_clear (&frame);

  /* 2: a clean frame is kept as the best */
  synth (0, NULL, 640, 480, &frame);
  feedback = add (selector, CAPTURE_IRIS_EYE_RIGHT, &frame, &result);
  g_assert_true (capture_feedback_passed (&feedback));
  g_assert_true (result.acceptable);
  g_assert_true (result.best);
  int clean_quality = result.quality;

  /* 3: the same eye jumping sideways by more than half a radius */
  CaptureImage moved;
  g_assert_cmpint (capture_image_init (&moved, 640, 480, 1), ==, CAPTURE_OK);
  int shift = (int) (result.iris_radius * 0.8);
  for (int y = 0; y < 480; y++)
    {
      memset (capture_image_row (&moved, y), capture_image_row (&frame, y)[0], 640);
      memcpy (capture_image_row (&moved, y) + shift, capture_image_row (&frame, y),
              (size_t) (640 - shift));
    }
  feedback = add (selector, CAPTURE_IRIS_EYE_RIGHT, &moved, &result);
  assert_fails_with (&feedback, "iris.hold_still");
  capture_image_clear (&moved);
  capture_image_clear (&frame);

  /* 4: a slightly blurred frame, acceptable but worse, does not replace */
  AfisIrisSynthOptions soft = { 0, 2.0f, 0 };
  synth (0, &soft, 640, 480, &frame);
  feedback = add (selector, CAPTURE_IRIS_EYE_RIGHT, &frame, &result);
  g_assert_false (result.best);
  capture_image_clear (&frame);

  int quality;
  size_t index;
  g_assert_cmpint (capture_iris_selector_best (selector, CAPTURE_IRIS_EYE_RIGHT, &quality, &index),
                   ==, CAPTURE_OK);
  g_assert_cmpuint (index, ==, 2);
  g_assert_cmpint (quality, ==, clean_quality);
  /* nothing acceptable for the left eye */
  g_assert_cmpint (capture_iris_selector_best (selector, CAPTURE_IRIS_EYE_LEFT, NULL, NULL), ==,
                   CAPTURE_ERROR_NOT_FOUND);
  capture_iris_selector_free (selector);
}

static void
test_record_round_trip (void)
{
  CaptureIrisSelector *selector;
  CaptureImage frame;
  CaptureIrisFrame result;
  g_assert_cmpint (capture_iris_selector_new (NULL, &selector), ==, CAPTURE_OK);
  uint8_t *record = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_iris_selector_write_record (selector, &record, &size), ==,
                   CAPTURE_ERROR_NOT_FOUND);
  synth (1, NULL, 640, 480, &frame);
  (void) add (selector, CAPTURE_IRIS_EYE_LEFT, &frame, &result);
  capture_image_clear (&frame);
  synth (2, NULL, 640, 480, &frame);
  (void) add (selector, CAPTURE_IRIS_EYE_RIGHT, &frame, &result);
  capture_image_clear (&frame);
  g_assert_cmpint (capture_iris_selector_write_record (selector, &record, &size), ==, CAPTURE_OK);
  AfisIrisRecordImage images[AFIS_IRIS_RECORD_MAX_IMAGES];
  size_t n = 0;
  g_assert_cmpint (afis_iris_record_read (record, size, images, &n), ==, AFIS_OK);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (images[0].eye, ==, CAPTURE_IRIS_EYE_RIGHT);
  g_assert_cmpuint (images[1].eye, ==, CAPTURE_IRIS_EYE_LEFT);
  g_assert_cmpuint (images[0].image_type, ==, AFIS_IRIS_IMAGE_TYPE_CROPPED_AND_MASKED);
  g_assert_cmpuint (images[0].quality, >=, 40);
  free (record);
  capture_iris_selector_free (selector);
}

static void
test_bad_inputs (void)
{
  CaptureIrisSelector *selector;
  CaptureIrisFrame result;
  CaptureFeedback feedback;
  CaptureImage empty = { 0 };
  g_assert_cmpint (capture_iris_selector_new (NULL, &selector), ==, CAPTURE_OK);
  g_assert_cmpint (capture_iris_selector_add (selector, CAPTURE_IRIS_EYE_LEFT, &empty, &result,
                                              &feedback),
                   ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  CaptureImage tiny;
  g_assert_cmpint (capture_image_init (&tiny, 40, 40, 1), ==, CAPTURE_OK);
  g_assert_cmpint (capture_iris_selector_add (selector, CAPTURE_IRIS_EYE_LEFT, &tiny, &result,
                                              &feedback),
                   ==, CAPTURE_ERROR_IMAGE_TOO_SMALL);
  g_assert_cmpint (capture_iris_selector_add (selector, 3, &tiny, &result, &feedback), ==,
                   CAPTURE_ERROR_INVALID_ARGUMENT);
  capture_image_clear (&tiny);
  capture_iris_selector_free (selector);
}

/* Minimal reader for CASIA's 8-bit BMPs (bottom-up rows, palette). */
static gboolean
load_bmp (const char *path, CaptureImage *ret_image)
{
  gchar *data = NULL;
  gsize size = 0;
  if (!g_file_get_contents (path, &data, &size, NULL) || size < 54)
    {
      g_free (data);
      return FALSE;
    }
  const guint8 *d = (const guint8 *) data;
  guint32 offset = d[10] | d[11] << 8 | d[12] << 16 | (guint32) d[13] << 24;
  int width = d[18] | d[19] << 8, height = d[22] | d[23] << 8;
  int bits = d[28];
  size_t row = ((size_t) width + 3) & ~(size_t) 3;
  g_assert_cmpint (bits, ==, 8);
  g_assert_cmpuint (offset + row * (size_t) height, <=, size);
  g_assert_cmpint (capture_image_init (ret_image, width, height, 1), ==, CAPTURE_OK);
  for (int y = 0; y < height; y++)
    memcpy (capture_image_row (ret_image, height - 1 - y), d + offset + row * (size_t) y,
            (size_t) width);
  g_free (data);
  return TRUE;
}

static void
test_casia_best_of_seven (void)
{
  const char *shared = g_getenv ("REKAM_SHARED_DATA");
  char *dir = g_build_filename (shared != NULL ? shared : "../shared/data", "iris",
                                "CASIA-IrisV1", "002", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("CASIA-IrisV1 not found under REKAM_SHARED_DATA");
      g_free (dir);
      return;
    }
  CaptureIrisSelector *selector;
  g_assert_cmpint (capture_iris_selector_new (NULL, &selector), ==, CAPTURE_OK);
  int best_quality = -1;
  size_t best_index = 0, n = 0;
  for (int session = 1; session <= 2; session++)
    for (int k = 1; k <= 4; k++)
      {
        char name[64];
        g_snprintf (name, sizeof name, "%d/002_%d_%d.bmp", session, session, k);
        char *path = g_build_filename (dir, name, NULL);
        CaptureImage frame;
        if (load_bmp (path, &frame))
          {
            CaptureIrisFrame result;
            CaptureFeedback feedback = add (selector, CAPTURE_IRIS_EYE_RIGHT, &frame, &result);
            (void) feedback;
            if (result.acceptable && result.quality > best_quality)
              {
                best_quality = result.quality;
                best_index = n;
              }
            n++;
            capture_image_clear (&frame);
          }
        g_free (path);
      }
  g_assert_cmpuint (n, ==, 7);
  int quality;
  size_t index;
  g_assert_cmpint (capture_iris_selector_best (selector, CAPTURE_IRIS_EYE_RIGHT, &quality, &index),
                   ==, CAPTURE_OK);
  g_assert_cmpint (quality, ==, best_quality);
  g_assert_cmpuint (index, ==, best_index);
  uint8_t *record = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_iris_selector_write_record (selector, &record, &size), ==, CAPTURE_OK);
  AfisIrisRecordImage images[AFIS_IRIS_RECORD_MAX_IMAGES];
  size_t count = 0;
  g_assert_cmpint (afis_iris_record_read (record, size, images, &count), ==, AFIS_OK);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (images[0].quality, ==, (guint) best_quality);
  free (record);
  capture_iris_selector_free (selector);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/iris/frames/best-frame-and-feedback", test_best_frame_and_feedback);
  g_test_add_func ("/iris/frames/record-round-trip", test_record_round_trip);
  g_test_add_func ("/iris/frames/bad-inputs", test_bad_inputs);
  g_test_add_func ("/iris/frames/casia-best-of-seven", test_casia_best_of_seven);
  return g_test_run ();
}
