#include "afis-image-load.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Images larger than this are refused before conversion: no fingerprint
 * or eye image needs more, and it keeps a hostile file from asking for
 * gigabytes. */
#define AFIS_CLI_IMAGE_MAX_SIDE 8192

int
afis_cli_image_load (const char *path, AfisCliImage *ret_image,
                     char *reason, size_t reason_size)
{
  GError *error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);
  if (pixbuf == NULL)
    {
      snprintf (reason, reason_size, "cannot decode image: %s",
                error != NULL ? error->message : "unknown error");
      g_clear_error (&error);
      return -1;
    }
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  if (width <= 0 || height <= 0 || width > AFIS_CLI_IMAGE_MAX_SIDE
      || height > AFIS_CLI_IMAGE_MAX_SIDE)
    {
      snprintf (reason, reason_size, "unsupported image size %dx%d", width, height);
      g_object_unref (pixbuf);
      return -1;
    }
  if (gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB
      || gdk_pixbuf_get_bits_per_sample (pixbuf) != 8)
    {
      snprintf (reason, reason_size, "unsupported pixel format");
      g_object_unref (pixbuf);
      return -1;
    }
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guchar *src = gdk_pixbuf_read_pixels (pixbuf);
  uint8_t *gray = malloc ((size_t) width * (size_t) height);
  if (gray == NULL)
    {
      snprintf (reason, reason_size, "out of memory");
      g_object_unref (pixbuf);
      return -1;
    }
  for (int y = 0; y < height; y++)
    {
      const guchar *row = src + (size_t) y * (size_t) stride;
      for (int x = 0; x < width; x++)
        {
          const guchar *p = row + (size_t) x * (size_t) channels;
          /* BT.601 luma in fixed point; exact for gray input (r=g=b) */
          gray[(size_t) y * (size_t) width + (size_t) x]
              = (uint8_t) ((299u * p[0] + 587u * p[1] + 114u * p[2] + 500u) / 1000u);
        }
    }
  g_object_unref (pixbuf);
  ret_image->pixels = gray;
  ret_image->width = width;
  ret_image->height = height;
  return 0;
}

void
afis_cli_image_clear (AfisCliImage *image)
{
  if (image == NULL)
    return;
  free (image->pixels);
  image->pixels = NULL;
  image->width = image->height = 0;
}
