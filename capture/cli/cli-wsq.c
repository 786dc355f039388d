/* rekam-capture wsq: encode gray images to WSQ and decode them back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-cli-image.h"
#include "capture/capture-wsq.h"
#include "rekam-capture-cli.h"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: rekam-capture wsq encode IN OUT.wsq [--bitrate 0.75] [--ppi 500] [--psnr]\n"
           "       rekam-capture wsq decode IN.wsq OUT.pgm|OUT.png\n\n"
           "encode: IN is an 8-bit gray PGM, PNG or TIFF at 500 ppi (colour is\n"
           "        converted to gray). Prints size and bits per pixel; --psnr also\n"
           "        decodes the result and prints the PSNR against IN.\n"
           "decode: writes the image and prints its size and PPI.\n");
}

static int
encode (int argc, char **argv)
{
  const char *in = NULL, *out = NULL;
  double bitrate = CAPTURE_WSQ_DEFAULT_BITRATE;
  int ppi = CAPTURE_WSQ_DEFAULT_PPI;
  bool psnr = false;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--bitrate") == 0 && i + 1 < argc)
        {
          char *end;
          bitrate = strtod (argv[++i], &end);
          if (*end != '\0' || !(bitrate > 0 && bitrate <= 8))
            {
              fprintf (stderr, "wsq encode: --bitrate must be in (0, 8]\n");
              return 2;
            }
        }
      else if (strcmp (argv[i], "--ppi") == 0 && i + 1 < argc)
        {
          ppi = atoi (argv[++i]);
          if (ppi <= 0 || ppi > 100000)
            {
              fprintf (stderr, "wsq encode: --ppi must be a positive number\n");
              return 2;
            }
        }
      else if (strcmp (argv[i], "--psnr") == 0)
        psnr = true;
      else if (argv[i][0] == '-')
        {
          fprintf (stderr, "wsq encode: unknown option '%s'\n", argv[i]);
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
  char reason[512];
  CaptureImage image;
  if (capture_cli_image_load (in, 1, &image, reason, sizeof reason) != 0)
    {
      fprintf (stderr, "wsq encode: %s\n", reason);
      return 1;
    }
  uint8_t *data = NULL;
  size_t size = 0;
  CaptureStatus status = capture_wsq_encode (&image, bitrate, ppi, &data, &size);
  if (status != CAPTURE_OK)
    {
      fprintf (stderr, "wsq encode: %s: %s (%dx%d)\n", in, capture_strerror (status),
               image.width, image.height);
      capture_image_clear (&image);
      return 1;
    }
  int rc = capture_cli_write_file (out, data, size, reason, sizeof reason);
  if (rc != 0)
    fprintf (stderr, "wsq encode: %s\n", reason);
  else
    {
      printf ("%s: %dx%d, %zu bytes, %.3f bpp", out, image.width, image.height, size,
              size * 8.0 / ((double) image.width * image.height));
      if (psnr)
        {
          CaptureImage back;
          if (capture_wsq_decode (data, size, &back, NULL) == CAPTURE_OK)
            {
              printf (", PSNR %.2f dB", capture_image_psnr (&image, &back));
              capture_image_clear (&back);
            }
        }
      printf ("\n");
    }
  free (data);
  capture_image_clear (&image);
  return rc != 0 ? 1 : 0;
}

static int
decode (int argc, char **argv)
{
  if (argc != 3)
    {
      usage (stderr);
      return 2;
    }
  char reason[512];
  unsigned char *data = NULL;
  size_t size = 0;
  if (capture_cli_read_file (argv[1], CAPTURE_WSQ_MAX_BYTES, &data, &size, reason,
                             sizeof reason) != 0)
    {
      fprintf (stderr, "wsq decode: %s\n", reason);
      return 1;
    }
  CaptureImage image;
  int ppi = -1;
  CaptureStatus status = capture_wsq_decode (data, size, &image, &ppi);
  free (data);
  if (status != CAPTURE_OK)
    {
      fprintf (stderr, "wsq decode: %s: %s\n", argv[1], capture_strerror (status));
      return 1;
    }
  int rc = capture_cli_image_save (&image, argv[2], reason, sizeof reason);
  if (rc != 0)
    fprintf (stderr, "wsq decode: %s\n", reason);
  else if (ppi > 0)
    printf ("%s: %dx%d, %d ppi\n", argv[2], image.width, image.height, ppi);
  else
    printf ("%s: %dx%d, ppi not recorded\n", argv[2], image.width, image.height);
  capture_image_clear (&image);
  return rc != 0 ? 1 : 0;
}

int
capture_cli_wsq (int argc, char **argv)
{
  if (argc < 2 || capture_cli_wants_help (argc, argv))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "encode") == 0)
    return encode (argc - 1, argv + 1);
  if (strcmp (argv[1], "decode") == 0)
    return decode (argc - 1, argv + 1);
  fprintf (stderr, "wsq: unknown subcommand '%s'\n", argv[1]);
  usage (stderr);
  return 2;
}
