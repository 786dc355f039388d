/* capture/face: the checks on synthetic portraits drawn with a fixed seed.
 *
 * The scene is a flat cartoon (head, hair, eyes, brows, mouth, shoulders)
 * on a red or blue backdrop, with seeded skin texture so that sharpness
 * has something to measure. The cascades are not run here (a cartoon is
 * not what they were trained on): the drawn eye positions are handed to
 * capture_face_check_detection(), so each test exercises exactly one
 * check and its code. test-face-data.c runs the detector on real photos. */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture-face.h"
#include "capture/capture-jpeg.h"
#include "face-test-util.h"

#define FRAME_WIDTH 1000
#define FRAME_HEIGHT 1100

static const uint8_t RED[3] = { 190, 30, 40 };
static const uint8_t BLUE[3] = { 40, 90, 200 };

typedef struct {
  double ied;        /* eye distance, frame px */
  double mid_x, mid_y;
  double roll_deg;
  const uint8_t *background;
} Scene;

static Scene
compliant_scene (const uint8_t *background)
{
  Scene scene = { 160.0, 500.0, 520.0, 0.0, background };
  return scene;
}

static bool
in_ellipse (double u, double v, double cu, double cv, double a, double b)
{
  return ((u - cu) * (u - cu)) / (a * a) + ((v - cv) * (v - cv)) / (b * b) < 1.0;
}

/* Colour of scene point (u, v), in eye distances from the eye midpoint
 * along and across the eye line; *ret_skin says whether to texture it. */
static void
scene_colour (double u, double v, const uint8_t *background, uint8_t *ret,
              bool *ret_skin)
{
  static const uint8_t skin[3] = { 200, 160, 130 }, hair[3] = { 50, 35, 25 },
                       sclera[3] = { 235, 235, 230 }, iris[3] = { 80, 55, 40 },
                       pupil[3] = { 15, 10, 10 }, brow[3] = { 60, 40, 30 },
                       mouth[3] = { 150, 60, 60 }, shirt[3] = { 90, 90, 95 };
  const uint8_t *c = background;
  double au = fabs (u);
  *ret_skin = false;
  if (v > 2.3 && au < 2.5)
    c = shirt;
  else if (v > 1.5 && au < 0.55)
    c = skin, *ret_skin = true;
  if (in_ellipse (u, v, 0, 0.35, 1.2, 1.6))
    {
      c = skin;
      *ret_skin = true;
      if (in_ellipse (u, v, 0, 0.2, 1.28, 1.5) && v < -0.45)
        c = hair, *ret_skin = false;
      if (fabs (v + 0.32) < 0.04 && au > 0.28 && au < 0.72)
        c = brow, *ret_skin = false;
      if (in_ellipse (au, v, 0.5, 0, 0.2, 0.09))
        {
          double d = hypot (au - 0.5, v);
          c = d < 0.035 ? pupil : d < 0.085 ? iris : sclera;
          *ret_skin = false;
        }
      if (fabs (v - 1.05) < 0.04 && au < 0.35)
        c = mouth, *ret_skin = false;
    }
  else if (in_ellipse (u, v, 0, 0.2, 1.28, 1.5) && v < -0.45)
    c = hair;
  memcpy (ret, c, 3);
}

/* Draws @scene (fixed seed) and the detection a perfect detector would
 * report for it. */
static void
render_scene (const Scene *scene, CaptureImage *ret_image,
              CaptureFaceDetection *ret_detection)
{
  uint64_t state = 20260101;
  double t = scene->roll_deg * G_PI / 180.0, c = cos (t), s = sin (t);
  g_assert_cmpint (capture_image_init (ret_image, FRAME_WIDTH, FRAME_HEIGHT, 3), ==,
                   CAPTURE_OK);
  for (int y = 0; y < FRAME_HEIGHT; y++)
    for (int x = 0; x < FRAME_WIDTH; x++)
      {
        double dx = x + 0.5 - scene->mid_x, dy = y + 0.5 - scene->mid_y;
        double u = (c * dx + s * dy) / scene->ied, v = (-s * dx + c * dy) / scene->ied;
        uint8_t colour[3];
        bool skin;
        scene_colour (u, v, scene->background, colour, &skin);
        int amplitude = skin ? 10 : 3;
        uint8_t *p = capture_image_row (ret_image, y) + x * 3;
        for (int k = 0; k < 3; k++)
          {
            int noise = (int) (face_test_random (&state) % (2 * amplitude + 1)) - amplitude;
            p[k] = (uint8_t) CLAMP (colour[k] + noise, 0, 255);
          }
      }
  memset (ret_detection, 0, sizeof *ret_detection);
  ret_detection->n_faces = 1;
  ret_detection->n_boxes = 1;
  ret_detection->faces[0].x = (int) (scene->mid_x - 1.1 * scene->ied);
  ret_detection->faces[0].y = (int) (scene->mid_y - 0.6 * scene->ied);
  ret_detection->faces[0].width = (int) (2.2 * scene->ied);
  ret_detection->faces[0].height = (int) (2.2 * scene->ied);
  ret_detection->eyes_found = true;
  ret_detection->eye_left.x = scene->mid_x - c * scene->ied / 2;
  ret_detection->eye_left.y = scene->mid_y - s * scene->ied / 2;
  ret_detection->eye_right.x = scene->mid_x + c * scene->ied / 2;
  ret_detection->eye_right.y = scene->mid_y + s * scene->ied / 2;
}

/* Runs the checks; returns the feedback and fills @ret_measures. */
static CaptureFeedback
check (const CaptureImage *frame, const CaptureFaceDetection *detection,
       int birth_year, CaptureFaceMeasures *ret_measures)
{
  CaptureFaceConfig config;
  CaptureFeedback feedback;
  capture_face_config_init (&config);
  g_assert_cmpint (capture_face_check_detection (&config, frame, detection, birth_year,
                                                 ret_measures, &feedback),
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
        g_printerr ("  got %s (%d)\n", feedback->items[i].code, feedback->items[i].severity);
      g_error ("expected failure %s", code);
    }
  g_assert_false (capture_feedback_passed (feedback));
  g_assert_nonnull (item->message_id);
  g_assert_cmpstr (item->message_id, !=, "");
  g_assert_cmpstr (item->message_en, !=, "");
}

static void
assert_compliant (const CaptureFeedback *feedback, const CaptureFaceMeasures *m)
{
  for (size_t i = 0; i < feedback->n_items; i++)
    if (feedback->items[i].severity == CAPTURE_SEVERITY_FAILURE)
      g_error ("unexpected failure %s (value %g)", feedback->items[i].code,
               feedback->items[i].value);
  g_assert_true (m->compliant);
}

static void
test_compliant_red_odd_year (void)
{
  Scene scene = compliant_scene (RED);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_compliant (&feedback, &m);
  g_assert_cmpint (m.background, ==, CAPTURE_BACKGROUND_RED);
  g_assert_true (m.background_checked);
  g_assert_cmpfloat_with_epsilon (m.ied_px, 160.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (m.roll_deg, 0.0, 1e-6);
  g_assert_cmpfloat (m.sharpness, >, 0.2);
  /* drawn head: 2.4 eye distances wide = 0.6 of the 4-eye-distance crop */
  g_assert_true (m.head_measured);
  g_assert_cmpfloat (fabs (m.head_width_ratio - 0.6), <, 0.03);
  capture_image_clear (&frame);
}

static void
test_compliant_blue_even_year (void)
{
  Scene scene = compliant_scene (BLUE);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  CaptureFeedback feedback = check (&frame, &detection, 1990, &m);
  assert_compliant (&feedback, &m);
  g_assert_cmpint (m.background, ==, CAPTURE_BACKGROUND_BLUE);
  capture_image_clear (&frame);
}

static void
test_wrong_background_colour (void)
{
  Scene scene = compliant_scene (BLUE);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.background_wrong_colour");
  g_assert_cmpuint (capture_feedback_n_failures (&feedback), ==, 1);
  g_assert_cmpint (m.background_expected, ==, CAPTURE_BACKGROUND_RED);
  /* without a birth year the colour is only reported */
  feedback = check (&frame, &detection, CAPTURE_FACE_NO_BIRTH_YEAR, &m);
  assert_compliant (&feedback, &m);
  g_assert_nonnull (capture_feedback_find (&feedback, "face.background_colour"));
  capture_image_clear (&frame);
}

static void
test_background_not_uniform (void)
{
  Scene scene = compliant_scene (RED);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  /* green stripes across the backdrop (and everything else: the face
   * checks are not what this test is about) */
  for (int y = 0; y < FRAME_HEIGHT; y++)
    for (int x = 0; x < FRAME_WIDTH; x++)
      if ((x / 30) % 2 == 0)
        {
          uint8_t *p = capture_image_row (&frame, y) + x * 3;
          if (p[0] > 150 && p[1] < 60)
            p[0] = 40, p[1] = 160, p[2] = 60;
        }
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.background_not_uniform");
  g_assert_cmpfloat (m.background_uniformity, <, 0.8);
  capture_image_clear (&frame);
}

static void
test_rotated (void)
{
  Scene scene = compliant_scene (RED);
  scene.roll_deg = 15.0;
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.roll");
  g_assert_cmpfloat (fabs (m.roll_deg - 15.0), <, 1e-6);
  capture_image_clear (&frame);
}

static void
test_off_centre (void)
{
  Scene scene = compliant_scene (RED);
  scene.mid_x = 250.0; /* the crop needs 320 px each side */
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.off_centre");
  g_assert_cmpfloat (m.margin_left, <, 0);
  g_assert_null (capture_feedback_find (&feedback, "face.too_small"));
  capture_image_clear (&frame);
}

static void
test_too_high (void)
{
  Scene scene = compliant_scene (RED);
  scene.mid_y = 300.0;
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.too_high");
  capture_image_clear (&frame);
}

static void
test_too_small (void)
{
  Scene scene = compliant_scene (RED);
  scene.ied = 90.0; /* the crop wants 120 px between the eyes */
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.too_small");
  g_assert_cmpuint (capture_feedback_n_failures (&feedback), ==, 1);
  capture_image_clear (&frame);
}

static void
test_too_close (void)
{
  Scene scene = compliant_scene (RED);
  scene.ied = 300.0; /* a 1200x1600 crop cannot fit a 1000x1100 frame */
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.too_close");
  capture_image_clear (&frame);
}

static void
test_blurred (void)
{
  Scene scene = compliant_scene (RED);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  face_test_blur (&frame, 3);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.blurred");
  g_assert_cmpuint (capture_feedback_n_failures (&feedback), ==, 1);
  capture_image_clear (&frame);
}

static void
test_doubled (void)
{
  Scene scene = compliant_scene (RED);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  detection.n_faces = 2;
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.multiple");
  g_assert_false (m.compliant);
  detection.n_faces = 0;
  feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.none");
  detection.n_faces = 1;
  detection.eyes_found = false;
  feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.eyes_not_found");
  capture_image_clear (&frame);
}

static void
test_underexposed (void)
{
  Scene scene = compliant_scene (RED);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  face_test_scale_brightness (&frame, 0, 0, FRAME_WIDTH, FRAME_HEIGHT, 0.2);
  CaptureFeedback feedback = check (&frame, &detection, CAPTURE_FACE_NO_BIRTH_YEAR, &m);
  assert_fails_with (&feedback, "face.underexposed");
  capture_image_clear (&frame);
}

static void
test_overexposed (void)
{
  Scene scene = compliant_scene (RED);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  face_test_scale_brightness (&frame, 0, 0, FRAME_WIDTH, FRAME_HEIGHT, 1.6);
  CaptureFeedback feedback = check (&frame, &detection, CAPTURE_FACE_NO_BIRTH_YEAR, &m);
  assert_fails_with (&feedback, "face.overexposed");
  capture_image_clear (&frame);
}

static void
test_shadow (void)
{
  Scene scene = compliant_scene (RED);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  /* the image-left half of the face in shadow */
  face_test_scale_brightness (&frame, 250, 400, 500, 800, 0.45);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.shadow");
  g_assert_cmpfloat (m.shadow, >, 0.35);
  capture_image_clear (&frame);
}

static void
test_glare (void)
{
  Scene scene = compliant_scene (RED);
  CaptureImage frame;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  render_scene (&scene, &frame, &detection);
  /* a lens reflection over the image-left eye */
  for (int y = 0; y < FRAME_HEIGHT; y++)
    for (int x = 0; x < FRAME_WIDTH; x++)
      if (hypot (x - detection.eye_left.x, y - detection.eye_left.y) < 0.2 * scene.ied)
        memset (capture_image_row (&frame, y) + x * 3, 255, 3);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_fails_with (&feedback, "face.glare");
  capture_image_clear (&frame);
}

/* The pupil centre in @photo near (x, y): centroid of the darkest pixels
 * within @radius. */
static void
find_pupil (const CaptureImage *photo, double x, double y, int radius,
            double *ret_x, double *ret_y)
{
  double sum = 0, sx = 0, sy = 0;
  for (int j = (int) y - radius; j <= (int) y + radius; j++)
    for (int i = (int) x - radius; i <= (int) x + radius; i++)
      {
        const uint8_t *p = capture_image_row (photo, j) + i * 3;
        if (p[0] + p[1] + p[2] < 3 * 40)
          {
            sum += 1;
            sx += i + 0.5;
            sy += j + 0.5;
          }
      }
  g_assert_cmpfloat (sum, >, 10);
  *ret_x = sx / sum;
  *ret_y = sy / sum;
}

static void
check_crop_geometry (double roll_deg)
{
  Scene scene = compliant_scene (RED);
  scene.roll_deg = roll_deg;
  CaptureImage frame, photo;
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  CaptureFaceConfig config;
  render_scene (&scene, &frame, &detection);
  CaptureFeedback feedback = check (&frame, &detection, 1991, &m);
  assert_compliant (&feedback, &m);
  capture_face_config_init (&config);
  g_assert_cmpint (capture_face_crop (&config, &frame, &m, &photo), ==, CAPTURE_OK);
  g_assert_cmpint (photo.width, ==, 480);
  g_assert_cmpint (photo.height, ==, 640);
  /* ISO 19794-5 token geometry: eyes W/4 apart, centred, 0.6 W down */
  double lx, ly, rx, ry;
  find_pupil (&photo, 180, 288, 12, &lx, &ly);
  find_pupil (&photo, 300, 288, 12, &rx, &ry);
  g_assert_cmpfloat (fabs (lx - 180), <, 1.0);
  g_assert_cmpfloat (fabs (rx - 300), <, 1.0);
  g_assert_cmpfloat (fabs (ly - 288), <, 1.0);
  g_assert_cmpfloat (fabs (ry - 288), <, 1.0);

  /* a compliant crop re-checked with the crop's own eyes is compliant too */
  CaptureFaceDetection crop_detection = detection;
  crop_detection.eye_left.x = 180;
  crop_detection.eye_left.y = 288;
  crop_detection.eye_right.x = 300;
  crop_detection.eye_right.y = 288;
  feedback = check (&photo, &crop_detection, 1991, &m);
  g_assert_null (capture_feedback_find (&feedback, "face.background_wrong_colour"));
  g_assert_null (capture_feedback_find (&feedback, "face.roll"));

  uint8_t *jpeg = NULL;
  size_t size = 0;
  int quality = 0;
  g_assert_cmpint (capture_face_encode_jpeg (&photo, 40 * 1024, &jpeg, &size, &quality),
                   ==, CAPTURE_OK);
  g_assert_cmpuint (size, <=, 40 * 1024);
  g_assert_cmpint (quality, >=, 50);
  CaptureImage decoded;
  g_assert_cmpint (capture_jpeg_decode (jpeg, size, 3, &decoded), ==, CAPTURE_OK);
  g_assert_cmpint (decoded.width, ==, 480);
  g_assert_cmpint (decoded.height, ==, 640);
  capture_image_clear (&decoded);
  free (jpeg);
  /* a budget no photo can meet is a clear error, not a worse photo */
  jpeg = NULL;
  g_assert_cmpint (capture_face_encode_jpeg (&photo, 1000, &jpeg, &size, &quality), ==,
                   CAPTURE_ERROR_SIZE_BUDGET);
  g_assert_null (jpeg);
  capture_image_clear (&photo);
  capture_image_clear (&frame);
}

static void
test_crop_geometry_level (void)
{
  check_crop_geometry (0.0);
}

static void
test_crop_geometry_rolled (void)
{
  /* within the roll limit: the crop levels the eye line */
  check_crop_geometry (6.0);
}

static void
test_crop_refuses_outside_frame (void)
{
  Scene scene = compliant_scene (RED);
  scene.mid_x = 250.0;
  CaptureImage frame, photo = { 0 };
  CaptureFaceDetection detection;
  CaptureFaceMeasures m;
  CaptureFaceConfig config;
  render_scene (&scene, &frame, &detection);
  (void) check (&frame, &detection, 1991, &m);
  capture_face_config_init (&config);
  g_assert_cmpint (capture_face_crop (&config, &frame, &m, &photo), ==,
                   CAPTURE_ERROR_IMAGE_TOO_SMALL);
  g_assert_null (photo.pixels);
  m.eyes_found = false;
  g_assert_cmpint (capture_face_crop (&config, &frame, &m, &photo), ==,
                   CAPTURE_ERROR_NOT_FOUND);
  capture_image_clear (&frame);
}

static void
test_bad_inputs (void)
{
  CaptureFaceConfig config;
  CaptureFaceDetection detection = { 0 };
  CaptureFaceMeasures m;
  CaptureFeedback feedback;
  CaptureImage image = { 0 };
  capture_face_config_init (&config);
  /* zero-size and never-allocated images */
  g_assert_cmpint (capture_face_check_detection (&config, &image, &detection, 0, &m,
                                                 &feedback),
                   ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  /* huge dimensions are refused before anything is read */
  uint8_t pixel[3] = { 0 };
  CaptureImage huge = { pixel, 100000, 100000, 300000, 3 };
  g_assert_cmpint (capture_face_check_detection (&config, &huge, &detection, 0, &m,
                                                 &feedback),
                   ==, CAPTURE_ERROR_IMAGE_TOO_LARGE);
  /* too small to hold a face */
  g_assert_cmpint (capture_image_init (&image, 32, 32, 3), ==, CAPTURE_OK);
  g_assert_cmpint (capture_face_check_detection (&config, &image, &detection, 0, &m,
                                                 &feedback),
                   ==, CAPTURE_ERROR_IMAGE_TOO_SMALL);
  capture_image_clear (&image);
  /* gray frames: the background rule needs colour */
  g_assert_cmpint (capture_image_init (&image, 200, 200, 1), ==, CAPTURE_OK);
  g_assert_cmpint (capture_face_check_detection (&config, &image, &detection, 0, &m,
                                                 &feedback),
                   ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  capture_image_clear (&image);
  /* an impossible birth year */
  g_assert_cmpint (capture_image_init (&image, 200, 200, 3), ==, CAPTURE_OK);
  g_assert_cmpint (capture_face_check_detection (&config, &image, &detection, 123, &m,
                                                 &feedback),
                   ==, CAPTURE_ERROR_INVALID_ARGUMENT);
  capture_image_clear (&image);
  /* a truncated JPEG never reaches the checks */
  Scene scene = compliant_scene (RED);
  CaptureImage frame, decoded;
  render_scene (&scene, &frame, &detection);
  uint8_t *jpeg = NULL;
  size_t size = 0;
  g_assert_cmpint (capture_jpeg_encode (&frame, 80, &jpeg, &size), ==, CAPTURE_OK);
  g_assert_cmpint (capture_jpeg_decode (jpeg, size / 2, 3, &decoded), ==,
                   CAPTURE_ERROR_MALFORMED_DATA);
  g_assert_cmpint (capture_jpeg_decode (jpeg, 0, 3, &decoded), !=, CAPTURE_OK);
  free (jpeg);
  capture_image_clear (&frame);
  /* an invalid configuration */
  config.crop_width = 100;
  g_assert_cmpint (capture_face_check_detection (&config, &image, &detection, 0, &m,
                                                 &feedback),
                   ==, CAPTURE_ERROR_INVALID_ARGUMENT);
}

static void
test_background_rule (void)
{
  CaptureBackgroundRule rule;
  CaptureBackgroundColour colour = CAPTURE_BACKGROUND_OTHER;
  capture_background_rule_init (&rule);
  g_assert_cmpint (capture_background_rule_colour (&rule, 1991, &colour), ==, CAPTURE_OK);
  g_assert_cmpint (colour, ==, CAPTURE_BACKGROUND_RED);
  g_assert_cmpint (capture_background_rule_colour (&rule, 2000, &colour), ==, CAPTURE_OK);
  g_assert_cmpint (colour, ==, CAPTURE_BACKGROUND_BLUE);
  g_assert_cmpint (capture_background_rule_colour (&rule, 99, &colour), ==,
                   CAPTURE_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (colour, ==, CAPTURE_BACKGROUND_BLUE);
  /* the rule is configuration: a changed regulation swaps the colours */
  rule.odd_year = CAPTURE_BACKGROUND_BLUE;
  rule.even_year = CAPTURE_BACKGROUND_RED;
  g_assert_cmpint (capture_background_rule_colour (&rule, 1991, &colour), ==, CAPTURE_OK);
  g_assert_cmpint (colour, ==, CAPTURE_BACKGROUND_BLUE);
}

static void
test_background_classes (void)
{
  g_assert_cmpint (capture_background_classify_rgb (190, 30, 40), ==, CAPTURE_BACKGROUND_RED);
  g_assert_cmpint (capture_background_classify_rgb (219, 21, 20), ==, CAPTURE_BACKGROUND_RED);
  g_assert_cmpint (capture_background_classify_rgb (0, 144, 255), ==, CAPTURE_BACKGROUND_BLUE);
  g_assert_cmpint (capture_background_classify_rgb (40, 90, 200), ==, CAPTURE_BACKGROUND_BLUE);
  /* the London set's light grey, white, black and skin are neither */
  g_assert_cmpint (capture_background_classify_rgb (183, 187, 188), ==, CAPTURE_BACKGROUND_OTHER);
  g_assert_cmpint (capture_background_classify_rgb (255, 255, 255), ==, CAPTURE_BACKGROUND_OTHER);
  g_assert_cmpint (capture_background_classify_rgb (10, 10, 30), ==, CAPTURE_BACKGROUND_OTHER);
  g_assert_cmpint (capture_background_classify_rgb (200, 160, 130), ==, CAPTURE_BACKGROUND_OTHER);
  g_assert_cmpint (capture_background_classify_rgb (120, 80, 60), ==, CAPTURE_BACKGROUND_OTHER);
}

static void
test_missing_cascades (void)
{
  CaptureFaceDetectorConfig config;
  CaptureFaceChecker *checker = NULL;
  capture_face_detector_config_init (&config);
  config.cascade_dir = "/nonexistent/opencv";
  g_assert_cmpint (capture_face_checker_new (NULL, &config, &checker), ==,
                   CAPTURE_ERROR_NOT_FOUND);
  g_assert_null (checker);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/face/synthetic/compliant-red-odd-year", test_compliant_red_odd_year);
  g_test_add_func ("/face/synthetic/compliant-blue-even-year", test_compliant_blue_even_year);
  g_test_add_func ("/face/synthetic/wrong-background-colour", test_wrong_background_colour);
  g_test_add_func ("/face/synthetic/background-not-uniform", test_background_not_uniform);
  g_test_add_func ("/face/synthetic/rotated", test_rotated);
  g_test_add_func ("/face/synthetic/off-centre", test_off_centre);
  g_test_add_func ("/face/synthetic/too-high", test_too_high);
  g_test_add_func ("/face/synthetic/too-small", test_too_small);
  g_test_add_func ("/face/synthetic/too-close", test_too_close);
  g_test_add_func ("/face/synthetic/blurred", test_blurred);
  g_test_add_func ("/face/synthetic/doubled-none-no-eyes", test_doubled);
  g_test_add_func ("/face/synthetic/underexposed", test_underexposed);
  g_test_add_func ("/face/synthetic/overexposed", test_overexposed);
  g_test_add_func ("/face/synthetic/shadow", test_shadow);
  g_test_add_func ("/face/synthetic/glare", test_glare);
  g_test_add_func ("/face/crop/geometry-level", test_crop_geometry_level);
  g_test_add_func ("/face/crop/geometry-rolled", test_crop_geometry_rolled);
  g_test_add_func ("/face/crop/refuses-outside-frame", test_crop_refuses_outside_frame);
  g_test_add_func ("/face/bad-inputs", test_bad_inputs);
  g_test_add_func ("/face/background/rule", test_background_rule);
  g_test_add_func ("/face/background/classes", test_background_classes);
  g_test_add_func ("/face/detector/missing-cascades", test_missing_cascades);
  return g_test_run ();
}
