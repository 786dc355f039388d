/* capture: the WSQ codec (round trip, file structure, bad input). */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture-cli-image.h"
#include "capture/capture-wsq.h"
#include "wsq/wsq-private.h"

/* A smooth fingerprint-like pattern (ridges ~9 px apart) with a little
 * fixed-seed noise. */
static void
make_print (CaptureImage *image, int width, int height, guint32 seed)
{
  g_assert_cmpint (capture_image_init (image, width, height, 1), ==, CAPTURE_OK);
  GRand *rand = g_rand_new_with_seed (seed);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double dx = x - width / 2.0, dy = y - height * 0.55;
        double r = hypot (dx, dy * 1.2);
        double ridge = sin (r / 1.45 + 0.8 * sin (x / 41.0));
        double mask = exp (-r * r / (2 * 0.3 * width * 0.3 * width));
        double v = 205 - 120 * mask * (0.5 + 0.5 * ridge) + g_rand_double_range (rand, -3, 3);
        capture_image_row (image, y)[x] = (uint8_t) CLAMP (v, 0, 255);
      }
  g_rand_free (rand);
}

static void
roundtrip (const CaptureImage *image, double bitrate, double *ret_psnr, double *ret_bpp)
{
  uint8_t *data = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_wsq_encode (image, bitrate, 500, &data, &size), ==, CAPTURE_OK);
  CaptureImage back;
  int ppi = 0;
  g_assert_cmpint (capture_wsq_decode (data, size, &back, &ppi), ==, CAPTURE_OK);
  g_assert_cmpint (ppi, ==, 500);
  g_assert_cmpint (back.width, ==, image->width);
  g_assert_cmpint (back.height, ==, image->height);
  *ret_psnr = capture_image_psnr (image, &back);
  *ret_bpp = size * 8.0 / ((double) image->width * image->height);
  capture_image_clear (&back);
  free (data);
}

static void
test_tree_covers_the_image (void)
{
  static const int sizes[][2] = { { 500, 500 }, { 388, 374 }, { 33, 47 }, { 32, 32 }, { 801, 750 } };
  for (size_t s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int w = sizes[s][0], h = sizes[s][1];
      WsqTree tree;
      wsq_tree_build (&tree, w, h);
      guint8 *cover = g_malloc0 ((size_t) w * h);
      for (int k = 0; k < WSQ_N_CODED; k++)
        {
          const WsqRect *r = &tree.subbands[k];
          g_assert_cmpint (r->x + r->width, <=, w);
          g_assert_cmpint (r->y + r->height, <=, h);
          for (int y = r->y; y < r->y + r->height; y++)
            for (int x = r->x; x < r->x + r->width; x++)
              cover[(size_t) y * w + x]++;
        }
      /* every sample outside the first level's diagonal band once */
      int first_w = (w + 1) / 2, first_h = (h + 1) / 2;
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          g_assert_cmpint (cover[(size_t) y * w + x], ==, (x >= first_w && y >= first_h) ? 0 : 1);
      g_free (cover);
    }
  /* the spec's layout for 500x500: the lowest four bands are 16x16 at
   * the origin, band 51 is the 125x125 diagonal of the second level */
  WsqTree tree;
  wsq_tree_build (&tree, 500, 500);
  g_assert_cmpint (tree.subbands[0].width, ==, 16);
  g_assert_cmpint (tree.subbands[3].x, ==, 16);
  g_assert_cmpint (tree.subbands[51].x, ==, 125);
  g_assert_cmpint (tree.subbands[51].width, ==, 125);
  g_assert_cmpint (tree.subbands[52].x, ==, 250);
  g_assert_cmpint (tree.subbands[59].y, ==, 375);
}

static void
test_transform_is_invertible (void)
{
  static const int sizes[][2] = { { 500, 500 }, { 101, 257 }, { 32, 33 } };
  for (size_t s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int w = sizes[s][0], h = sizes[s][1];
      WsqTree tree;
      WsqFilters filters;
      wsq_tree_build (&tree, w, h);
      wsq_filters_standard (&filters);
      float *plane = g_new (float, (size_t) w * h), *orig = g_new (float, (size_t) w * h);
      GRand *rand = g_rand_new_with_seed (3);
      for (size_t i = 0; i < (size_t) w * h; i++)
        orig[i] = plane[i] = (float) g_rand_double_range (rand, -128, 128);
      g_rand_free (rand);
      g_assert_true (wsq_transform_forward (plane, w, h, &tree, &filters));
      /* a real transform: the lowest band carries the energy */
      g_assert_cmpfloat (fabs (plane[0] - orig[0]), >, 1e-3);
      g_assert_true (wsq_transform_inverse (plane, w, h, &tree, &filters));
      for (size_t i = 0; i < (size_t) w * h; i++)
        g_assert_cmpfloat (fabs (plane[i] - orig[i]), <, 1e-3);
      g_free (plane);
      g_free (orig);
    }
}

static void
test_roundtrip_synthetic (void)
{
  CaptureImage image;
  make_print (&image, 500, 500, 1);
  double psnr_low, bpp_low, psnr_high, bpp_high;
  roundtrip (&image, 0.75, &psnr_low, &bpp_low);
  roundtrip (&image, 2.25, &psnr_high, &bpp_high);
  g_test_message ("synthetic 500x500: %.3f bpp %.2f dB; %.3f bpp %.2f dB", bpp_low,
                  psnr_low, bpp_high, psnr_high);
  g_assert_cmpfloat (psnr_low, >=, 30.0);
  g_assert_cmpfloat (bpp_low, <=, 0.80);
  g_assert_cmpfloat (bpp_low, >=, 0.25);
  /* more bits, better picture */
  g_assert_cmpfloat (bpp_high, >, 2 * bpp_low);
  g_assert_cmpfloat (psnr_high, >, psnr_low + 3.0);
  capture_image_clear (&image);
}

static void
test_roundtrip_fvc (void)
{
  const char *shared = g_getenv ("REKAM_SHARED_DATA");
  g_autofree char *dir = g_build_filename (shared ? shared : "../shared/data", "fingerprint", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("fingerprint data set absent (REKAM_SHARED_DATA/fingerprint)");
      return;
    }
  static const char *files[] = { "fvc2002_db1_b/101_1.tif", "fvc2002_db2_b/105_3.tif",
                                 "fvc2002_db3_b/108_2.tif", "fvc2002_db4_b/110_5.tif" };
  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      char reason[256];
      CaptureImage image;
      g_assert_cmpint (capture_cli_image_load (path, 1, &image, reason, sizeof reason), ==, 0);
      double psnr, bpp;
      roundtrip (&image, 0.75, &psnr, &bpp);
      g_test_message ("%s: %.3f bpp, PSNR %.2f dB", files[i], bpp, psnr);
      /* NBIS-class encoders land at 26-36 dB on these sets at 0.75 bpp */
      g_assert_cmpfloat (psnr, >=, 26.0);
      g_assert_cmpfloat (bpp, <=, 0.80);
      capture_image_clear (&image);
    }
}

/* Walks the markers of an encoded file. */
static void
test_file_structure (void)
{
  CaptureImage image;
  make_print (&image, 120, 100, 2);
  uint8_t *data = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_wsq_encode (&image, 0.75, 500, &data, &size), ==, CAPTURE_OK);
  static const unsigned expected[] = { WSQ_MARKER_SOI, WSQ_MARKER_COM, WSQ_MARKER_DTT,
                                       WSQ_MARKER_DQT, WSQ_MARKER_SOF, WSQ_MARKER_DHT,
                                       WSQ_MARKER_SOB, WSQ_MARKER_DHT, WSQ_MARKER_SOB,
                                       WSQ_MARKER_SOB, WSQ_MARKER_EOI };
  size_t pos = 0, n = 0;
  while (pos + 1 < size && n < G_N_ELEMENTS (expected))
    {
      unsigned marker = (unsigned) data[pos] << 8 | data[pos + 1];
      g_assert_cmphex (marker, ==, expected[n]);
      n++;
      pos += 2;
      if (marker == WSQ_MARKER_SOI || marker == WSQ_MARKER_EOI)
        continue;
      unsigned length = (unsigned) data[pos] << 8 | data[pos + 1];
      const uint8_t *seg = data + pos + 2;
      if (marker == WSQ_MARKER_DTT)
        {
          g_assert_cmpuint (length, ==, 58);
          g_assert_cmpuint (seg[0], ==, 9);
          g_assert_cmpuint (seg[1], ==, 7);
          /* centre tap of the low-pass: sign 0, value / 10^exponent */
          double c = (seg[4] << 24 | seg[5] << 16 | seg[6] << 8 | seg[7]) / pow (10, seg[3]);
          g_assert_cmpfloat (fabs (c - 0.852698679009), <, 1e-8);
        }
      if (marker == WSQ_MARKER_DQT)
        {
          g_assert_cmpuint (length, ==, 389);
          double c = (seg[1] << 8 | seg[2]) / pow (10, seg[0]);
          g_assert_cmpfloat (fabs (c - 0.44), <, 1e-9);
          /* subbands 60..63 are never transmitted */
          for (int k = 60; k < 64; k++)
            g_assert_cmpuint (seg[3 + 6 * k + 1] | seg[3 + 6 * k + 2], ==, 0);
        }
      if (marker == WSQ_MARKER_SOF)
        {
          g_assert_cmpuint (length, ==, 17);
          g_assert_cmpuint (seg[2] << 8 | seg[3], ==, 100);  /* height first */
          g_assert_cmpuint (seg[4] << 8 | seg[5], ==, 120);
        }
      if (marker == WSQ_MARKER_COM)
        g_assert_true (memcmp (seg, "NIST_COM", 8) == 0);
      pos += length;
      if (marker == WSQ_MARKER_SOB)
        {
          /* skip entropy-coded bytes up to the next marker */
          while (pos + 1 < size && !(data[pos] == 0xff && data[pos + 1] != 0))
            pos += data[pos] == 0xff ? 2 : 1;
        }
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (pos, ==, size);
  free (data);
  capture_image_clear (&image);
}

static void
test_encoder_rejects_bad_images (void)
{
  CaptureImage image = { 0 };
  uint8_t *data = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_wsq_encode (&image, 0.75, 500, &data, &size), ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (capture_image_init (&image, 16, 16, 1), ==, CAPTURE_OK);
  g_assert_cmpint (capture_wsq_encode (&image, 0.75, 500, &data, &size), ==, CAPTURE_ERROR_IMAGE_TOO_SMALL);
  capture_image_clear (&image);
  g_assert_cmpint (capture_image_init (&image, 64, 64, 3), ==, CAPTURE_OK);
  g_assert_cmpint (capture_wsq_encode (&image, 0.75, 500, &data, &size), ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  capture_image_clear (&image);
  g_assert_cmpint (capture_image_init (&image, 9000, 40, 1), ==, CAPTURE_OK);
  g_assert_cmpint (capture_wsq_encode (&image, 0.75, 500, &data, &size), ==, CAPTURE_ERROR_IMAGE_TOO_LARGE);
  capture_image_clear (&image);
  g_assert_cmpint (capture_image_init (&image, 64, 64, 1), ==, CAPTURE_OK);
  g_assert_cmpint (capture_wsq_encode (&image, 0.0, 500, &data, &size), ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  /* a flat image is fine */
  g_assert_cmpint (capture_wsq_encode (&image, 0.75, 500, &data, &size), ==, CAPTURE_OK);
  CaptureImage back;
  g_assert_cmpint (capture_wsq_decode (data, size, &back, NULL), ==, CAPTURE_OK);
  g_assert_cmpfloat (capture_image_psnr (&image, &back), >, 40);
  capture_image_clear (&back);
  free (data);
  g_assert_null (NULL);
  capture_image_clear (&image);
}

static void
test_decoder_rejects_truncated (void)
{
  CaptureImage image;
  make_print (&image, 64, 64, 3);
  uint8_t *data = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_wsq_encode (&image, 0.75, 500, &data, &size), ==, CAPTURE_OK);
  for (size_t cut = 0; cut < size; cut++)
    {
      CaptureImage back = { 0 };
      int ppi = 12345;
      CaptureStatus status = capture_wsq_decode (data, cut, &back, &ppi);
      g_assert_cmpint (status, !=, CAPTURE_OK);
      g_assert_null (back.pixels);
      g_assert_cmpint (ppi, ==, 12345);   /* untouched on failure */
    }
  free (data);
  capture_image_clear (&image);
}

/* Returns the offset of the first segment with @marker. */
static size_t
find_marker (const uint8_t *data, size_t size, unsigned marker)
{
  for (size_t i = 0; i + 1 < size; i++)
    if (data[i] == 0xff && data[i + 1] == (marker & 0xff))
      return i;
  g_assert_not_reached ();
}

static void
test_decoder_rejects_bad_headers (void)
{
  CaptureImage image;
  make_print (&image, 64, 64, 4);
  uint8_t *data = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_wsq_encode (&image, 0.75, 500, &data, &size), ==, CAPTURE_OK);
  uint8_t *copy = g_memdup2 (data, size);
  CaptureImage back = { 0 };

  /* huge dimensions */
  size_t sof = find_marker (data, size, WSQ_MARKER_SOF);
  copy[sof + 8] = 0xea;
  copy[sof + 9] = 0x60;   /* width 60000 */
  g_assert_cmpint (capture_wsq_decode (copy, size, &back, NULL), ==, CAPTURE_ERROR_IMAGE_TOO_LARGE);
  /* zero size */
  copy[sof + 8] = 0;
  copy[sof + 9] = 0;
  g_assert_cmpint (capture_wsq_decode (copy, size, &back, NULL), ==, CAPTURE_ERROR_MALFORMED_DATA);
  memcpy (copy, data, size);

  /* a block naming an undefined table */
  size_t sob = find_marker (data, size, WSQ_MARKER_SOB);
  copy[sob + 4] = 5;
  g_assert_cmpint (capture_wsq_decode (copy, size, &back, NULL), ==, CAPTURE_ERROR_MALFORMED_DATA);
  copy[sob + 4] = 200;
  g_assert_cmpint (capture_wsq_decode (copy, size, &back, NULL), ==, CAPTURE_ERROR_MALFORMED_DATA);
  memcpy (copy, data, size);

  /* a zero-length filter, then an even one */
  size_t dtt = find_marker (data, size, WSQ_MARKER_DTT);
  copy[dtt + 4] = 0;
  g_assert_cmpint (capture_wsq_decode (copy, size, &back, NULL), ==, CAPTURE_ERROR_MALFORMED_DATA);
  copy[dtt + 4] = 8;
  g_assert_cmpint (capture_wsq_decode (copy, size, &back, NULL), ==, CAPTURE_ERROR_UNSUPPORTED);
  memcpy (copy, data, size);

  /* not WSQ at all */
  g_assert_cmpint (capture_wsq_decode ((const uint8_t *) "\xff\xd8\xff\xe0", 4, &back, NULL), ==,
                   CAPTURE_ERROR_MALFORMED_DATA);
  g_assert_cmpint (capture_wsq_decode (data, 0, &back, NULL), ==, CAPTURE_ERROR_MALFORMED_DATA);
  g_assert_null (back.pixels);

  /* fill bytes before a marker are legal */
  uint8_t *filled = g_malloc (size + 3);
  memcpy (filled, data, sof);
  memset (filled + sof, 0xff, 3);
  memcpy (filled + sof + 3, data + sof, size - sof);
  g_assert_cmpint (capture_wsq_decode (filled, size + 3, &back, NULL), ==, CAPTURE_OK);
  capture_image_clear (&back);
  g_free (filled);
  g_free (copy);
  free (data);
  capture_image_clear (&image);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture/wsq/tree-covers-the-image", test_tree_covers_the_image);
  g_test_add_func ("/capture/wsq/transform-is-invertible", test_transform_is_invertible);
  g_test_add_func ("/capture/wsq/roundtrip-synthetic", test_roundtrip_synthetic);
  g_test_add_func ("/capture/wsq/roundtrip-fvc", test_roundtrip_fvc);
  g_test_add_func ("/capture/wsq/file-structure", test_file_structure);
  g_test_add_func ("/capture/wsq/encoder-rejects-bad-images", test_encoder_rejects_bad_images);
  g_test_add_func ("/capture/wsq/decoder-rejects-truncated", test_decoder_rejects_truncated);
  g_test_add_func ("/capture/wsq/decoder-rejects-bad-headers", test_decoder_rejects_bad_headers);
  return g_test_run ();
}
