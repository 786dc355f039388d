/* rekam-capture signature: render pen strokes from a JSON file. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-cli-image.h"
#include "capture/capture-signature.h"
#include "rekam-capture-cli.h"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: rekam-capture signature render STROKES.json OUT.png [--bits OUT.bin]\n"
           "                                       [--vectors OUT.vec]\n\n"
           "STROKES.json: {\"pad\": {\"width\": W, \"height\": H, \"units_per_inch\": U,\n"
           "                        \"max_pressure\": P, \"y_up\": false},\n"
           "               \"points\": [{\"x\": X, \"y\": Y, \"pressure\": P, \"t\": MS,\n"
           "                           \"down\": true}, ...]}\n"
           "(a point may also be an array [x, y, pressure, t, down]).\n"
           "Checks the signature (empty, too short, out of the box), writes the\n"
           "image at 500 ppi and prints one JSON object with the verdict. --bits\n"
           "writes the 1-bit Type-8 image, --vectors the Type-8 vector data.\n"
           "Exit 1 when the signature is rejected.\n");
}

static double
member_double (JsonObject *object, const char *name, double fallback)
{
  return json_object_has_member (object, name) ? json_object_get_double_member (object, name)
                                               : fallback;
}

static bool
parse (const char *path, CaptureSignaturePad *pad, GArray *points, char **ret_reason)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  if (!json_parser_load_from_file (parser, path, &error))
    {
      *ret_reason = g_strdup_printf ("%s: %s", path, error->message);
      return false;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *ret_reason = g_strdup_printf ("%s: top level is not an object", path);
      return false;
    }
  JsonObject *top = json_node_get_object (root);
  JsonNode *pad_node = json_object_get_member (top, "pad");
  JsonNode *points_node = json_object_get_member (top, "points");
  if (pad_node == NULL || !JSON_NODE_HOLDS_OBJECT (pad_node) || points_node == NULL
      || !JSON_NODE_HOLDS_ARRAY (points_node))
    {
      *ret_reason = g_strdup_printf ("%s: needs a \"pad\" object and a \"points\" array", path);
      return false;
    }
  JsonObject *p = json_node_get_object (pad_node);
  memset (pad, 0, sizeof *pad);
  pad->width = member_double (p, "width", 0);
  pad->height = member_double (p, "height", 0);
  pad->units_per_inch = member_double (p, "units_per_inch", 0);
  pad->max_pressure = member_double (p, "max_pressure", 0);
  pad->y_up = json_object_has_member (p, "y_up") && json_object_get_boolean_member (p, "y_up");
  JsonArray *array = json_node_get_array (points_node);
  guint n = json_array_get_length (array);
  if (n > CAPTURE_SIGNATURE_MAX_POINTS)
    {
      *ret_reason = g_strdup_printf ("%s: more than %d points", path, CAPTURE_SIGNATURE_MAX_POINTS);
      return false;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      CaptureSignaturePoint point = { 0 };
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *o = json_node_get_object (node);
          point.x = member_double (o, "x", NAN);
          point.y = member_double (o, "y", NAN);
          point.pressure = member_double (o, "pressure", 0);
          point.time_ms = (uint32_t) member_double (o, "t", 0);
          point.pen_down = !json_object_has_member (o, "down")
                           || json_object_get_boolean_member (o, "down");
        }
      else if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 5)
        {
          JsonArray *a = json_node_get_array (node);
          point.x = json_array_get_double_element (a, 0);
          point.y = json_array_get_double_element (a, 1);
          point.pressure = json_array_get_double_element (a, 2);
          point.time_ms = (uint32_t) json_array_get_double_element (a, 3);
          JsonNode *down = json_array_get_element (a, 4);
          point.pen_down = json_node_get_value_type (down) == G_TYPE_BOOLEAN
                             ? json_node_get_boolean (down) : json_node_get_double (down) != 0;
        }
      else
        {
          *ret_reason = g_strdup_printf ("%s: point %u is neither an object nor [x,y,p,t,down]", path, i);
          return false;
        }
      g_array_append_val (points, point);
    }
  return true;
}

static void
print_verdict (const char *path, const CaptureFeedback *feedback)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *escaped = g_strescape (path, NULL);
  g_string_append_printf (out, "{\"file\": \"%s\", \"passed\": %s, \"checks\": [", escaped,
                          capture_feedback_passed (feedback) ? "true" : "false");
  for (size_t i = 0; i < feedback->n_items; i++)
    {
      const CaptureFeedbackItem *item = &feedback->items[i];
      g_autofree char *id = g_strescape (item->message_id, NULL);
      g_autofree char *en = g_strescape (item->message_en, NULL);
      g_string_append_printf (out, "%s{\"code\": \"%s\", \"severity\": \"%s\", \"value\": %.2f, "
                              "\"message_id\": \"%s\", \"message_en\": \"%s\"}",
                              i ? ", " : "", item->code,
                              item->severity == CAPTURE_SEVERITY_FAILURE ? "failure"
                              : item->severity == CAPTURE_SEVERITY_WARNING ? "warning" : "info",
                              item->value, id, en);
    }
  g_string_append (out, "]}");
  printf ("%s\n", out->str);
}

static int
render (int argc, char **argv)
{
  const char *in = NULL, *out = NULL, *bits_path = NULL, *vectors_path = NULL;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--bits") == 0 && i + 1 < argc)
        bits_path = argv[++i];
      else if (strcmp (argv[i], "--vectors") == 0 && i + 1 < argc)
        vectors_path = argv[++i];
      else if (argv[i][0] == '-')
        {
          fprintf (stderr, "signature render: unknown option '%s'\n", argv[i]);
          return 2;
        }
      else if (in == NULL)
        in = argv[i];
      else if (out == NULL)
        out = argv[i];
      else
        {
          usage (stderr);
          return 2;
        }
    }
  if (in == NULL || out == NULL)
    {
      usage (stderr);
      return 2;
    }
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (CaptureSignaturePoint));
  g_autofree char *reason = NULL;
  CaptureSignaturePad pad;
  if (!parse (in, &pad, points, &reason))
    {
      fprintf (stderr, "signature render: %s\n", reason);
      return 1;
    }
  const CaptureSignaturePoint *p = (const CaptureSignaturePoint *) (void *) points->data;
  CaptureFeedback feedback;
  capture_feedback_init (&feedback);
  CaptureStatus status = capture_signature_check (p, points->len, &pad, &feedback);
  if (status != CAPTURE_OK)
    {
      fprintf (stderr, "signature render: %s: %s\n", in, capture_strerror (status));
      return 1;
    }
  print_verdict (in, &feedback);
  CaptureImage image;
  status = capture_signature_render (p, points->len, &pad, &image);
  if (status != CAPTURE_OK)
    {
      fprintf (stderr, "signature render: %s: %s\n", in, capture_strerror (status));
      return 1;
    }
  char why[512];
  int rc = capture_cli_image_save (&image, out, why, sizeof why);
  if (rc == 0 && bits_path != NULL)
    {
      uint8_t *bits = NULL;
      size_t size = 0;
      if (capture_signature_binarise (&image, 128, &bits, &size) != CAPTURE_OK)
        rc = -1, snprintf (why, sizeof why, "cannot binarise");
      else
        rc = capture_cli_write_file (bits_path, bits, size, why, sizeof why);
      free (bits);
    }
  if (rc == 0 && vectors_path != NULL)
    {
      uint8_t *data = NULL;
      size_t size = 0;
      if (capture_signature_type8_vectors (p, points->len, &pad, &data, &size) != CAPTURE_OK)
        rc = -1, snprintf (why, sizeof why, "cannot build vectors");
      else
        rc = capture_cli_write_file (vectors_path, data, size, why, sizeof why);
      free (data);
    }
  capture_image_clear (&image);
  if (rc != 0)
    {
      fprintf (stderr, "signature render: %s\n", why);
      return 1;
    }
  return capture_feedback_passed (&feedback) ? 0 : 1;
}

int
capture_cli_signature (int argc, char **argv)
{
  if (argc < 2 || capture_cli_wants_help (argc, argv))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "render") == 0)
    return render (argc - 1, argv + 1);
  fprintf (stderr, "signature: unknown subcommand '%s'\n", argv[1]);
  usage (stderr);
  return 2;
}
