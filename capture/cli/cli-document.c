/* rekam-capture document: clean scanned pages and gather them in a PDF. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-cli-image.h"
#include "capture/capture-document.h"
#include "capture/capture-jpeg.h"
#include "capture/capture-pdf.h"
#include "rekam-capture-cli.h"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: rekam-capture document scan PAGE... -o OUT.pdf [--dpi 300] [--gray]\n\n"
           "Each PAGE (PNG, TIFF, JPEG, PNM) is cropped to the paper, checked for\n"
           "being blank and deskewed, encoded as JPEG and added to OUT.pdf. Blank\n"
           "pages are reported and left out. Prints one JSON line per page.\n"
           "Exit 1 when a page is blank or unreadable.\n");
}

static int
scan (int argc, char **argv)
{
  const char *out = NULL;
  double dpi = 300;
  int channels = 3;
  GPtrArray *pages = g_ptr_array_new ();
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "-o") == 0 && i + 1 < argc)
        out = argv[++i];
      else if (strcmp (argv[i], "--dpi") == 0 && i + 1 < argc)
        dpi = atof (argv[++i]);
      else if (strcmp (argv[i], "--gray") == 0)
        channels = 1;
      else if (argv[i][0] == '-')
        {
          fprintf (stderr, "document scan: unknown option '%s'\n", argv[i]);
          g_ptr_array_free (pages, TRUE);
          return 2;
        }
      else
        g_ptr_array_add (pages, argv[i]);
    }
  if (out == NULL || pages->len == 0 || !(dpi >= 50 && dpi <= 2400))
    {
      usage (stderr);
      g_ptr_array_free (pages, TRUE);
      return 2;
    }
  CapturePdf *pdf = NULL;
  if (capture_pdf_new (&pdf) != CAPTURE_OK)
    {
      g_ptr_array_free (pages, TRUE);
      return 1;
    }
  int rc = 0, added = 0;
  for (guint i = 0; i < pages->len; i++)
    {
      const char *path = g_ptr_array_index (pages, i);
      char reason[512];
      CaptureImage page, clean;
      if (capture_cli_image_load (path, channels, &page, reason, sizeof reason) != 0)
        {
          fprintf (stderr, "document scan: %s\n", reason);
          rc = 1;
          continue;
        }
      CaptureFeedback feedback;
      capture_feedback_init (&feedback);
      CaptureDocumentAnalysis a;
      CaptureStatus status = capture_document_clean (&page, &clean, &a, &feedback);
      capture_image_clear (&page);
      if (status != CAPTURE_OK)
        {
          fprintf (stderr, "document scan: %s: %s\n", path, capture_strerror (status));
          rc = 1;
          continue;
        }
      g_autofree char *escaped = g_strescape (path, NULL);
      printf ("{\"file\": \"%s\", \"blank\": %s, \"ink\": %.4f, \"skew\": %.2f, "
              "\"page\": [%d, %d, %d, %d]}\n", escaped, a.blank ? "true" : "false",
              a.ink_fraction, a.skew_degrees, a.page_x, a.page_y, a.page_width, a.page_height);
      if (a.blank)
        {
          fprintf (stderr, "document scan: %s: %s\n", path, feedback.items[0].message_en);
          rc = 1;
          capture_image_clear (&clean);
          continue;
        }
      uint8_t *jpeg = NULL;
      size_t size = 0;
      status = capture_jpeg_encode (&clean, 85, &jpeg, &size);
      if (status == CAPTURE_OK)
        status = capture_pdf_add_jpeg_page (pdf, jpeg, size, clean.width, clean.height,
                                            clean.channels, dpi);
      if (status == CAPTURE_OK)
        added++;
      else
        {
          fprintf (stderr, "document scan: %s: %s\n", path, capture_strerror (status));
          rc = 1;
        }
      free (jpeg);
      capture_image_clear (&clean);
    }
  g_ptr_array_free (pages, TRUE);
  if (added > 0)
    {
      uint8_t *data = NULL;
      size_t size = 0;
      char reason[512];
      if (capture_pdf_finish (pdf, &data, &size) != CAPTURE_OK
          || capture_cli_write_file (out, data, size, reason, sizeof reason) != 0)
        {
          fprintf (stderr, "document scan: cannot write %s\n", out);
          rc = 1;
        }
      free (data);
    }
  else
    fprintf (stderr, "document scan: no page to write\n");
  capture_pdf_free (pdf);
  return added > 0 ? rc : 1;
}

int
capture_cli_document (int argc, char **argv)
{
  if (argc < 2 || capture_cli_wants_help (argc, argv))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "scan") == 0)
    return scan (argc - 1, argv + 1);
  fprintf (stderr, "document: unknown subcommand '%s'\n", argv[1]);
  usage (stderr);
  return 2;
}
