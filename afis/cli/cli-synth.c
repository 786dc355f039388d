/* rekam-afis synth: synthetic fingers and impressions as PNG files. */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-synth.h"
#include "cli-common.h"
#include "rekam-afis-cli.h"

static int
save_png (const uint8_t *gray, int width, int height, const char *path)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (pixbuf == NULL)
    return -1;
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + (size_t) y * (size_t) stride + (size_t) x * 3;
        p[0] = p[1] = p[2] = gray[y * width + x];
      }
  GError *error = NULL;
  gboolean ok = gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  if (!ok)
    g_clear_error (&error);
  g_object_unref (pixbuf);
  return ok ? 0 : -1;
}

int
afis_cli_synth (int argc, char **argv)
{
  const char *out_dir = NULL;
  long fingers = 10, impressions = 8, seed = 1;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          printf ("Usage: rekam-afis synth -o DIR [--fingers N] [--impressions K] [--seed S]\n\n"
                  "Writes N synthetic fingers with K impressions each as DIR/<finger>_<k>.png\n"
                  "(%dx%d, 500 ppi; fingers numbered from 1, impressions from 1), the\n"
                  "layout 'rekam-afis eval' reads. The same seed gives the same images.\n",
                  AFIS_SYNTH_WIDTH, AFIS_SYNTH_HEIGHT);
          return 0;
        }
      if (i + 1 >= argc)
        {
          fprintf (stderr, "rekam-afis synth: %s needs a value\n", argv[i]);
          return 2;
        }
      if (strcmp (argv[i], "-o") == 0)
        out_dir = argv[++i];
      else if (strcmp (argv[i], "--fingers") == 0)
        fingers = afis_cli_parse_long (argv[++i], 1, 100000);
      else if (strcmp (argv[i], "--impressions") == 0)
        impressions = afis_cli_parse_long (argv[++i], 1, 100);
      else if (strcmp (argv[i], "--seed") == 0)
        seed = afis_cli_parse_long (argv[++i], 0, 2147483647L);
      else
        {
          fprintf (stderr, "rekam-afis synth: unknown option %s\n", argv[i]);
          return 2;
        }
      if (fingers < 0 || impressions < 0 || seed < 0)
        {
          fprintf (stderr, "rekam-afis synth: bad value for %s\n", argv[i - 1]);
          return 2;
        }
    }
  if (out_dir == NULL)
    {
      fprintf (stderr, "Usage: rekam-afis synth -o DIR [--fingers N] [--impressions K] [--seed S]\n");
      return 2;
    }
  uint8_t *pixels = malloc (AFIS_SYNTH_WIDTH * AFIS_SYNTH_HEIGHT);
  if (pixels == NULL)
    return 1;
  for (long f = 0; f < fingers; f++)
    {
      AfisSynthMaster *master;
      if (afis_synth_master_new ((uint64_t) seed * 1000003u + (uint64_t) f, &master) != AFIS_OK)
        {
          free (pixels);
          return 1;
        }
      for (long k = 0; k < impressions; k++)
        {
          char path[4096];
          snprintf (path, sizeof path, "%s/%ld_%ld.png", out_dir, f + 1, k + 1);
          if (afis_synth_impression (master, (uint32_t) k, pixels) != AFIS_OK
              || save_png (pixels, AFIS_SYNTH_WIDTH, AFIS_SYNTH_HEIGHT, path) < 0)
            {
              fprintf (stderr, "rekam-afis synth: cannot write %s\n", path);
              afis_synth_master_free (master);
              free (pixels);
              return 1;
            }
        }
      afis_synth_master_free (master);
    }
  printf ("%ld fingers x %ld impressions written to %s\n", fingers, impressions, out_dir);
  free (pixels);
  return 0;
}
