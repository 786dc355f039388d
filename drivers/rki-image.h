/* rki-image.h: one frame as a device delivered it.
 *
 * Immutable and reference counted so a frame can go to the capture
 * result, a live stream and a session recording without copies.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  RKI_PIXEL_GRAY8,  /* 1 byte per pixel (finger, iris, scanner lineart) */
  RKI_PIXEL_RGB24,  /* 3 bytes per pixel, R G B */
  RKI_PIXEL_YUYV,   /* packed 4:2:2, 2 bytes per pixel (UVC) */
  RKI_PIXEL_JPEG,   /* a whole JPEG file; width/height as announced */
} RkiPixelFormat;

#define RKI_IMAGE_MAX_SIDE 20000 /* no station device comes close */

typedef struct _RkiImage RkiImage;

#define RKI_TYPE_IMAGE (rki_image_get_type ())
GType rki_image_get_type (void);

RkiImage      *rki_image_new         (RkiPixelFormat format,
                                      guint          width,
                                      guint          height,
                                      guint          ppi,   /* 0 = unknown */
                                      GBytes        *data,  /* (transfer none) */
                                      GError       **error);
RkiImage      *rki_image_ref         (RkiImage *self);
void           rki_image_unref       (RkiImage *self);
RkiPixelFormat rki_image_get_format  (const RkiImage *self);
guint          rki_image_get_width   (const RkiImage *self);
guint          rki_image_get_height  (const RkiImage *self);
guint          rki_image_get_ppi     (const RkiImage *self);
GBytes        *rki_image_get_bytes   (const RkiImage *self); /* (transfer none) */
gint64         rki_image_get_time    (const RkiImage *self); /* monotonic usec */
const char    *rki_pixel_format_to_string (RkiPixelFormat format);
gboolean       rki_pixel_format_from_string (const char     *text,
                                             RkiPixelFormat *ret_format);
/* Mean of all samples (0..255) of a GRAY8 or RGB24 image: the cheap
 * statistic diagnostics and calibrations use. -1 for other formats. */
double         rki_image_mean        (const RkiImage *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkiImage, rki_image_unref)

G_END_DECLS

G_BEGIN_DECLS

/* Image statistics diagnostics and calibrations use. Valid for GRAY8,
 * RGB24 and YUYV (luma); returns FALSE for JPEG. */
typedef struct {
  double mean;       /* luma, 0..255 */
  double stddev;     /* luma contrast */
  double mean_r, mean_g, mean_b; /* RGB24 only; = mean otherwise */
  double sharpness;  /* mean absolute horizontal+vertical luma gradient */
} RkiImageStats;

gboolean rki_image_get_stats (const RkiImage *self, RkiImageStats *ret_stats);

G_END_DECLS
