/* rekam-capture iris: pick the best near-infrared frame per eye.
 *
 *   iris select [--right FRAME...] [--left FRAME...] [--record OUT.iir]
 *
 * Frames are judged in the order given (as the camera would stream them),
 * one JSON object per frame on stdout: the afis quality measures, the
 * feedback codes and whether it became the eye's best; then one object
 * per eye naming the chosen frame. --record writes the ISO/IEC 19794-6
 * record of the chosen frames. Exit: 0 every eye given has a best frame,
 * 1 otherwise or on an unreadable frame, 2 usage. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-cli-image.h"
#include "capture/capture-iris.h"
#include "rekam-capture-cli.h"

static void
usage (FILE *out)
{
  fputs ("usage: rekam-capture iris select [--right FRAME...] [--left FRAME...]\n"
         "                                 [--record OUT.iir]\n"
         "Judges each near-infrared frame (gray image files), prints one JSON\n"
         "object per frame and the best frame of each eye; --record writes the\n"
         "ISO/IEC 19794-6 record of the best frames.\n",
         out);
}

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
eye_name (CaptureIrisEye eye)
{
  return eye == CAPTURE_IRIS_EYE_RIGHT ? "right" : "left";
}

static int
judge (CaptureIrisSelector *selector, CaptureIrisEye eye, const char *path)
{
  char reason[256];
  CaptureImage frame;
  fputs ("{\"frame\":", stdout);
  json_string (path);
  printf (",\"eye\":\"%s\"", eye_name (eye));
  if (capture_cli_image_load (path, 1, &frame, reason, sizeof reason) != 0)
    {
      fputs (",\"error\":", stdout);
      json_string (reason);
      fputs ("}\n", stdout);
      return 1;
    }
  CaptureIrisFrame result;
  CaptureFeedback feedback;
  CaptureStatus status = capture_iris_selector_add (selector, eye, &frame, &result, &feedback);
  capture_image_clear (&frame);
  if (status != CAPTURE_OK)
    {
      fputs (",\"error\":", stdout);
      json_string (capture_strerror (status));
      fputs ("}\n", stdout);
      return 1;
    }
  printf (",\"found\":%s", result.found ? "true" : "false");
  if (result.found)
    printf (",\"iris\":[%.1f,%.1f,%.1f],\"pupil_radius\":%.1f,\"usable_area\":%.1f,"
            "\"sharpness\":%.1f,\"gaze_deg\":%.1f,\"margin\":%.1f,\"quality\":%d",
            result.iris_x, result.iris_y, result.iris_radius, result.pupil_radius,
            result.usable_area, result.sharpness, result.gaze_deg, result.margin,
            result.quality);
  printf (",\"acceptable\":%s,\"best\":%s,\"feedback\":[", result.acceptable ? "true" : "false",
          result.best ? "true" : "false");
  for (size_t i = 0; i < feedback.n_items; i++)
    {
      const CaptureFeedbackItem *item = &feedback.items[i];
      printf ("%s{\"code\":", i ? "," : "");
      json_string (item->code);
      printf (",\"severity\":\"%s\",\"value\":%.4g,\"message_id\":",
              item->severity == CAPTURE_SEVERITY_FAILURE ? "failure"
              : item->severity == CAPTURE_SEVERITY_WARNING ? "warning" : "info",
              item->value);
      json_string (item->message_id);
      fputs (",\"message_en\":", stdout);
      json_string (item->message_en);
      putchar ('}');
    }
  fputs ("]}\n", stdout);
  return 0;
}

static int
iris_select (int argc, char **argv)
{
  const char *record_path = NULL;
  const char *frames_right[256], *frames_left[256];
  size_t n_right = 0, n_left = 0;
  CaptureIrisEye current = 0;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--right") == 0)
        current = CAPTURE_IRIS_EYE_RIGHT;
      else if (strcmp (argv[i], "--left") == 0)
        current = CAPTURE_IRIS_EYE_LEFT;
      else if (strcmp (argv[i], "--record") == 0 && i + 1 < argc)
        record_path = argv[++i];
      else if (argv[i][0] == '-' || current == 0)
        {
          usage (stderr);
          return 2;
        }
      else if (current == CAPTURE_IRIS_EYE_RIGHT && n_right < 256)
        frames_right[n_right++] = argv[i];
      else if (current == CAPTURE_IRIS_EYE_LEFT && n_left < 256)
        frames_left[n_left++] = argv[i];
      else
        {
          fprintf (stderr, "rekam-capture iris select: at most 256 frames per eye\n");
          return 2;
        }
    }
  if (n_right + n_left == 0)
    {
      usage (stderr);
      return 2;
    }
  CaptureIrisSelector *selector;
  if (capture_iris_selector_new (NULL, &selector) != CAPTURE_OK)
    return 1;
  int rc = 0;
  for (size_t i = 0; i < n_right; i++)
    rc |= judge (selector, CAPTURE_IRIS_EYE_RIGHT, frames_right[i]);
  for (size_t i = 0; i < n_left; i++)
    rc |= judge (selector, CAPTURE_IRIS_EYE_LEFT, frames_left[i]);
  const struct { CaptureIrisEye eye; const char **frames; size_t n; } eyes[] = {
    { CAPTURE_IRIS_EYE_RIGHT, frames_right, n_right },
    { CAPTURE_IRIS_EYE_LEFT, frames_left, n_left },
  };
  for (size_t e = 0; e < 2; e++)
    {
      int quality;
      size_t index;
      if (eyes[e].n == 0)
        continue;
      if (capture_iris_selector_best (selector, eyes[e].eye, &quality, &index) == CAPTURE_OK)
        {
          printf ("{\"eye\":\"%s\",\"best\":", eye_name (eyes[e].eye));
          json_string (eyes[e].frames[index]);
          printf (",\"quality\":%d}\n", quality);
        }
      else
        {
          printf ("{\"eye\":\"%s\",\"best\":null}\n", eye_name (eyes[e].eye));
          rc = 1;
        }
    }
  if (record_path != NULL)
    {
      uint8_t *record = NULL;
      size_t size = 0;
      char reason[256];
      CaptureStatus status = capture_iris_selector_write_record (selector, &record, &size);
      if (status != CAPTURE_OK)
        {
          fprintf (stderr, "rekam-capture iris select: no record: %s\n",
                   capture_strerror (status));
          rc = 1;
        }
      else if (capture_cli_write_file (record_path, record, size, reason, sizeof reason) != 0)
        {
          fprintf (stderr, "rekam-capture iris select: %s\n", reason);
          rc = 1;
        }
      else
        fprintf (stderr, "wrote %s: ISO/IEC 19794-6 record, %zu bytes\n", record_path, size);
      free (record);
    }
  capture_iris_selector_free (selector);
  return rc;
}

int
capture_cli_iris (int argc, char **argv)
{
  if (argc < 2 || capture_cli_wants_help (argc, argv))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "select") == 0)
    return iris_select (argc - 1, argv + 1);
  usage (stderr);
  return 2;
}
