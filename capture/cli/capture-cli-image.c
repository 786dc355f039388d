#include "capture-cli-image.h"

#include <errno.h>
#include <stdbool.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture-jpeg.h"

static bool
has_suffix (const char *path, const char *suffix)
{
  size_t n = strlen (path), m = strlen (suffix);
  return n >= m && g_ascii_strcasecmp (path + n - m, suffix) == 0;
}

int
capture_cli_read_file (const char *path, size_t max_size, unsigned char **ret_data,
                       size_t *ret_size, char *reason, size_t reason_size)
{
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    {
      snprintf (reason, reason_size, "cannot open %s: %s", path, strerror (errno));
      return -1;
    }
  size_t cap = 65536, size = 0;
  unsigned char *data = malloc (cap);
  while (data != NULL)
    {
      if (size == cap)
        {
          if (cap >= max_size + 1)
            break;
          cap *= 2;
          unsigned char *bigger = realloc (data, cap);
          if (bigger == NULL)
            {
              free (data);
              data = NULL;
              break;
            }
          data = bigger;
        }
      size_t n = fread (data + size, 1, cap - size, f);
      size += n;
      if (n == 0)
        break;
    }
  int failed = ferror (f);
  fclose (f);
  if (data == NULL || failed)
    {
      free (data);
      snprintf (reason, reason_size, "cannot read %s", path);
      return -1;
    }
  if (size > max_size)
    {
      free (data);
      snprintf (reason, reason_size, "%s is larger than %zu bytes", path, max_size);
      return -1;
    }
  *ret_data = data;
  *ret_size = size;
  return 0;
}

int
capture_cli_write_file (const char *path, const unsigned char *data, size_t size,
                        char *reason, size_t reason_size)
{
  g_autofree char *tmp = g_strdup_printf ("%s.tmp", path);
  FILE *f = fopen (tmp, "wb");
  if (f == NULL)
    {
      snprintf (reason, reason_size, "cannot create %s: %s", tmp, strerror (errno));
      return -1;
    }
  size_t n = fwrite (data, 1, size, f);
  int rc = fclose (f);
  if (n != size || rc != 0 || rename (tmp, path) != 0)
    {
      snprintf (reason, reason_size, "cannot write %s: %s", path, strerror (errno));
      unlink (tmp);
      return -1;
    }
  return 0;
}

/* Binary PGM read directly: gdk-pixbuf turns gray into RGB and some
 * builds lack its PNM loader. */
static int
load_pgm (const unsigned char *data, size_t size, int channels,
          CaptureImage *ret_image, char *reason, size_t reason_size)
{
  size_t pos = 2;
  long values[3];
  for (int i = 0; i < 3; i++)
    {
      for (;;)
        {
          while (pos < size && g_ascii_isspace (data[pos]))
            pos++;
          if (pos < size && data[pos] == '#')
            {
              while (pos < size && data[pos] != '\n')
                pos++;
              continue;
            }
          break;
        }
      long v = 0;
      size_t start = pos;
      while (pos < size && g_ascii_isdigit (data[pos]) && v < 1000000)
        v = v * 10 + (data[pos++] - '0');
      if (pos == start)
        {
          snprintf (reason, reason_size, "malformed PGM header");
          return -1;
        }
      values[i] = v;
    }
  pos++; /* the single whitespace after maxval */
  if (values[2] != 255)
    {
      snprintf (reason, reason_size, "PGM maxval %ld: only 8-bit (255) is supported", values[2]);
      return -1;
    }
  if (values[0] <= 0 || values[1] <= 0 || values[0] > CAPTURE_IMAGE_MAX_DIMENSION
      || values[1] > CAPTURE_IMAGE_MAX_DIMENSION)
    {
      snprintf (reason, reason_size, "PGM dimensions %ldx%ld out of range", values[0], values[1]);
      return -1;
    }
  size_t need = (size_t) values[0] * (size_t) values[1];
  if (pos > size || size - pos < need)
    {
      snprintf (reason, reason_size, "PGM truncated");
      return -1;
    }
  CaptureImage image;
  CaptureStatus status = capture_image_init (&image, (int) values[0], (int) values[1], channels);
  if (status != CAPTURE_OK)
    {
      snprintf (reason, reason_size, "%s", capture_strerror (status));
      return -1;
    }
  for (int y = 0; y < image.height; y++)
    {
      const unsigned char *in = data + pos + (size_t) y * image.width;
      uint8_t *out = capture_image_row (&image, y);
      for (int x = 0; x < image.width; x++)
        for (int c = 0; c < channels; c++)
          out[x * channels + c] = in[x];
    }
  *ret_image = image;
  return 0;
}

int
capture_cli_image_load (const char *path, int channels, CaptureImage *ret_image,
                        char *reason, size_t reason_size)
{
  if (channels != 1 && channels != 3)
    {
      snprintf (reason, reason_size, "channels must be 1 or 3");
      return -1;
    }
  unsigned char *data = NULL;
  size_t size = 0;
  if (capture_cli_read_file (path, 256u * 1024u * 1024u, &data, &size, reason, reason_size) != 0)
    return -1;
  if (size >= 2 && data[0] == 'P' && data[1] == '5')
    {
      int rc = load_pgm (data, size, channels, ret_image, reason, reason_size);
      free (data);
      return rc;
    }
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok = gdk_pixbuf_loader_write (loader, data, size, &error);
  free (data);
  if (ok)
    ok = gdk_pixbuf_loader_close (loader, &error);
  else
    gdk_pixbuf_loader_close (loader, NULL);
  GdkPixbuf *pixbuf = ok ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (pixbuf == NULL)
    {
      snprintf (reason, reason_size, "cannot decode %s: %s", path,
                error != NULL ? error->message : "unknown image format");
      return -1;
    }
  if (gdk_pixbuf_get_bits_per_sample (pixbuf) != 8
      || gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB)
    {
      snprintf (reason, reason_size, "%s: only 8-bit images are supported", path);
      return -1;
    }
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  CaptureImage image;
  CaptureStatus status = capture_image_init (&image, width, height, channels);
  if (status != CAPTURE_OK)
    {
      snprintf (reason, reason_size, "%s: %s", path, capture_strerror (status));
      return -1;
    }
  for (int y = 0; y < height; y++)
    {
      const guint8 *in = pixels + (size_t) y * rowstride;
      uint8_t *out = capture_image_row (&image, y);
      for (int x = 0; x < width; x++, in += n_channels)
        {
          if (channels == 3)
            memcpy (out + 3 * x, in, 3);
          else
            out[x] = (uint8_t) ((19595u * in[0] + 38470u * in[1] + 7471u * in[2] + 32768u) >> 16);
        }
    }
  *ret_image = image;
  return 0;
}

int
capture_cli_image_save (const CaptureImage *image, const char *path, char *reason,
                        size_t reason_size)
{
  CaptureStatus status = capture_image_validate (image);
  if (status != CAPTURE_OK)
    {
      snprintf (reason, reason_size, "%s", capture_strerror (status));
      return -1;
    }
  if (has_suffix (path, ".pgm"))
    {
      if (image->channels != 1)
        {
          snprintf (reason, reason_size, "PGM needs a gray image");
          return -1;
        }
      char header[64];
      int n = snprintf (header, sizeof header, "P5\n%d %d\n255\n", image->width, image->height);
      size_t size = (size_t) n + (size_t) image->width * image->height;
      unsigned char *data = malloc (size);
      if (data == NULL)
        {
          snprintf (reason, reason_size, "out of memory");
          return -1;
        }
      memcpy (data, header, (size_t) n);
      for (int y = 0; y < image->height; y++)
        memcpy (data + n + (size_t) y * image->width, capture_image_row (image, y),
                (size_t) image->width);
      int rc = capture_cli_write_file (path, data, size, reason, reason_size);
      free (data);
      return rc;
    }
  if (has_suffix (path, ".jpg") || has_suffix (path, ".jpeg"))
    {
      uint8_t *data = NULL;
      size_t size = 0;
      status = capture_jpeg_encode (image, 90, &data, &size);
      if (status != CAPTURE_OK)
        {
          snprintf (reason, reason_size, "JPEG: %s", capture_strerror (status));
          return -1;
        }
      int rc = capture_cli_write_file (path, data, size, reason, reason_size);
      free (data);
      return rc;
    }
  if (!has_suffix (path, ".png"))
    {
      snprintf (reason, reason_size, "%s: unknown extension (use .pgm, .png or .jpg)", path);
      return -1;
    }
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                                image->width, image->height);
  if (pixbuf == NULL)
    {
      snprintf (reason, reason_size, "out of memory");
      return -1;
    }
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < image->height; y++)
    {
      const uint8_t *in = capture_image_row (image, y);
      guint8 *out = pixels + (size_t) y * rowstride;
      for (int x = 0; x < image->width; x++)
        for (int c = 0; c < 3; c++)
          out[3 * x + c] = image->channels == 3 ? in[3 * x + c] : in[x];
    }
  g_autoptr(GError) error = NULL;
  if (!gdk_pixbuf_save (pixbuf, path, "png", &error, NULL))
    {
      snprintf (reason, reason_size, "cannot write %s: %s", path, error->message);
      return -1;
    }
  return 0;
}
