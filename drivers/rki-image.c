#include "rki-image.h"
#include "rki-error.h"

struct _RkiImage {
  gint           ref_count;
  RkiPixelFormat format;
  guint          width;
  guint          height;
  guint          ppi;
  gint64         time;
  GBytes        *data;
};

G_DEFINE_BOXED_TYPE (RkiImage, rki_image, rki_image_ref, rki_image_unref)

static const char *const format_names[] = { "gray8", "rgb24", "yuyv", "jpeg" };

const char *
rki_pixel_format_to_string (RkiPixelFormat format)
{
  if ((guint) format >= G_N_ELEMENTS (format_names))
    return "unknown";
  return format_names[format];
}

gboolean
rki_pixel_format_from_string (const char *text, RkiPixelFormat *ret_format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_strcmp0 (text, format_names[i]) == 0)
      {
        *ret_format = (RkiPixelFormat) i;
        return TRUE;
      }
  return FALSE;
}

/* Returns a new image holding a reference on @data, or NULL with @error set
 * when the size does not match the format (so no consumer can read past
 * the end of a frame). */
RkiImage *
rki_image_new (RkiPixelFormat format, guint width, guint height, guint ppi,
               GBytes *data, GError **error)
{
  RkiImage *self;
  gsize want = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (width == 0 || height == 0 || width > RKI_IMAGE_MAX_SIDE || height > RKI_IMAGE_MAX_SIDE)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                   "image size %ux%u out of range (1..%u)", width, height, RKI_IMAGE_MAX_SIDE);
      return NULL;
    }
  switch (format)
    {
    case RKI_PIXEL_GRAY8: want = (gsize) width * height; break;
    case RKI_PIXEL_RGB24: want = (gsize) width * height * 3; break;
    case RKI_PIXEL_YUYV: want = (gsize) width * height * 2; break;
    case RKI_PIXEL_JPEG: want = 0; break;
    default:
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                   "unknown pixel format %d", (int) format);
      return NULL;
    }
  if (format == RKI_PIXEL_JPEG)
    {
      const guint8 *p = g_bytes_get_data (data, NULL);
      if (g_bytes_get_size (data) < 4 || p[0] != 0xFF || p[1] != 0xD8)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "JPEG frame does not start with an SOI marker");
          return NULL;
        }
    }
  else if (g_bytes_get_size (data) != want)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                   "%s image %ux%u needs %" G_GSIZE_FORMAT " bytes, got %" G_GSIZE_FORMAT,
                   rki_pixel_format_to_string (format), width, height, want,
                   g_bytes_get_size (data));
      return NULL;
    }

  self = g_new0 (RkiImage, 1);
  self->ref_count = 1;
  self->format = format;
  self->width = width;
  self->height = height;
  self->ppi = ppi;
  self->time = g_get_monotonic_time ();
  self->data = g_bytes_ref (data);
  return self;
}

RkiImage *
rki_image_ref (RkiImage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
rki_image_unref (RkiImage *self)
{
  if (self == NULL)
    return;
  if (g_atomic_int_dec_and_test (&self->ref_count))
    {
      g_bytes_unref (self->data);
      g_free (self);
    }
}

RkiPixelFormat rki_image_get_format (const RkiImage *self) { return self->format; }
guint rki_image_get_width (const RkiImage *self) { return self->width; }
guint rki_image_get_height (const RkiImage *self) { return self->height; }
guint rki_image_get_ppi (const RkiImage *self) { return self->ppi; }
GBytes *rki_image_get_bytes (const RkiImage *self) { return self->data; }
gint64 rki_image_get_time (const RkiImage *self) { return self->time; }

double
rki_image_mean (const RkiImage *self)
{
  gsize len = 0;
  const guint8 *p;
  guint64 sum = 0;

  if (self->format != RKI_PIXEL_GRAY8 && self->format != RKI_PIXEL_RGB24)
    return -1;
  p = g_bytes_get_data (self->data, &len);
  for (gsize i = 0; i < len; i++)
    sum += p[i];
  return len ? (double) sum / (double) len : 0;
}

#include <math.h>

static inline double
luma_at (const guint8 *p, RkiPixelFormat format, gsize index)
{
  switch (format)
    {
    case RKI_PIXEL_RGB24:
      return 0.299 * p[3 * index] + 0.587 * p[3 * index + 1] + 0.114 * p[3 * index + 2];
    case RKI_PIXEL_YUYV:
      return p[2 * index];
    default:
      return p[index];
    }
}

gboolean
rki_image_get_stats (const RkiImage *self, RkiImageStats *ret_stats)
{
  const guint8 *p = g_bytes_get_data (self->data, NULL);
  gsize n = (gsize) self->width * self->height;
  double sum = 0, sum2 = 0, r = 0, g = 0, b = 0, grad = 0;
  gsize grad_n = 0;

  if (self->format == RKI_PIXEL_JPEG)
    return FALSE;
  for (gsize y = 0; y < self->height; y++)
    for (gsize x = 0; x < self->width; x++)
      {
        gsize i = y * self->width + x;
        double l = luma_at (p, self->format, i);
        sum += l;
        sum2 += l * l;
        if (self->format == RKI_PIXEL_RGB24)
          {
            r += p[3 * i];
            g += p[3 * i + 1];
            b += p[3 * i + 2];
          }
        if (x + 1 < self->width && y + 1 < self->height)
          {
            grad += fabs (luma_at (p, self->format, i + 1) - l) +
                    fabs (luma_at (p, self->format, i + self->width) - l);
            grad_n++;
          }
      }
  ret_stats->mean = sum / (double) n;
  ret_stats->stddev = sqrt (MAX (sum2 / (double) n - ret_stats->mean * ret_stats->mean, 0));
  if (self->format == RKI_PIXEL_RGB24)
    {
      ret_stats->mean_r = r / (double) n;
      ret_stats->mean_g = g / (double) n;
      ret_stats->mean_b = b / (double) n;
    }
  else
    ret_stats->mean_r = ret_stats->mean_g = ret_stats->mean_b = ret_stats->mean;
  ret_stats->sharpness = grad_n ? grad / (double) grad_n : 0;
  return TRUE;
}
