/* rekam-afis iris synth: write synthetic eye images as PNG, one folder
 * per eye (DIR/eNNNN/eNNNN_K.png), the layout iris eval reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "afis/afis-iris-synth.h"
#include "cli-iris-util.h"

static int
save_png (const char *path, const uint8_t *gray, int width, int height)
{
  GdkPixbuf *pb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  GError *error = NULL;
  int ok;

  if (pb == NULL)
    return -1;
  guchar *px = gdk_pixbuf_get_pixels (pb);
  int rs = gdk_pixbuf_get_rowstride (pb);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar v = gray[(size_t) y * width + x];
        px[(size_t) y * rs + 3 * x] = v;
        px[(size_t) y * rs + 3 * x + 1] = v;
        px[(size_t) y * rs + 3 * x + 2] = v;
      }
  ok = gdk_pixbuf_save (pb, path, "png", &error, NULL);
  if (!ok)
    {
      fprintf (stderr, "rekam-afis iris synth: %s: %s\n", path, error ? error->message : "?");
      g_clear_error (&error);
    }
  g_object_unref (pb);
  return ok ? 0 : -1;
}

int
cli_iris_synth (int argc, char **argv)
{
  const char *out = NULL;
  int eyes = 10, captures = 4, width = 320, height = 280;
  unsigned long long seed = 1;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "-o") == 0 && i + 1 < argc)
        out = argv[++i];
      else if (strcmp (argv[i], "--eyes") == 0 && i + 1 < argc)
        eyes = atoi (argv[++i]);
      else if (strcmp (argv[i], "--captures") == 0 && i + 1 < argc)
        captures = atoi (argv[++i]);
      else if (strcmp (argv[i], "--seed") == 0 && i + 1 < argc)
        seed = strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--size") == 0 && i + 1 < argc)
        {
          if (sscanf (argv[++i], "%dx%d", &width, &height) != 2)
            width = 0;
        }
      else
        out = NULL, i = argc;
    }
  if (out == NULL || eyes < 1 || eyes > 100000 || captures < 1 || captures > 100
      || width < AFIS_IRIS_SYNTH_MIN_SIDE || height < AFIS_IRIS_SYNTH_MIN_SIDE
      || width > AFIS_IRIS_SYNTH_MAX_SIDE || height > AFIS_IRIS_SYNTH_MAX_SIDE)
    {
      fprintf (stderr, "Usage: rekam-afis iris synth -o DIR [--eyes N] [--captures K] [--size WxH] [--seed S]\n");
      return 2;
    }
  uint8_t *pixels = malloc ((size_t) width * height);
  if (pixels == NULL)
    return 1;
  mkdir (out, 0755);
  for (int e = 0; e < eyes; e++)
    {
      char dir[4096], path[4200];
      snprintf (dir, sizeof dir, "%s/e%04d", out, e);
      if (mkdir (dir, 0755) != 0 && errno != EEXIST)
        {
          fprintf (stderr, "rekam-afis iris synth: %s: %s\n", dir, strerror (errno));
          free (pixels);
          return 1;
        }
      for (int k = 0; k < captures; k++)
        {
          if (afis_iris_synth_eye (seed * 100003u + (uint64_t) e, (uint64_t) k, NULL, width,
                                   height, pixels, NULL) != AFIS_OK)
            {
              free (pixels);
              return 1;
            }
          snprintf (path, sizeof path, "%s/e%04d_%d.png", dir, e, k);
          if (save_png (path, pixels, width, height) != 0)
            {
              free (pixels);
              return 1;
            }
        }
    }
  free (pixels);
  return 0;
}
