/* Shared helpers for the iris tests. */
#ifndef IRIS_TEST_UTIL_H
#define IRIS_TEST_UTIL_H

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "afis/afis-iris.h"
#include "afis/afis-iris-synth.h"

/* A synthetic capture (owned pixels). */
static inline uint8_t *
iris_test_synth (uint64_t eye, uint64_t capture, const AfisIrisSynthOptions *options,
                 int width, int height, AfisIrisSynthTruth *truth)
{
  uint8_t *pixels = g_malloc ((gsize) width * height);
  g_assert_cmpint (afis_iris_synth_eye (eye, capture, options, width, height, pixels, truth),
                   ==, AFIS_OK);
  return pixels;
}

/* Reads an 8-bit BMP (palettised grey, as CASIA-IrisV1 ships) without
 * the CLI's gdk-pixbuf loader: the library tests link afis only.
 * Returns NULL if the file is absent or not such a BMP. */
static inline uint8_t *
iris_test_read_bmp8 (const char *path, int *ret_width, int *ret_height)
{
  gchar *data = NULL;
  gsize size = 0;
  uint8_t *pixels;
  int width, height, bottom_up;
  guint32 offset;

  if (!g_file_get_contents (path, &data, &size, NULL))
    return NULL;
  if (size < 54 || data[0] != 'B' || data[1] != 'M')
    {
      g_free (data);
      return NULL;
    }
  const guchar *d = (const guchar *) data;
  offset = d[10] | d[11] << 8 | d[12] << 16 | (guint32) d[13] << 24;
  width = (int) (d[18] | d[19] << 8 | d[20] << 16 | (guint32) d[21] << 24);
  height = (int) (d[22] | d[23] << 8 | d[24] << 16 | (guint32) d[25] << 24);
  bottom_up = height > 0;
  if (height < 0)
    height = -height;
  if (d[28] != 8 || width <= 0 || width > 4096 || height <= 0 || height > 4096)
    {
      g_free (data);
      return NULL;
    }
  int row = (width + 3) & ~3;
  if (offset + (gsize) row * height > size)
    {
      g_free (data);
      return NULL;
    }
  /* palette entries are BGRA; CASIA's is grey, take the green channel */
  const guchar *palette = d + 14 + (d[14] | d[15] << 8);
  pixels = g_malloc ((gsize) width * height);
  for (int y = 0; y < height; y++)
    {
      const guchar *src = d + offset + (gsize) row * (bottom_up ? height - 1 - y : y);
      for (int x = 0; x < width; x++)
        pixels[(gsize) y * width + x] = palette[4 * src[x] + 1];
    }
  g_free (data);
  *ret_width = width;
  *ret_height = height;
  return pixels;
}

/* $REKAM_SHARED_DATA/iris/CASIA-IrisV1, or NULL (the caller skips). */
static inline gchar *
iris_test_casia_dir (void)
{
  const char *shared = g_getenv ("REKAM_SHARED_DATA");
  gchar *dir;

  if (shared == NULL)
    return NULL;
  dir = g_build_filename (shared, "iris", "CASIA-IrisV1", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_free (dir);
      return NULL;
    }
  return dir;
}

static inline gchar *
iris_test_casia_image (const char *dir, int eye, int session, int image)
{
  gchar *name = g_strdup_printf ("%03d/%d/%03d_%d_%d.bmp", eye, session, eye, session, image);
  gchar *path = g_build_filename (dir, name, NULL);
  g_free (name);
  return path;
}

#endif
