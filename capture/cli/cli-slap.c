/* rekam-capture slap: cut a slap image into single fingers. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-cli-image.h"
#include "capture/capture-finger.h"
#include "rekam-capture-cli.h"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: rekam-capture slap segment IMAGE --hand left|right|thumbs -o DIR\n"
           "                                  [--missing POS[:XX|UP]]...\n\n"
           "IMAGE: an 8-bit gray slap at 500 ppi, fingertips up. Writes one PNG per\n"
           "finger, DIR/finger-NN.png (NN = ANSI/NIST finger position), and prints\n"
           "one JSON object: every finger's box and afis quality, and the checks\n"
           "(count, hand, quality). --missing declares a finger exception\n"
           "(XX amputated, the default, or UP unprintable), e.g. --missing 4:UP.\n"
           "Exit 1 when a check fails.\n");
}

static int
segment (int argc, char **argv)
{
  const char *in = NULL, *dir = NULL, *hand = NULL;
  CaptureFingerException exceptions[11] = { 0 };
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--hand") == 0 && i + 1 < argc)
        hand = argv[++i];
      else if (strcmp (argv[i], "-o") == 0 && i + 1 < argc)
        dir = argv[++i];
      else if (strcmp (argv[i], "--missing") == 0 && i + 1 < argc)
        {
          char *end;
          long position = strtol (argv[++i], &end, 10);
          CaptureFingerException why = CAPTURE_FINGER_AMPUTATED;
          if (strcmp (end, ":UP") == 0)
            why = CAPTURE_FINGER_UNPRINTABLE;
          else if (*end != '\0' && strcmp (end, ":XX") != 0)
            position = -1;
          if (position < 1 || position > 10)
            {
              fprintf (stderr, "slap segment: --missing wants POS[:XX|UP], POS 1..10\n");
              return 2;
            }
          exceptions[position] = why;
        }
      else if (argv[i][0] == '-')
        {
          fprintf (stderr, "slap segment: unknown option '%s'\n", argv[i]);
          return 2;
        }
      else if (in == NULL)
        in = argv[i];
      else
        {
          usage (stderr);
          return 2;
        }
    }
  CaptureSlapKind kind;
  if (hand != NULL && strcmp (hand, "left") == 0)
    kind = CAPTURE_SLAP_LEFT_FOUR;
  else if (hand != NULL && strcmp (hand, "right") == 0)
    kind = CAPTURE_SLAP_RIGHT_FOUR;
  else if (hand != NULL && strcmp (hand, "thumbs") == 0)
    kind = CAPTURE_SLAP_THUMBS;
  else
    {
      fprintf (stderr, "slap segment: --hand must be left, right or thumbs\n");
      return 2;
    }
  if (in == NULL || dir == NULL)
    {
      usage (stderr);
      return 2;
    }
  char reason[512];
  CaptureImage slap;
  if (capture_cli_image_load (in, 1, &slap, reason, sizeof reason) != 0)
    {
      fprintf (stderr, "slap segment: %s\n", reason);
      return 1;
    }
  CaptureSlapResult result;
  CaptureStatus status = capture_slap_segment (&slap, kind, exceptions, &result);
  capture_image_clear (&slap);
  if (status != CAPTURE_OK)
    {
      fprintf (stderr, "slap segment: %s: %s\n", in, capture_strerror (status));
      return 1;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      fprintf (stderr, "slap segment: cannot create %s\n", dir);
      capture_slap_result_clear (&result);
      return 1;
    }
  g_autoptr(GString) json = g_string_new ("{");
  g_autofree char *escaped = g_strescape (in, NULL);
  g_string_append_printf (json, "\"file\": \"%s\", \"slap\": %d, \"passed\": %s, \"fingers\": [",
                          escaped, kind, capture_feedback_passed (&result.feedback) ? "true" : "false");
  int rc = 0;
  for (int i = 0; i < result.n_fingers; i++)
    {
      const CaptureFingerSegment *s = &result.fingers[i];
      g_autofree char *path = g_strdup_printf ("%s/finger-%02d.png", dir, s->position);
      if (capture_cli_image_save (&s->image, path, reason, sizeof reason) != 0)
        {
          fprintf (stderr, "slap segment: %s\n", reason);
          rc = 1;
        }
      g_string_append_printf (json, "%s{\"position\": %d, \"x\": %d, \"y\": %d, \"width\": %d, "
                              "\"height\": %d, \"quality\": %d}",
                              i ? ", " : "", s->position, s->x, s->y, s->width, s->height, s->quality);
    }
  g_string_append (json, "], \"exceptions\": [");
  bool first = true;
  for (int p = 1; p <= 10; p++)
    if (exceptions[p] != CAPTURE_FINGER_CAPTURED)
      {
        g_string_append_printf (json, "%s{\"position\": %d, \"code\": \"%s\"}", first ? "" : ", ", p,
                                capture_finger_exception_code (exceptions[p]));
        first = false;
      }
  g_string_append (json, "], \"checks\": [");
  for (size_t i = 0; i < result.feedback.n_items; i++)
    {
      const CaptureFeedbackItem *item = &result.feedback.items[i];
      g_autofree char *id = g_strescape (item->message_id, NULL);
      g_autofree char *en = g_strescape (item->message_en, NULL);
      g_string_append_printf (json, "%s{\"code\": \"%s\", \"failure\": %s, \"value\": %.0f, "
                              "\"message_id\": \"%s\", \"message_en\": \"%s\"}",
                              i ? ", " : "", item->code,
                              item->severity == CAPTURE_SEVERITY_FAILURE ? "true" : "false",
                              item->value, id, en);
    }
  g_string_append (json, "]}");
  printf ("%s\n", json->str);
  if (!capture_feedback_passed (&result.feedback))
    rc = 1;
  capture_slap_result_clear (&result);
  return rc;
}

int
capture_cli_slap (int argc, char **argv)
{
  if (argc < 2 || capture_cli_wants_help (argc, argv))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "segment") == 0)
    return segment (argc - 1, argv + 1);
  fprintf (stderr, "slap: unknown subcommand '%s'\n", argv[1]);
  usage (stderr);
  return 2;
}
