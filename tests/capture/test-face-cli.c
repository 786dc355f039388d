/* rekam-capture face: the command line over the face pipeline, run as a
 * subprocess ($REKAM_BUILD_DIR/capture/rekam-capture). */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "afis/afis-iris-record.h"
#include "afis/afis-iris-synth.h"
#include "capture/capture-iso19794-5.h"
#include "capture/capture-jpeg.h"
#include "face-test-util.h"

static char *tool;
static char *tmp_dir;

static const uint8_t RED[3] = { 190, 30, 40 };

/* Runs the tool with @args (NULL-terminated, after the tool's name);
 * returns the exit status and the captured stdout (caller frees). */
static int
run (char **ret_stdout, const char *first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, tool);
  va_list ap;
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  char *out = NULL, *err = NULL;
  int wait_status = 0;
  GError *error = NULL;
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                     &err, &wait_status, &error))
    g_error ("cannot run %s: %s", tool, error->message);
  g_ptr_array_free (argv, TRUE);
  g_test_message ("stderr: %s", err);
  g_free (err);
  *ret_stdout = out;
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static char *
write_temp (const char *name, const void *data, size_t size)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_assert_true (g_file_set_contents (path, data, (gssize) size, NULL));
  return path;
}

/* A small JPEG without a face (gradient), for the error paths. */
static void
gradient_jpeg (uint8_t **ret_data, size_t *ret_size)
{
  CaptureImage image;
  g_assert_cmpint (capture_image_init (&image, 200, 150, 3), ==, CAPTURE_OK);
  for (int y = 0; y < image.height; y++)
    for (int x = 0; x < image.width * 3; x++)
      capture_image_row (&image, y)[x] = (uint8_t) (x + y);
  g_assert_cmpint (capture_jpeg_encode (&image, 90, ret_data, ret_size), ==, CAPTURE_OK);
  capture_image_clear (&image);
}

static void
expect_error (const char *name, const void *data, size_t size, const char *phrase)
{
  char *path = write_temp (name, data, size);
  char *out = NULL;
  g_assert_cmpint (run (&out, "face", "check", path, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "\"error\":"));
  if (strstr (out, phrase) == NULL)
    g_error ("%s: expected '%s' in %s", name, phrase, out);
  g_free (out);
  g_unlink (path);
  g_free (path);
}

static void
test_bad_inputs (void)
{
  uint8_t *jpeg;
  size_t size;
  gradient_jpeg (&jpeg, &size);
  expect_error ("truncated.jpg", jpeg, size / 2, "truncated");
  expect_error ("empty.jpg", "", 0, "empty");
  /* a header claiming 60000 x 60000 pixels */
  for (size_t i = 2; i + 9 < size; i++)
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0)
      {
        jpeg[i + 5] = 0xEA;
        jpeg[i + 6] = 0x60;
        jpeg[i + 7] = 0xEA;
        jpeg[i + 8] = 0x60;
        break;
      }
  expect_error ("huge.jpg", jpeg, size, "too large");
  expect_error ("garbage.jpg", "not an image at all", 19, "cannot");
  free (jpeg);

  char *out = NULL;
  char *missing = g_build_filename (tmp_dir, "missing.jpg", NULL);
  g_assert_cmpint (run (&out, "face", "check", missing, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "\"error\":"));
  g_free (out);
  g_free (missing);
  g_assert_cmpint (run (&out, "face", "check", "--birth-year", "12", "x.jpg", NULL), ==, 2);
  g_free (out);
  g_assert_cmpint (run (&out, "face", "frobnicate", NULL), ==, 2);
  g_free (out);
  g_assert_cmpint (run (&out, "face", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "face check"));
  g_free (out);
}

static void
test_no_face_json (void)
{
  uint8_t *jpeg;
  size_t size;
  gradient_jpeg (&jpeg, &size);
  char *path = write_temp ("gradient.jpg", jpeg, size);
  free (jpeg);
  char *out = NULL;
  g_assert_cmpint (run (&out, "face", "check", "--birth-year", "1991", path, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "\"compliant\":false"));
  g_assert_nonnull (strstr (out, "\"failures\":[\"face.none\"]"));
  g_assert_nonnull (strstr (out, "Wajah tidak terdeteksi"));
  g_free (out);
  g_unlink (path);
  g_free (path);
}

/* London 003 on a painted red backdrop, as a JPEG file; NULL without the
 * data set. */
static char *
red_portrait (void)
{
  const char *shared = g_getenv ("REKAM_SHARED_DATA");
  char *source = g_build_filename (shared != NULL ? shared : "../shared/data", "face",
                                   "frl-london", "neutral", "003_03.jpg", NULL);
  if (!g_file_test (source, G_FILE_TEST_EXISTS))
    {
      g_free (source);
      return NULL;
    }
  CaptureImage image;
  face_test_load_jpeg (source, &image);
  g_free (source);
  face_test_replace_background (&image, 60, RED, 3, 7);
  uint8_t *jpeg;
  size_t size;
  g_assert_cmpint (capture_jpeg_encode (&image, 92, &jpeg, &size), ==, CAPTURE_OK);
  capture_image_clear (&image);
  char *path = write_temp ("red.jpg", jpeg, size);
  free (jpeg);
  return path;
}

static void
test_check_and_crop (void)
{
  char *portrait = red_portrait ();
  if (portrait == NULL)
    {
      g_test_skip ("face data set not found under REKAM_SHARED_DATA");
      return;
    }
  char *out = NULL;
  g_assert_cmpint (run (&out, "face", "check", "--birth-year", "1991", portrait, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"compliant\":true"));
  g_assert_nonnull (strstr (out, "\"colour\":\"red\""));
  g_assert_nonnull (strstr (out, "\"expected\":\"red\""));
  g_free (out);
  g_assert_cmpint (run (&out, "face", "check", "--birth-year", "1990", portrait, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "face.background_wrong_colour"));
  g_free (out);

  char *photo = g_build_filename (tmp_dir, "photo.jpg", NULL);
  char *record = g_build_filename (tmp_dir, "photo.fac", NULL);
  g_assert_cmpint (run (&out, "face", "crop", "--birth-year", "1991", "--max-bytes", "30000",
                        "--record", record, portrait, photo, NULL),
                   ==, 0);
  g_free (out);
  /* refused for the wrong year unless forced */
  char *refused = g_build_filename (tmp_dir, "refused.jpg", NULL);
  g_assert_cmpint (run (&out, "face", "crop", "--birth-year", "1990", portrait, refused, NULL),
                   ==, 1);
  g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));
  g_free (out);
  g_free (refused);

  gchar *jpeg = NULL, *fac = NULL;
  gsize jpeg_size = 0, fac_size = 0;
  g_assert_true (g_file_get_contents (photo, &jpeg, &jpeg_size, NULL));
  g_assert_true (g_file_get_contents (record, &fac, &fac_size, NULL));
  g_assert_cmpuint (jpeg_size, <=, 30000);
  CaptureImage decoded;
  g_assert_cmpint (capture_jpeg_decode ((const uint8_t *) jpeg, jpeg_size, 3, &decoded), ==,
                   CAPTURE_OK);
  g_assert_cmpint (decoded.width, ==, 480);
  g_assert_cmpint (decoded.height, ==, 640);
  capture_image_clear (&decoded);
  CaptureIso19794_5Image images[1];
  size_t n = 0;
  g_assert_cmpint (capture_iso19794_5_read ((const uint8_t *) fac, fac_size, images, 1, &n, NULL),
                   ==, CAPTURE_OK);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (images[0].face_image_type, ==, CAPTURE_ISO19794_5_TYPE_TOKEN_FRONTAL);
  g_assert_cmpmem (images[0].data, images[0].data_size, jpeg, jpeg_size);
  g_free (jpeg);
  g_free (fac);
  g_unlink (photo);
  g_unlink (record);
  g_unlink (portrait);
  g_free (photo);
  g_free (record);
  g_free (portrait);
}

/* Writes synthetic eye @capture_seed (afis's generator) as a binary PGM. */
static char *
eye_pgm (const char *name, uint64_t capture_seed, const AfisIrisSynthOptions *options)
{
  enum { W = 640, H = 480 };
  char header[32];
  int n = g_snprintf (header, sizeof header, "P5\n%d %d\n255\n", W, H);
  uint8_t *file = g_malloc ((size_t) n + W * H);
  memcpy (file, header, (size_t) n);
  g_assert_cmpint (afis_iris_synth_eye (3, capture_seed, options, W, H, file + n, NULL), ==,
                   AFIS_OK);
  char *path = write_temp (name, file, (size_t) n + W * H);
  g_free (file);
  return path;
}

static void
test_iris_select (void)
{
  AfisIrisSynthOptions blurred = { 0, 6.0f, 0 };
  char *bad = eye_pgm ("blurred.pgm", 0, &blurred);
  char *good = eye_pgm ("clean.pgm", 0, NULL);
  char *record = g_build_filename (tmp_dir, "eyes.iir", NULL);
  char *out = NULL;
  g_assert_cmpint (run (&out, "iris", "select", "--right", bad, good, "--record", record, NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "iris.hold_still"));
  char *best = g_strdup_printf ("\"best\":\"%s\"", good);
  g_assert_nonnull (strstr (out, best));
  g_free (best);
  g_free (out);
  gchar *data = NULL;
  gsize size = 0;
  g_assert_true (g_file_get_contents (record, &data, &size, NULL));
  AfisIrisRecordImage images[AFIS_IRIS_RECORD_MAX_IMAGES];
  size_t count = 0;
  g_assert_cmpint (afis_iris_record_read ((const uint8_t *) data, size, images, &count), ==,
                   AFIS_OK);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (images[0].eye, ==, 1);
  g_free (data);
  /* only a blurred frame for the left eye: no best, exit 1 */
  g_assert_cmpint (run (&out, "iris", "select", "--left", bad, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "\"best\":null"));
  g_free (out);
  g_assert_cmpint (run (&out, "iris", "select", NULL), ==, 2);
  g_free (out);
  g_unlink (record);
  g_unlink (bad);
  g_unlink (good);
  g_free (record);
  g_free (bad);
  g_free (good);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  const char *build = g_getenv ("REKAM_BUILD_DIR");
  tool = g_build_filename (build != NULL ? build : ".", "capture", "rekam-capture", NULL);
  if (!g_file_test (tool, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("SKIP: %s not built\n", tool);
      return 77;
    }
  if (!g_file_test ("/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml",
                    G_FILE_TEST_EXISTS) && g_getenv ("REKAM_CASCADE_DIR") == NULL)
    {
      g_printerr ("SKIP: OpenCV cascades not found (install opencv-data)\n");
      return 77;
    }
  tmp_dir = g_dir_make_tmp ("rekam-face-cli-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/face/cli/bad-inputs", test_bad_inputs);
  g_test_add_func ("/face/cli/no-face-json", test_no_face_json);
  g_test_add_func ("/face/cli/check-and-crop", test_check_and_crop);
  g_test_add_func ("/iris/cli/select", test_iris_select);
  int rc = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  g_free (tool);
  return rc;
}
