/* capture/face: the detector and the checks on public photos
 * ($REKAM_SHARED_DATA/face, see its README). Skips (77) when the data set
 * or the OpenCV cascades are absent.
 *
 * The London set's backdrop is light grey, so the e-KTP red and blue
 * backdrops are painted in by the test (flood fill from the border), and
 * every failure case is derived from one compliant frame: rotated,
 * shifted, shrunk, blurred, doubled, wrong colour. */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture-face.h"
#include "face-test-util.h"

#define LONDON "face/frl-london/neutral"

static char *data_dir;
static CaptureFaceChecker *checker;

static const uint8_t RED[3] = { 190, 30, 40 };
static const uint8_t BLUE[3] = { 40, 90, 200 };

static char *
data_path (const char *relative)
{
  return g_build_filename (data_dir, relative, NULL);
}

typedef struct {
  char file[64];
  double lx, ly, rx, ry, ied;
} EyeTruth;

/* Reads eyes.csv of @set; returns the number of rows (at most @max). */
static size_t
read_truth (const char *set, EyeTruth *rows, size_t max)
{
  char *relative = g_build_filename (set, "eyes.csv", NULL);
  char *path = data_path (relative);
  gchar *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  gchar **lines = g_strsplit (text, "\n", -1);
  size_t n = 0;
  for (size_t i = 1; lines[i] != NULL && n < max; i++)
    {
      int w, h, np;
      char idx[16];
      double roll;
      if (sscanf (lines[i], "%63[^,],%d,%d,%d,%15[^,],%lf,%lf,%lf,%lf,%lf,%lf",
                  rows[n].file, &w, &h, &np, idx, &rows[n].lx, &rows[n].ly,
                  &rows[n].rx, &rows[n].ry, &rows[n].ied, &roll) == 11)
        n++;
    }
  g_strfreev (lines);
  g_free (text);
  g_free (path);
  g_free (relative);
  return n;
}

static void
load (const char *relative, CaptureImage *ret_image)
{
  char *path = data_path (relative);
  face_test_load_jpeg (path, ret_image);
  g_free (path);
}

static CaptureFeedback
check (const CaptureImage *frame, int birth_year, CaptureFaceMeasures *ret_measures)
{
  CaptureFeedback feedback;
  g_assert_cmpint (capture_face_check (checker, frame, birth_year, ret_measures, &feedback),
                   ==, CAPTURE_OK);
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
test_eyes_within_tolerance (void)
{
  EyeTruth rows[64];
  size_t n = read_truth (LONDON, rows, G_N_ELEMENTS (rows));
  g_assert_cmpuint (n, >=, 50);
  double sum = 0, worst = 0;
  size_t used = 0;
  /* every fourth portrait: a fixed subset that keeps the test short */
  for (size_t i = 0; i < n; i += 4)
    {
      char relative[128];
      CaptureImage image;
      CaptureFaceMeasures m;
      g_snprintf (relative, sizeof relative, LONDON "/%s", rows[i].file);
      load (relative, &image);
      (void) check (&image, CAPTURE_FACE_NO_BIRTH_YEAR, &m);
      g_assert_cmpuint (m.n_faces, ==, 1);
      g_assert_true (m.eyes_found);
      double el = hypot (m.eye_left.x - rows[i].lx, m.eye_left.y - rows[i].ly) / rows[i].ied;
      double er = hypot (m.eye_right.x - rows[i].rx, m.eye_right.y - rows[i].ry) / rows[i].ied;
      g_test_message ("%s: eye errors %.3f %.3f of the eye distance", rows[i].file, el, er);
      sum += el + er;
      worst = MAX (worst, MAX (el, er));
      used++;
      capture_image_clear (&image);
    }
  double mean = sum / (2 * used);
  g_test_message ("eye error over %zu portraits: mean %.3f, worst %.3f", used, mean, worst);
  g_assert_cmpfloat (mean, <, 0.04);
  g_assert_cmpfloat (worst, <, 0.12);
}

static void
test_zoom_and_lisa_eyes (void)
{
  const char *sets[] = { "face/frl-zoom", "face/frl-lisa" };
  for (size_t s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      EyeTruth rows[8];
      size_t n = read_truth (sets[s], rows, G_N_ELEMENTS (rows));
      for (size_t i = 0; i < n; i++)
        {
          char relative[128];
          CaptureImage image;
          CaptureFaceMeasures m;
          g_snprintf (relative, sizeof relative, "%s/%s", sets[s], rows[i].file);
          load (relative, &image);
          (void) check (&image, CAPTURE_FACE_NO_BIRTH_YEAR, &m);
          g_assert_cmpuint (m.n_faces, ==, 1);
          g_assert_true (m.eyes_found);
          double el = hypot (m.eye_left.x - rows[i].lx, m.eye_left.y - rows[i].ly);
          double er = hypot (m.eye_right.x - rows[i].rx, m.eye_right.y - rows[i].ry);
          g_test_message ("%s: %.3f %.3f", relative, el / rows[i].ied, er / rows[i].ied);
          g_assert_cmpfloat (el / rows[i].ied, <, 0.2);
          g_assert_cmpfloat (er / rows[i].ied, <, 0.2);
          capture_image_clear (&image);
        }
    }
}

static void
test_no_face (void)
{
  /* every Pixabay negative, the dogs and the ice block: none may pass or
   * yield eyes; nearly all must say "no face" (a cascade may see a face
   * in an animal, as it does in the fox, which then fails on its eyes) */
  const char *extra[] = { "face/debian-samples/dlib-faces/dogs.jpg",
                          "face/debian-samples/facedetect/640px-IceBlockNearJoekullsarlon.jpg" };
  char *dir = data_path ("face/pixabay-noface");
  GDir *listing = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (listing);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".jpg"))
      g_ptr_array_add (files, g_build_filename ("face/pixabay-noface", name, NULL));
  g_dir_close (listing);
  g_free (dir);
  for (size_t i = 0; i < G_N_ELEMENTS (extra); i++)
    g_ptr_array_add (files, g_strdup (extra[i]));
  g_assert_cmpuint (files->len, >=, 20);
  size_t none = 0;
  for (guint i = 0; i < files->len; i++)
    {
      CaptureImage image;
      CaptureFaceMeasures m;
      load (files->pdata[i], &image);
      CaptureFeedback feedback = check (&image, 1991, &m);
      g_assert_false (m.compliant);
      g_assert_false (m.eyes_found && m.n_faces == 1);
      if (capture_feedback_find (&feedback, "face.none") != NULL)
        none++;
      else
        g_test_message ("%s: a face-like pattern (%zu)", (char *) files->pdata[i], m.n_faces);
      capture_image_clear (&image);
    }
  g_test_message ("no face said for %zu of %u negatives", none, files->len);
  g_assert_cmpuint (none * 10, >=, files->len * 9);
  g_ptr_array_unref (files);
}

static void
test_group_photos (void)
{
  const char *files[] = { "face/debian-samples/dlib-faces/2008_002506.jpg",
                          "face/debian-samples/dlib-faces/2008_004176.jpg",
                          "face/debian-samples/dlib-faces/2009_004587.jpg" };
  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      CaptureImage image;
      CaptureFaceMeasures m;
      load (files[i], &image);
      CaptureFeedback feedback = check (&image, 1991, &m);
      assert_fails_with (&feedback, "face.multiple");
      g_assert_cmpuint (m.n_faces, >=, 2);
      capture_image_clear (&image);
    }
}

/* London 003: the most level of the set (roll -0.3 deg), on a painted
 * backdrop of @colour. */
static void
load_compliant (const uint8_t *colour, CaptureImage *ret_image)
{
  load (LONDON "/003_03.jpg", ret_image);
  face_test_replace_background (ret_image, 60, colour, 3, 7);
}

static void
test_compliant_and_wrong_colour (void)
{
  CaptureImage image;
  CaptureFaceMeasures m;
  load_compliant (RED, &image);
  CaptureFeedback feedback = check (&image, 1991, &m);
  for (size_t i = 0; i < feedback.n_items; i++)
    g_test_message ("%s %g", feedback.items[i].code, feedback.items[i].value);
  g_assert_true (m.compliant);
  g_assert_cmpint (m.background, ==, CAPTURE_BACKGROUND_RED);
  feedback = check (&image, 1990, &m);
  assert_fails_with (&feedback, "face.background_wrong_colour");
  capture_image_clear (&image);

  load_compliant (BLUE, &image);
  feedback = check (&image, 1990, &m);
  g_assert_true (m.compliant);
  feedback = check (&image, 1991, &m);
  assert_fails_with (&feedback, "face.background_wrong_colour");
  capture_image_clear (&image);

  /* as shot: light grey is neither colour */
  load (LONDON "/003_03.jpg", &image);
  feedback = check (&image, 1991, &m);
  assert_fails_with (&feedback, "face.background_wrong_colour");
  capture_image_clear (&image);
}

static void
test_rotated (void)
{
  CaptureImage image, rotated;
  CaptureFaceMeasures m;
  load_compliant (RED, &image);
  face_test_transform (&image, 14.0, 1.0, image.width / 2.0, image.height / 2.0, 0, 0,
                       RED, &rotated);
  CaptureFeedback feedback = check (&rotated, 1991, &m);
  assert_fails_with (&feedback, "face.roll");
  g_assert_cmpfloat (fabs (m.roll_deg - 14.0), <, 4.0);
  capture_image_clear (&rotated);
  capture_image_clear (&image);
}

static void
test_off_centre (void)
{
  CaptureImage image, moved;
  CaptureFaceMeasures m;
  load_compliant (RED, &image);
  face_test_transform (&image, 0, 1.0, 0, 0, -0.3 * image.width, 0, RED, &moved);
  CaptureFeedback feedback = check (&moved, 1991, &m);
  assert_fails_with (&feedback, "face.off_centre");
  capture_image_clear (&moved);
  capture_image_clear (&image);
}

static void
test_too_small (void)
{
  CaptureImage image, small;
  CaptureFaceMeasures m;
  load_compliant (RED, &image);
  /* eyes ~95 px apart: short of the crop's 120 */
  face_test_transform (&image, 0, 0.45, image.width / 2.0, image.height / 2.0, 0, 0,
                       RED, &small);
  CaptureFeedback feedback = check (&small, 1991, &m);
  assert_fails_with (&feedback, "face.too_small");
  capture_image_clear (&small);
  capture_image_clear (&image);
}

static void
test_blurred (void)
{
  CaptureImage image;
  CaptureFaceMeasures m;
  load_compliant (RED, &image);
  face_test_blur (&image, 4);
  CaptureFeedback feedback = check (&image, 1991, &m);
  assert_fails_with (&feedback, "face.blurred");
  capture_image_clear (&image);
}

static void
test_doubled (void)
{
  CaptureImage image, left, both;
  CaptureFaceMeasures m;
  load_compliant (RED, &image);
  /* two half-size copies side by side */
  face_test_transform (&image, 0, 0.5, 0, image.height / 2.0, 0, 0, RED, &left);
  face_test_transform (&image, 0, 0.5, 0, image.height / 2.0, image.width / 2.0, 0, RED,
                       &both);
  for (int y = 0; y < both.height; y++)
    memcpy (capture_image_row (&both, y), capture_image_row (&left, y),
            (size_t) both.width / 2 * 3);
  CaptureFeedback feedback = check (&both, 1991, &m);
  assert_fails_with (&feedback, "face.multiple");
  g_assert_cmpuint (m.n_faces, ==, 2);
  capture_image_clear (&both);
  capture_image_clear (&left);
  capture_image_clear (&image);
}

static void
test_crop_puts_true_eyes_in_place (void)
{
  EyeTruth rows[64];
  size_t n = read_truth (LONDON, rows, G_N_ELEMENTS (rows));
  size_t row = n;
  for (size_t i = 0; i < n; i++)
    if (strcmp (rows[i].file, "003_03.jpg") == 0)
      row = i;
  g_assert_cmpuint (row, <, n);
  CaptureImage image, photo;
  CaptureFaceMeasures m;
  load_compliant (RED, &image);
  (void) check (&image, 1991, &m);
  g_assert_cmpint (capture_face_crop (capture_face_checker_get_config (checker), &image, &m,
                                      &photo),
                   ==, CAPTURE_OK);
  /* map the annotated pupils into the crop with the crop's transform */
  double s = m.ied_px / 120.0;
  double t = m.roll_deg * G_PI / 180.0;
  double mx = (m.eye_left.x + m.eye_right.x) / 2, my = (m.eye_left.y + m.eye_right.y) / 2;
  double truth[2][2] = { { rows[row].lx, rows[row].ly }, { rows[row].rx, rows[row].ry } };
  double expected[2][2] = { { 180, 288 }, { 300, 288 } };
  for (int e = 0; e < 2; e++)
    {
      double dx = truth[e][0] - mx, dy = truth[e][1] - my;
      double u = (cos (t) * dx + sin (t) * dy) / s + 240;
      double v = (-sin (t) * dx + cos (t) * dy) / s + 288;
      g_test_message ("true eye %d (%.1f,%.1f; found %.1f,%.1f %.1f,%.1f) lands at "
                      "%.1f,%.1f (token %.0f,%.0f)", e, truth[e][0], truth[e][1],
                      m.eye_left.x, m.eye_left.y, m.eye_right.x, m.eye_right.y, u, v,
                      expected[e][0], expected[e][1]);
      /* within 8% of the crop's eye distance of the token position */
      g_assert_cmpfloat (hypot (u - expected[e][0], v - expected[e][1]), <, 0.08 * 120);
    }
  capture_image_clear (&photo);
  capture_image_clear (&image);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  const char *shared = g_getenv ("REKAM_SHARED_DATA");
  data_dir = g_strdup (shared != NULL ? shared : "../shared/data");
  char *probe = data_path (LONDON "/eyes.csv");
  if (!g_file_test (probe, G_FILE_TEST_EXISTS))
    {
      g_printerr ("SKIP: face data set not found (%s); set REKAM_SHARED_DATA\n", probe);
      g_free (probe);
      return 77;
    }
  g_free (probe);
  if (capture_face_checker_new (NULL, NULL, &checker) != CAPTURE_OK)
    {
      g_printerr ("SKIP: OpenCV cascades not found (install opencv-data)\n");
      return 77;
    }
  g_test_add_func ("/face/data/eyes-within-tolerance", test_eyes_within_tolerance);
  g_test_add_func ("/face/data/zoom-and-lisa-eyes", test_zoom_and_lisa_eyes);
  g_test_add_func ("/face/data/no-face", test_no_face);
  g_test_add_func ("/face/data/group-photos", test_group_photos);
  g_test_add_func ("/face/data/compliant-and-wrong-colour", test_compliant_and_wrong_colour);
  g_test_add_func ("/face/data/rotated", test_rotated);
  g_test_add_func ("/face/data/off-centre", test_off_centre);
  g_test_add_func ("/face/data/too-small", test_too_small);
  g_test_add_func ("/face/data/blurred", test_blurred);
  g_test_add_func ("/face/data/doubled", test_doubled);
  g_test_add_func ("/face/data/crop-puts-true-eyes-in-place", test_crop_puts_true_eyes_in_place);
  int rc = g_test_run ();
  capture_face_checker_free (checker);
  g_free (data_dir);
  return rc;
}
