/* capture: the ISO/IEC 19794-5:2005 face record writer and reader. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture-iso19794-5.h"

/* A minimal JPEG-looking payload: the reader checks only the SOI marker;
 * decoding the image is the JPEG codec's job. */
static const uint8_t jpeg_stub[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F',
                                     'I', 'F', 0x00, 0x01, 0xFF, 0xD9 };

static void
make_image (CaptureIso19794_5Image *image)
{
  capture_iso19794_5_image_init (image);
  image->width = 480;
  image->height = 640;
  image->face_image_type = CAPTURE_ISO19794_5_TYPE_TOKEN_FRONTAL;
  image->source_type = CAPTURE_ISO19794_5_SOURCE_DIGITAL_VIDEO;
  image->gender = 2;
  image->feature_mask = 0x000101;
  image->pose[2] = 91; /* roll 0 */
  image->quality = 77;
  image->data = jpeg_stub;
  image->data_size = sizeof jpeg_stub;
  capture_iso19794_5_image_set_token_eyes (image);
}

static void
write_record (uint8_t **ret_data, size_t *ret_size)
{
  CaptureIso19794_5Image image;
  make_image (&image);
  g_assert_cmpint (capture_iso19794_5_write (&image, 1, ret_data, ret_size), ==,
                   CAPTURE_OK);
}

static void
test_round_trip (void)
{
  uint8_t *data;
  size_t size;
  write_record (&data, &size);
  g_assert_cmpuint (size, ==, 14 + 20 + 2 * 8 + 12 + sizeof jpeg_stub);
  g_assert_cmpmem (data, 8, "FAC\0" "010\0", 8);
  CaptureIso19794_5Image images[2];
  size_t n = 0;
  const char *reason = NULL;
  g_assert_cmpint (capture_iso19794_5_read (data, size, images, 2, &n, &reason), ==,
                   CAPTURE_OK);
  g_assert_cmpuint (n, ==, 1);
  const CaptureIso19794_5Image *image = &images[0];
  g_assert_cmpuint (image->width, ==, 480);
  g_assert_cmpuint (image->height, ==, 640);
  g_assert_cmpuint (image->face_image_type, ==, CAPTURE_ISO19794_5_TYPE_TOKEN_FRONTAL);
  g_assert_cmpuint (image->source_type, ==, CAPTURE_ISO19794_5_SOURCE_DIGITAL_VIDEO);
  g_assert_cmpuint (image->gender, ==, 2);
  g_assert_cmpuint (image->feature_mask, ==, 0x000101);
  g_assert_cmpuint (image->pose[2], ==, 91);
  g_assert_cmpuint (image->quality, ==, 77);
  g_assert_cmpuint (image->n_points, ==, 2);
  /* eye centres where token geometry puts them: 0.6 W down, W/4 apart */
  g_assert_cmpuint (image->points[0].major, ==, 12);
  g_assert_cmpuint (image->points[0].minor, ==, 1);
  g_assert_cmpuint (image->points[0].x, ==, 300);
  g_assert_cmpuint (image->points[1].x, ==, 180);
  g_assert_cmpuint (image->points[1].y, ==, 288);
  g_assert_cmpmem (image->data, image->data_size, jpeg_stub, sizeof jpeg_stub);
  /* the image points into the caller's buffer */
  g_assert_true (image->data >= data && image->data + image->data_size == data + size);
  free (data);
}

static void
test_two_images (void)
{
  CaptureIso19794_5Image in[2], out[2];
  make_image (&in[0]);
  make_image (&in[1]);
  in[1].n_points = 0;
  in[1].width = 240;
  uint8_t *data;
  size_t size, n = 0;
  g_assert_cmpint (capture_iso19794_5_write (in, 2, &data, &size), ==, CAPTURE_OK);
  g_assert_cmpint (capture_iso19794_5_read (data, size, out, 2, &n, NULL), ==, CAPTURE_OK);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (out[1].width, ==, 240);
  g_assert_cmpuint (out[1].n_points, ==, 0);
  /* a caller with room for one image gets CAPACITY, its array untouched */
  memset (out, 0xAB, sizeof out[0]);
  g_assert_cmpint (capture_iso19794_5_read (data, size, out, 1, &n, NULL), ==,
                   CAPTURE_ERROR_CAPACITY);
  g_assert_cmpuint (out[0].width, ==, 0xABAB);
  free (data);
}

static void
test_writer_rejects_bad_images (void)
{
  CaptureIso19794_5Image image;
  uint8_t *data = NULL;
  size_t size = 0;
  make_image (&image);
  image.data = NULL;
  g_assert_cmpint (capture_iso19794_5_write (&image, 1, &data, &size), ==,
                   CAPTURE_ERROR_INVALID_ARGUMENT);
  make_image (&image);
  image.width = 0;
  g_assert_cmpint (capture_iso19794_5_write (&image, 1, &data, &size), ==,
                   CAPTURE_ERROR_INVALID_ARGUMENT);
  make_image (&image);
  image.points[0].minor = 16;
  g_assert_cmpint (capture_iso19794_5_write (&image, 1, &data, &size), ==,
                   CAPTURE_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (capture_iso19794_5_write (&image, 0, &data, &size), ==,
                   CAPTURE_ERROR_INVALID_ARGUMENT);
  g_assert_null (data);
}

/* Reads a corrupted copy and expects @status with a reason. */
static void
expect_rejected (const uint8_t *data, size_t size, CaptureStatus status)
{
  CaptureIso19794_5Image images[2];
  size_t n = 12345;
  const char *reason = NULL;
  g_assert_cmpint (capture_iso19794_5_read (data, size, images, 2, &n, &reason), ==, status);
  g_assert_nonnull (reason);
  g_assert_cmpuint (n, ==, 12345);
}

static void
test_reader_rejects_malformed (void)
{
  uint8_t *good;
  size_t size;
  write_record (&good, &size);
  uint8_t *bad = g_memdup2 (good, size);

  /* every truncation */
  for (size_t cut = 0; cut < size; cut++)
    expect_rejected (good, cut, CAPTURE_ERROR_MALFORMED_DATA);
  /* wrong magic */
  bad[0] = 'X';
  expect_rejected (bad, size, CAPTURE_ERROR_MALFORMED_DATA);
  memcpy (bad, good, size);
  /* another edition */
  bad[5] = '3';
  expect_rejected (bad, size, CAPTURE_ERROR_UNSUPPORTED);
  memcpy (bad, good, size);
  /* record length disagreeing with the data */
  bad[11] ^= 1;
  expect_rejected (bad, size, CAPTURE_ERROR_MALFORMED_DATA);
  memcpy (bad, good, size);
  /* no images */
  bad[13] = 0;
  expect_rejected (bad, size, CAPTURE_ERROR_MALFORMED_DATA);
  memcpy (bad, good, size);
  /* block length beyond the record */
  bad[14] = 0x7F;
  expect_rejected (bad, size, CAPTURE_ERROR_MALFORMED_DATA);
  memcpy (bad, good, size);
  /* block length too short for its own fields */
  bad[17] = 20;
  expect_rejected (bad, size, CAPTURE_ERROR_MALFORMED_DATA);
  memcpy (bad, good, size);
  /* a feature point claiming 65535 points */
  bad[18] = 0xFF;
  bad[19] = 0xFF;
  expect_rejected (bad, size, CAPTURE_ERROR_CAPACITY);
  memcpy (bad, good, size);
  /* a feature point outside the image (x of the first point) */
  bad[14 + 20 + 2] = 0xFF;
  expect_rejected (bad, size, CAPTURE_ERROR_MALFORMED_DATA);
  memcpy (bad, good, size);
  /* image data that is not a JPEG */
  bad[14 + 20 + 16 + 12] = 0x00;
  expect_rejected (bad, size, CAPTURE_ERROR_MALFORMED_DATA);
  memcpy (bad, good, size);
  /* unknown image data type */
  bad[14 + 20 + 16 + 1] = 9;
  expect_rejected (bad, size, CAPTURE_ERROR_MALFORMED_DATA);
  g_free (bad);
  free (good);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/face/iso19794-5/round-trip", test_round_trip);
  g_test_add_func ("/face/iso19794-5/two-images", test_two_images);
  g_test_add_func ("/face/iso19794-5/writer-rejects-bad-images", test_writer_rejects_bad_images);
  g_test_add_func ("/face/iso19794-5/reader-rejects-malformed", test_reader_rejects_malformed);
  return g_test_run ();
}
