/* rekam-capture face: judge camera frames and cut the e-KTP photo.
 *
 *   face check [--birth-year YYYY] IMAGE...
 *       one JSON object per line and image: every measure, the verdict and
 *       the feedback (codes, severities, messages in both languages).
 *   face crop [--birth-year YYYY] [--max-bytes N] [--record OUT.fac]
 *             [--force] IMAGE OUT.jpg
 *       the ISO 19794-5 token-geometry photo as JPEG under a size budget,
 *       and optionally the ISO/IEC 19794-5 record holding it.
 *
 * The cascade folder can be moved with REKAM_CASCADE_DIR (tests, other
 * distributions). Exit: 0 all frames compliant / photo written, 1 a frame
 * failed a check or could not be read, 2 usage. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-cli-image.h"
#include "capture/capture-face.h"
#include "capture/capture-iso19794-5.h"
#include "capture/capture-jpeg.h"
#include "rekam-capture-cli.h"

#define DEFAULT_MAX_BYTES (40u * 1024u)
#define REASON_SIZE 256

static void
usage (FILE *out)
{
  fputs ("usage: rekam-capture face check [--birth-year YYYY] IMAGE...\n"
         "       rekam-capture face crop [--birth-year YYYY] [--max-bytes N]\n"
         "                               [--record OUT.fac] [--force] IMAGE OUT.jpg\n"
         "check prints one JSON object per image (measures, verdict, failure\n"
         "codes); with --birth-year the background rule (odd red, even blue)\n"
         "is checked. crop writes the e-KTP photo (480x640, ISO 19794-5 token\n"
         "geometry) as JPEG within --max-bytes (default 40960); it refuses a\n"
         "frame that fails a check unless --force.\n",
         out);
}

/* Prints @text as a JSON string (quotes and escapes included). */
static void
json_string (const char *text)
{
  putchar ('"');
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        printf ("\\%c", *p);
      else if (*p < 0x20)
        printf ("\\u%04x", *p);
      else
        putchar (*p);
    }
  putchar ('"');
}

static const char *
severity_name (CaptureSeverity severity)
{
  switch (severity)
    {
    case CAPTURE_SEVERITY_FAILURE:
      return "failure";
    case CAPTURE_SEVERITY_WARNING:
      return "warning";
    case CAPTURE_SEVERITY_INFO:
    default:
      return "info";
    }
}

static void
print_result (const char *path, const CaptureFaceMeasures *m,
              const CaptureFeedback *feedback)
{
  fputs ("{\"image\":", stdout);
  json_string (path);
  printf (",\"compliant\":%s,\"faces\":%zu,\"eyes_found\":%s",
          m->compliant ? "true" : "false", m->n_faces, m->eyes_found ? "true" : "false");
  if (m->n_faces > 0)
    printf (",\"face_box\":[%d,%d,%d,%d]", m->face_box.x, m->face_box.y,
            m->face_box.width, m->face_box.height);
  /* measures exist only for a single face with both eyes */
  if (m->eyes_found && m->ied_px > 0)
    {
      printf (",\"eye_left\":[%.1f,%.1f],\"eye_right\":[%.1f,%.1f]", m->eye_left.x,
              m->eye_left.y, m->eye_right.x, m->eye_right.y);
      printf (",\"geometry\":{\"ied_px\":%.1f,\"roll_deg\":%.2f,"
              "\"centre_offset\":%.3f,\"eye_height\":%.3f,\"crop_scale\":%.3f,"
              "\"margins\":{\"left\":%.0f,\"right\":%.0f,\"top\":%.0f,\"bottom\":%.0f}",
              m->ied_px, m->roll_deg, m->centre_offset, m->eye_height, m->crop_scale,
              m->margin_left, m->margin_right, m->margin_top, m->margin_bottom);
      if (m->head_measured)
        printf (",\"head_width_ratio\":%.3f,\"head_height_ratio_estimated\":%.3f",
                m->head_width_ratio, m->head_height_ratio);
      printf ("},\"quality\":{\"sharpness\":%.3f,\"luma_mean\":%.1f,\"luma_std\":%.1f,"
              "\"dark_fraction\":%.4f,\"bright_fraction\":%.4f,\"shadow\":%.3f,"
              "\"glare\":%.4f}",
              m->sharpness, m->luma_mean, m->luma_std, m->dark_fraction,
              m->bright_fraction, m->shadow, m->glare);
      printf (",\"background\":{\"colour\":\"%s\",\"share\":%.3f,\"uniformity\":%.3f,"
              "\"rgb\":[%.0f,%.0f,%.0f],\"samples\":%zu",
              capture_background_colour_name (m->background), m->background_share,
              m->background_uniformity, m->background_rgb[0], m->background_rgb[1],
              m->background_rgb[2], m->background_samples);
      if (m->background_checked)
        printf (",\"expected\":\"%s\"",
                capture_background_colour_name (m->background_expected));
      putchar ('}');
    }
  fputs (",\"failures\":[", stdout);
  bool first = true;
  for (size_t i = 0; i < feedback->n_items; i++)
    if (feedback->items[i].severity == CAPTURE_SEVERITY_FAILURE)
      {
        printf ("%s", first ? "" : ",");
        json_string (feedback->items[i].code);
        first = false;
      }
  fputs ("],\"feedback\":[", stdout);
  for (size_t i = 0; i < feedback->n_items; i++)
    {
      const CaptureFeedbackItem *item = &feedback->items[i];
      printf ("%s{\"code\":", i ? "," : "");
      json_string (item->code);
      printf (",\"severity\":\"%s\",\"value\":%.4g,\"message_id\":",
              severity_name (item->severity), item->value);
      json_string (item->message_id);
      fputs (",\"message_en\":", stdout);
      json_string (item->message_en);
      putchar ('}');
    }
  fputs ("]}\n", stdout);
}

static void
print_error (const char *path, const char *reason)
{
  fputs ("{\"image\":", stdout);
  json_string (path);
  fputs (",\"error\":", stdout);
  json_string (reason);
  fputs ("}\n", stdout);
}

static bool
parse_long (const char *text, long min, long max, long *ret_value)
{
  char *end;
  errno = 0;
  long value = strtol (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
    return false;
  *ret_value = value;
  return true;
}

static int
new_checker (CaptureFaceChecker **ret_checker)
{
  CaptureFaceDetectorConfig detector_config;
  capture_face_detector_config_init (&detector_config);
  detector_config.cascade_dir = getenv ("REKAM_CASCADE_DIR");
  CaptureStatus status = capture_face_checker_new (NULL, &detector_config, ret_checker);
  if (status != CAPTURE_OK)
    {
      fprintf (stderr, "rekam-capture face: cannot load the OpenCV cascades (%s); "
                       "is opencv-data installed?\n", capture_strerror (status));
      return 1;
    }
  return 0;
}

/* Loads @path as RGB. JPEG files go through the library's libjpeg-turbo
 * decoder, which refuses truncated streams and oversized headers (an
 * image loader that pads a truncated photo with grey would have the
 * check judge half a face); other formats through the CLI's loader.
 * Returns 0, or -1 with an error object printed. */
static int
load_frame (const char *path, CaptureImage *ret_frame)
{
  char reason[REASON_SIZE];
  unsigned char *data = NULL;
  size_t size = 0;
  if (capture_cli_read_file (path, CAPTURE_JPEG_MAX_BYTES, &data, &size, reason,
                             sizeof reason) != 0)
    {
      print_error (path, reason);
      return -1;
    }
  if (size == 0)
    {
      free (data);
      print_error (path, "empty file");
      return -1;
    }
  bool jpeg = size >= 2 && data[0] == 0xFF && data[1] == 0xD8;
  if (jpeg)
    {
      CaptureStatus status = capture_jpeg_decode (data, size, 3, ret_frame);
      free (data);
      if (status != CAPTURE_OK)
        {
          snprintf (reason, sizeof reason, "cannot decode the JPEG: %s",
                    capture_strerror (status));
          print_error (path, reason);
          return -1;
        }
      return 0;
    }
  free (data);
  if (capture_cli_image_load (path, 3, ret_frame, reason, sizeof reason) != 0)
    {
      print_error (path, reason);
      return -1;
    }
  return 0;
}

/* Loads and judges one image; returns 0 compliant, 1 otherwise, -1 when
 * it could not be judged (an error object was printed). */
static int
check_one (CaptureFaceChecker *checker, const char *path, int birth_year,
           CaptureImage *ret_frame, CaptureFaceMeasures *ret_measures,
           CaptureFeedback *ret_feedback)
{
  CaptureImage frame;
  if (load_frame (path, &frame) != 0)
    return -1;
  CaptureStatus status = capture_face_check (checker, &frame, birth_year,
                                             ret_measures, ret_feedback);
  if (status != CAPTURE_OK)
    {
      print_error (path, capture_strerror (status));
      capture_image_clear (&frame);
      return -1;
    }
  if (ret_frame != NULL)
    *ret_frame = frame;
  else
    capture_image_clear (&frame);
  return ret_measures->compliant ? 0 : 1;
}

static int
face_check (int argc, char **argv)
{
  long birth_year = CAPTURE_FACE_NO_BIRTH_YEAR;
  int first = 1;
  while (first < argc && argv[first][0] == '-')
    {
      if (strcmp (argv[first], "--birth-year") == 0 && first + 1 < argc)
        {
          if (!parse_long (argv[first + 1], 1800, 9999, &birth_year))
            {
              fprintf (stderr, "rekam-capture face check: bad --birth-year '%s' "
                               "(expected 1800..9999)\n", argv[first + 1]);
              return 2;
            }
          first += 2;
        }
      else
        {
          usage (stderr);
          return 2;
        }
    }
  if (first >= argc)
    {
      usage (stderr);
      return 2;
    }
  CaptureFaceChecker *checker;
  if (new_checker (&checker) != 0)
    return 1;
  int rc = 0;
  for (int i = first; i < argc; i++)
    {
      CaptureFaceMeasures measures;
      CaptureFeedback feedback;
      int result = check_one (checker, argv[i], (int) birth_year, NULL, &measures,
                              &feedback);
      if (result >= 0)
        print_result (argv[i], &measures, &feedback);
      if (result != 0)
        rc = 1;
    }
  capture_face_checker_free (checker);
  return rc;
}

static int
face_crop (int argc, char **argv)
{
  long birth_year = CAPTURE_FACE_NO_BIRTH_YEAR, max_bytes = DEFAULT_MAX_BYTES;
  const char *record_path = NULL;
  bool force = false;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++)
    {
      if (strcmp (argv[i], "--force") == 0)
        force = true;
      else if (strcmp (argv[i], "--birth-year") == 0 && i + 1 < argc &&
               parse_long (argv[i + 1], 1800, 9999, &birth_year))
        i++;
      else if (strcmp (argv[i], "--max-bytes") == 0 && i + 1 < argc &&
               parse_long (argv[i + 1], 1024, 16L * 1024 * 1024, &max_bytes))
        i++;
      else if (strcmp (argv[i], "--record") == 0 && i + 1 < argc)
        record_path = argv[++i];
      else
        {
          usage (stderr);
          return 2;
        }
    }
  if (argc - i != 2)
    {
      usage (stderr);
      return 2;
    }
  const char *in_path = argv[i], *out_path = argv[i + 1];
  CaptureFaceChecker *checker;
  if (new_checker (&checker) != 0)
    return 1;
  CaptureImage frame, photo;
  CaptureFaceMeasures measures;
  CaptureFeedback feedback;
  int result = check_one (checker, in_path, (int) birth_year, &frame, &measures, &feedback);
  if (result < 0)
    {
      capture_face_checker_free (checker);
      return 1;
    }
  print_result (in_path, &measures, &feedback);
  if (result != 0 && !force)
    {
      fprintf (stderr, "rekam-capture face crop: the frame fails the checks above; "
                       "not cropping (use --force to crop anyway)\n");
      capture_image_clear (&frame);
      capture_face_checker_free (checker);
      return 1;
    }
  CaptureStatus status = capture_face_crop (capture_face_checker_get_config (checker),
                                            &frame, &measures, &photo);
  capture_image_clear (&frame);
  capture_face_checker_free (checker);
  if (status != CAPTURE_OK)
    {
      fprintf (stderr, "rekam-capture face crop: cannot crop: %s\n",
               capture_strerror (status));
      return 1;
    }
  uint8_t *jpeg = NULL;
  size_t jpeg_size = 0;
  int quality = 0;
  status = capture_face_encode_jpeg (&photo, (size_t) max_bytes, &jpeg, &jpeg_size, &quality);
  int width = photo.width, height = photo.height;
  capture_image_clear (&photo);
  if (status != CAPTURE_OK)
    {
      fprintf (stderr, "rekam-capture face crop: cannot encode within %ld bytes: %s\n",
               max_bytes, capture_strerror (status));
      return 1;
    }
  char reason[REASON_SIZE];
  int rc = 0;
  if (capture_cli_write_file (out_path, jpeg, jpeg_size, reason, sizeof reason) != 0)
    {
      fprintf (stderr, "rekam-capture face crop: %s\n", reason);
      rc = 1;
    }
  else
    fprintf (stderr, "wrote %s: %dx%d JPEG, %zu bytes, quality %d\n", out_path,
             width, height, jpeg_size, quality);
  if (rc == 0 && record_path != NULL)
    {
      CaptureIso19794_5Image image;
      capture_iso19794_5_image_init (&image);
      image.width = (uint16_t) width;
      image.height = (uint16_t) height;
      image.face_image_type = CAPTURE_ISO19794_5_TYPE_TOKEN_FRONTAL;
      image.data = jpeg;
      image.data_size = jpeg_size;
      capture_iso19794_5_image_set_token_eyes (&image);
      uint8_t *record = NULL;
      size_t record_size = 0;
      status = capture_iso19794_5_write (&image, 1, &record, &record_size);
      if (status != CAPTURE_OK ||
          capture_cli_write_file (record_path, record, record_size, reason,
                                  sizeof reason) != 0)
        {
          fprintf (stderr, "rekam-capture face crop: cannot write the record: %s\n",
                   status != CAPTURE_OK ? capture_strerror (status) : reason);
          rc = 1;
        }
      else
        fprintf (stderr, "wrote %s: ISO/IEC 19794-5 record, %zu bytes\n",
                 record_path, record_size);
      free (record);
    }
  free (jpeg);
  return rc;
}

int
capture_cli_face (int argc, char **argv)
{
  if (argc < 2 || capture_cli_wants_help (argc, argv))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "check") == 0)
    return face_check (argc - 1, argv + 1);
  if (strcmp (argv[1], "crop") == 0)
    return face_crop (argc - 1, argv + 1);
  usage (stderr);
  return 2;
}
