/* capture: an owned 8-bit image, gray or RGB.
 *
 * Every pipeline of the library takes images in this one form. Pixels are
 * row-major, @stride bytes apart (stride >= width * channels); RGB is
 * interleaved R, G, B. An image made with capture_image_init() or
 * capture_image_create() owns its pixels. A caller may also fill a
 * CaptureImage by hand to point at its own buffer, for any function taking
 * `const CaptureImage *`; it must then never clear or free it. */
#ifndef CAPTURE_IMAGE_H
#define CAPTURE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest width or height accepted anywhere (a 600 dpi A4 page is ~7000). */
#define CAPTURE_IMAGE_MAX_DIMENSION 16384
/* Largest pixel count (width * height) accepted anywhere. */
#define CAPTURE_IMAGE_MAX_PIXELS (64u * 1024u * 1024u)

typedef struct {
  uint8_t *pixels;   /* height * stride bytes */
  int width;         /* pixels, >= 1 */
  int height;        /* pixels, >= 1 */
  size_t stride;     /* bytes between rows */
  int channels;      /* 1 (gray) or 3 (RGB) */
} CaptureImage;

/* Allocates a zero-filled @width x @height image with @channels (1 or 3)
 * and a tight stride into @ret_image. Fails with INVALID_ARGUMENT,
 * IMAGE_TOO_LARGE or NO_MEMORY, leaving @ret_image untouched. */
CaptureStatus capture_image_init (CaptureImage *ret_image, int width,
                                  int height, int channels);

/* Frees the pixels of an image made by capture_image_init() and zeroes the
 * struct. NULL and already-cleared images are fine. */
void capture_image_clear (CaptureImage *image);

/* Heap-allocated variant: *ret_image is freed with capture_image_free(). */
CaptureStatus capture_image_create (int width, int height, int channels,
                                    CaptureImage **ret_image);
void capture_image_free (CaptureImage *image);

/* CAPTURE_OK when @image has pixels, sane dimensions, channels 1 or 3 and
 * a stride that holds a row; INVALID_ARGUMENT or IMAGE_TOO_LARGE if not. */
CaptureStatus capture_image_validate (const CaptureImage *image);

/* Deep copy into @ret_image (tight stride). */
CaptureStatus capture_image_copy (const CaptureImage *image,
                                  CaptureImage *ret_image);

/* Converts to 8-bit gray (ITU-R BT.601 luma) into @ret_image; a gray input
 * is copied. */
CaptureStatus capture_image_to_gray (const CaptureImage *image,
                                     CaptureImage *ret_image);

/* Peak signal-to-noise ratio in dB between two images of the same size
 * and channels (255 peak); INFINITY when identical, -1 when they differ
 * in shape or are invalid. */
double capture_image_psnr (const CaptureImage *a, const CaptureImage *b);

/* Pointer to row @y (no bounds check beyond the caller's contract). */
static inline uint8_t *
capture_image_row (const CaptureImage *image, int y)
{
  return image->pixels + (size_t) y * image->stride;
}

#ifdef __cplusplus
}
#endif

#endif
