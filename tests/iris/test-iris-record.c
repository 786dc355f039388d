/* ISO/IEC 19794-6:2011 records: round trip and rejection. */
#include <string.h>

#include "afis/afis-iris-record.h"
#include "iris-test-util.h"

typedef struct {
  uint8_t *crop;
  uint8_t *record;
  size_t size;
  AfisIrisRecordImage image;
} Fixture;

static void
fixture_make (Fixture *f)
{
  AfisIrisSegmentation s;
  AfisIrisReject reject;
  uint8_t *pixels = iris_test_synth (21, 0, NULL, 320, 280, NULL);
  size_t cap = 1 << 20;

  g_assert_cmpint (afis_iris_segment (pixels, 320, 280, 320, &s, &reject), ==, AFIS_OK);
  f->crop = g_malloc (cap);
  g_assert_cmpint (afis_iris_record_crop (pixels, 320, 280, 320, &s, f->crop, 16, &f->image), ==,
                   AFIS_ERROR_BUFFER_TOO_SMALL);
  g_assert_cmpint (afis_iris_record_crop (pixels, 320, 280, 320, &s, f->crop, cap, &f->image), ==,
                   AFIS_OK);
  f->image.eye = 1;
  f->image.quality = 77;
  AfisIrisRecordImage two[2] = { f->image, f->image };
  two[1].eye = 2;
  two[1].quality = 255;
  f->size = afis_iris_record_size (two, 2);
  f->record = g_malloc (f->size);
  size_t written = 0;
  g_assert_cmpint (afis_iris_record_write (two, 2, f->record, f->size - 1, &written), ==,
                   AFIS_ERROR_BUFFER_TOO_SMALL);
  g_assert_cmpint (afis_iris_record_write (two, 2, f->record, f->size, &written), ==, AFIS_OK);
  g_assert_cmpuint (written, ==, f->size);
  g_free (pixels);
}

static void
fixture_clear (Fixture *f)
{
  g_free (f->crop);
  g_free (f->record);
}

static void
test_roundtrip (void)
{
  Fixture f;
  AfisIrisRecordImage back[AFIS_IRIS_RECORD_MAX_IMAGES];
  size_t n = 0;

  fixture_make (&f);
  /* cropped and masked: iris centred, margins 0.6 R across, 0.2 R down */
  g_assert_cmpint (f.image.image_type, ==, AFIS_IRIS_IMAGE_TYPE_CROPPED_AND_MASKED);
  g_assert_cmpint (abs (f.image.width - (int) (1.6 * f.image.iris_diameter)), <=, 2);
  g_assert_cmpint (abs (f.image.height - (int) (1.2 * f.image.iris_diameter)), <=, 2);
  /* the corners are outside the iris: masked to the sclera grey */
  g_assert_cmpint (f.image.pixels[0], ==, 200);
  g_assert_cmpmem (f.record, 8, "IIR\0" "020\0", 8);
  g_assert_cmpint (afis_iris_record_read (f.record, f.size, back, &n), ==, AFIS_OK);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (back[0].eye, ==, 1);
  g_assert_cmpint (back[1].eye, ==, 2);
  g_assert_cmpint (back[0].quality, ==, 77);
  g_assert_cmpint (back[1].quality, ==, 255);
  g_assert_cmpint (back[0].width, ==, f.image.width);
  g_assert_cmpint (back[0].height, ==, f.image.height);
  g_assert_cmpint (back[0].iris_diameter, ==, f.image.iris_diameter);
  g_assert_cmpint (back[0].centre_x, ==, f.image.centre_x);
  g_assert_cmpmem (back[1].pixels, (gsize) f.image.width * f.image.height, f.image.pixels,
                   (gsize) f.image.width * f.image.height);
  fixture_clear (&f);
}

static void
test_rejects_malformed (void)
{
  Fixture f;
  AfisIrisRecordImage back[AFIS_IRIS_RECORD_MAX_IMAGES];
  size_t n = 77;

  fixture_make (&f);
  /* every truncation is refused */
  for (size_t len = 0; len < f.size; len += (len < 200 ? 1 : 997))
    g_assert_cmpint (afis_iris_record_read (f.record, len, back, &n), !=, AFIS_OK);
  g_assert_cmpuint (n, ==, 77);
  /* magic, version, stated length, representation count, image format */
  static const struct { size_t offset; uint8_t value; AfisStatus want; } cases[] = {
    { 0, 'X', AFIS_ERROR_MALFORMED_RECORD },
    { 5, '3', AFIS_ERROR_UNSUPPORTED },
    { 11, 0xFF, AFIS_ERROR_MALFORMED_RECORD },
    { 13, 9, AFIS_ERROR_CAPACITY },
    { 13, 0, AFIS_ERROR_MALFORMED_RECORD },
    { 16 + 28, 7, AFIS_ERROR_UNSUPPORTED },   /* image format of image 1 */
    { 16 + 26, 9, AFIS_ERROR_MALFORMED_RECORD }, /* eye label */
  };
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      uint8_t saved = f.record[cases[i].offset];
      f.record[cases[i].offset] = cases[i].value;
      g_assert_cmpint (afis_iris_record_read (f.record, f.size, back, &n), ==, cases[i].want);
      f.record[cases[i].offset] = saved;
    }
  g_assert_cmpint (afis_iris_record_read (f.record, f.size, back, &n), ==, AFIS_OK);
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/iris/record/roundtrip", test_roundtrip);
  g_test_add_func ("/iris/record/rejects-malformed", test_rejects_malformed);
  return g_test_run ();
}
