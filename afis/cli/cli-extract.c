/* rekam-afis extract: images -> ISO/IEC 19794-2 records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-common.h"
#include "rekam-afis-cli.h"

static void
usage (FILE *out)
{
  fprintf (out, "Usage: rekam-afis extract [--ppi N] [--position P] IMAGE... -o DIR\n\n"
                "Writes DIR/<image name without extension>.fmr, an ISO/IEC 19794-2:2005\n"
                "finger minutiae record with the image quality (0-100) in it, for each\n"
                "image (PNG, TIFF, BMP, PGM, JPEG). --ppi gives the scan resolution\n"
                "(default 500); --position the ISO finger position 0-10 (default 0).\n"
                "An image that cannot be used is named on stderr with the reason and\n"
                "no file is written for it; the exit status is then 1.\n");
}

int
afis_cli_extract (int argc, char **argv)
{
  int ppi = 500, position = 0;
  const char *out_dir = NULL;
  int first = -1, images = 0;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          usage (stdout);
          return 0;
        }
      if ((strcmp (argv[i], "--ppi") == 0 || strcmp (argv[i], "--position") == 0 || strcmp (argv[i], "-o") == 0)
          && i + 1 >= argc)
        {
          fprintf (stderr, "rekam-afis extract: %s needs a value\n", argv[i]);
          return 2;
        }
      if (strcmp (argv[i], "--ppi") == 0)
        {
          long v = afis_cli_parse_long (argv[++i], 100, 4000);
          if (v < 0)
            {
              fprintf (stderr, "rekam-afis extract: --ppi needs a number 100..4000\n");
              return 2;
            }
          ppi = (int) v;
        }
      else if (strcmp (argv[i], "--position") == 0)
        {
          long v = afis_cli_parse_long (argv[++i], 0, 10);
          if (v < 0)
            {
              fprintf (stderr, "rekam-afis extract: --position needs a number 0..10\n");
              return 2;
            }
          position = (int) v;
        }
      else if (strcmp (argv[i], "-o") == 0)
        out_dir = argv[++i];
      else
        {
          if (first < 0)
            first = i;
          images++;
        }
    }
  if (out_dir == NULL || images == 0)
    {
      usage (stderr);
      return 2;
    }
  AfisFingerprint *print = malloc (sizeof *print);
  AfisTemplate *record = malloc (sizeof *record);
  uint8_t *buffer = malloc (AFIS_TEMPLATE_MAX_SIZE);
  if (print == NULL || record == NULL || buffer == NULL)
    {
      fprintf (stderr, "rekam-afis extract: out of memory\n");
      free (print);
      free (record);
      free (buffer);
      return 1;
    }
  int status = 0;
  for (int i = first; i < argc; i++)
    {
      if (strcmp (argv[i], "--ppi") == 0 || strcmp (argv[i], "--position") == 0 || strcmp (argv[i], "-o") == 0)
        {
          i++;
          continue;
        }
      char reason[512];
      if (afis_cli_extract_file (argv[i], ppi, print, reason, sizeof reason) < 0)
        {
          fprintf (stderr, "%s: %s\n", argv[i], reason);
          status = 1;
          continue;
        }
      print->position = (uint8_t) position;
      size_t length = 0;
      if (afis_template_from_print (print, record) != AFIS_OK
          || afis_template_write (record, buffer, AFIS_TEMPLATE_MAX_SIZE, &length) != AFIS_OK)
        {
          fprintf (stderr, "%s: cannot encode the record\n", argv[i]);
          status = 1;
          continue;
        }
      char name[1024], path[4096];
      afis_cli_basename (argv[i], name, sizeof name);
      snprintf (path, sizeof path, "%s/%s.fmr", out_dir, name);
      if (afis_cli_write_file (path, buffer, length) < 0)
        {
          fprintf (stderr, "%s: cannot write %s\n", argv[i], path);
          status = 1;
          continue;
        }
      printf ("%s\t%d minutiae\tquality %d\n", path, print->count, print->quality);
    }
  free (print);
  free (record);
  free (buffer);
  return status;
}
