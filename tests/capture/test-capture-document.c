/* capture: document pages (blank check, page crop, deskew, PDF). */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture-cli-image.h"
#include "capture/capture-document.h"
#include "capture/capture-jpeg.h"
#include "capture/capture-pdf.h"

/* Loads a scan from the OCRmyPDF set, halved (box filter) to keep the
 * sanitizer run short. FALSE (and a skip) when the set is absent. */
static gboolean
load_scan (const char *name, CaptureImage *ret)
{
  const char *shared = g_getenv ("REKAM_SHARED_DATA");
  g_autofree char *path = g_build_filename (shared ? shared : "../shared/data", "documents",
                                            "ocrmypdf-scans", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("document scans absent (REKAM_SHARED_DATA/documents/ocrmypdf-scans)");
      return FALSE;
    }
  CaptureImage full;
  char reason[256];
  g_assert_cmpint (capture_cli_image_load (path, 1, &full, reason, sizeof reason), ==, 0);
  g_assert_cmpint (capture_image_init (ret, full.width / 2, full.height / 2, 1), ==, CAPTURE_OK);
  for (int y = 0; y < ret->height; y++)
    for (int x = 0; x < ret->width; x++)
      {
        const uint8_t *a = capture_image_row (&full, 2 * y) + 2 * x;
        const uint8_t *b = capture_image_row (&full, 2 * y + 1) + 2 * x;
        capture_image_row (ret, y)[x] = (uint8_t) ((a[0] + a[1] + b[0] + b[1] + 2) / 4);
      }
  capture_image_clear (&full);
  return TRUE;
}

static void
test_deskew (void)
{
  CaptureImage page;
  if (!load_scan ("typewriter.png", &page))
    return;
  CaptureDocumentAnalysis original;
  g_assert_cmpint (capture_document_analyse (&page, &original), ==, CAPTURE_OK);
  g_assert_false (original.blank);
  g_test_message ("typewriter: skew %.2f, ink %.3f", original.skew_degrees, original.ink_fraction);
  for (double turn = -6; turn <= 6; turn += 9)
    {
      CaptureImage rotated;
      g_assert_cmpint (capture_image_rotate (&page, turn, &rotated), ==, CAPTURE_OK);
      CaptureDocumentAnalysis a;
      g_assert_cmpint (capture_document_analyse (&rotated, &a), ==, CAPTURE_OK);
      g_test_message ("turned %.1f: measured %.2f", turn, a.skew_degrees);
      g_assert_cmpfloat (fabs (a.skew_degrees - (original.skew_degrees + turn)), <, 0.3);

      CaptureImage clean;
      CaptureFeedback feedback;
      capture_feedback_init (&feedback);
      g_assert_cmpint (capture_document_clean (&rotated, &clean, NULL, &feedback), ==, CAPTURE_OK);
      g_assert_true (capture_feedback_passed (&feedback));
      g_assert_nonnull (capture_feedback_find (&feedback, "document.skew"));
      g_assert_cmpint (capture_document_analyse (&clean, &a), ==, CAPTURE_OK);
      g_assert_cmpfloat (fabs (a.skew_degrees), <, 0.3);
      capture_image_clear (&clean);
      capture_image_clear (&rotated);
    }
  capture_image_clear (&page);
}

static void
test_crop_to_page (void)
{
  CaptureImage page;
  if (!load_scan ("linn.png", &page))
    return;
  /* the page on a dark scanner bed, 60 px right and 90 px down */
  CaptureImage scan;
  g_assert_cmpint (capture_image_init (&scan, page.width + 150, page.height + 200, 1), ==, CAPTURE_OK);
  memset (scan.pixels, 70, scan.stride * (size_t) scan.height);
  for (int y = 0; y < page.height; y++)
    memcpy (capture_image_row (&scan, y + 90) + 60, capture_image_row (&page, y), (size_t) page.width);
  CaptureDocumentAnalysis a;
  g_assert_cmpint (capture_document_analyse (&scan, &a), ==, CAPTURE_OK);
  g_assert_cmpint (abs (a.page_x - 60), <=, 3);
  g_assert_cmpint (abs (a.page_y - 90), <=, 3);
  g_assert_cmpint (abs (a.page_width - page.width), <=, 6);
  g_assert_cmpint (abs (a.page_height - page.height), <=, 6);
  CaptureImage clean;
  CaptureFeedback feedback;
  capture_feedback_init (&feedback);
  g_assert_cmpint (capture_document_clean (&scan, &clean, NULL, &feedback), ==, CAPTURE_OK);
  g_assert_cmpint (abs (clean.width - page.width), <=, 6);
  capture_image_clear (&clean);
  capture_image_clear (&scan);
  capture_image_clear (&page);
}

static void
test_blank_page (void)
{
  CaptureImage page;
  g_assert_cmpint (capture_image_init (&page, 1240, 1754, 3), ==, CAPTURE_OK);
  GRand *rand = g_rand_new_with_seed (11);
  /* off-white paper with grain and a few specks of dust */
  for (size_t i = 0; i < page.stride * (size_t) page.height; i++)
    page.pixels[i] = (uint8_t) g_rand_int_range (rand, 232, 250);
  for (int k = 0; k < 200; k++)
    {
      int x = g_rand_int_range (rand, 0, page.width), y = g_rand_int_range (rand, 0, page.height);
      memset (capture_image_row (&page, y) + 3 * x, 30, 3);
    }
  g_rand_free (rand);
  CaptureImage clean;
  CaptureFeedback feedback;
  capture_feedback_init (&feedback);
  CaptureDocumentAnalysis a;
  g_assert_cmpint (capture_document_clean (&page, &clean, &a, &feedback), ==, CAPTURE_OK);
  g_assert_true (a.blank);
  g_assert_nonnull (capture_feedback_find (&feedback, "document.blank"));
  g_assert_false (capture_feedback_passed (&feedback));
  g_assert_cmpint (clean.channels, ==, 3);
  capture_image_clear (&clean);
  /* one line of text is not blank */
  for (int y = 800; y < 830; y++)
    for (int x = 200; x < 1000; x++)
      if ((x / 9) % 2 == 0)
        memset (capture_image_row (&page, y) + 3 * x, 20, 3);
  g_assert_cmpint (capture_document_analyse (&page, &a), ==, CAPTURE_OK);
  g_assert_false (a.blank);
  capture_image_clear (&page);

  CaptureImage tiny;
  g_assert_cmpint (capture_image_init (&tiny, 8, 8, 1), ==, CAPTURE_OK);
  g_assert_cmpint (capture_document_analyse (&tiny, &a), ==, CAPTURE_ERROR_IMAGE_TOO_SMALL);
  capture_image_clear (&tiny);
}

static void
test_pdf (void)
{
  CapturePdf *pdf = NULL;
  g_assert_cmpint (capture_pdf_new (&pdf), ==, CAPTURE_OK);
  uint8_t *out = NULL;
  size_t out_size = 0;
  g_assert_cmpint (capture_pdf_finish (pdf, &out, &out_size), ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  for (int channels = 1; channels <= 3; channels += 2)
    {
      CaptureImage image;
      g_assert_cmpint (capture_image_init (&image, 850, 1100, channels), ==, CAPTURE_OK);
      for (size_t i = 0; i < image.stride * (size_t) image.height; i++)
        image.pixels[i] = (uint8_t) (i * 7 % 251);
      uint8_t *jpeg = NULL;
      size_t size = 0;
      g_assert_cmpint (capture_jpeg_encode (&image, 80, &jpeg, &size), ==, CAPTURE_OK);
      g_assert_cmpint (capture_pdf_add_jpeg_page (pdf, jpeg, size, 850, 1100, channels, 100), ==, CAPTURE_OK);
      g_assert_cmpint (capture_pdf_add_jpeg_page (pdf, (const uint8_t *) "nope", 4, 850, 1100, channels, 100),
                       ==, CAPTURE_ERROR_INVALID_ARGUMENT);
      free (jpeg);
      capture_image_clear (&image);
    }
  g_assert_cmpint (capture_pdf_finish (pdf, &out, &out_size), ==, CAPTURE_OK);
  capture_pdf_free (pdf);
  g_assert_true (memcmp (out, "%PDF-1.4", 8) == 0);
  g_assert_true (g_str_has_suffix ((const char *) out + out_size - 7, "%%EOF\n") || out[out_size - 1] == '\n');
  /* every xref entry points at its object */
  const char *xref = NULL;
  for (size_t i = out_size - 6; i > 0 && xref == NULL; i--)
    if (memcmp (out + i, "\nxref\n", 6) == 0)
      xref = (const char *) out + i;
  g_assert_nonnull (xref);
  const char *entry = strchr (strchr (xref + 6, '\n') + 1, '\n') + 1;
  for (int object = 1; object <= 8; object++, entry += 20)
    {
      size_t offset = strtoul (entry, NULL, 10);
      g_autofree char *expect = g_strdup_printf ("%d 0 obj", object);
      g_assert_true (strncmp ((const char *) out + offset, expect, strlen (expect)) == 0);
    }
  /* and a real PDF reader agrees, when poppler is installed */
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  if (pdfinfo != NULL)
    {
      g_autofree char *path = g_build_filename (g_get_tmp_dir (), "rekam-capture-test.pdf", NULL);
      g_assert_true (g_file_set_contents (path, (const char *) out, (gssize) out_size, NULL));
      g_autofree char *stdout_text = NULL;
      int status = 0;
      const char *argv[] = { pdfinfo, path, NULL };
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                   &stdout_text, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      const char *pages = strstr (stdout_text, "Pages:");
      g_assert_nonnull (pages);
      g_assert_cmpint (atoi (pages + 6), ==, 2);
      /* 850 x 1100 pixels at 100 dpi: US letter */
      g_assert_nonnull (strstr (stdout_text, "612 x 792 pts"));
      g_unlink (path);
    }
  free (out);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture/document/deskew", test_deskew);
  g_test_add_func ("/capture/document/crop-to-page", test_crop_to_page);
  g_test_add_func ("/capture/document/blank-page", test_blank_page);
  g_test_add_func ("/capture/document/pdf", test_pdf);
  return g_test_run ();
}
