#include "capture/capture-image.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static CaptureStatus
check_dimensions (int width, int height, int channels)
{
  if (width <= 0 || height <= 0 || (channels != 1 && channels != 3))
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (width > CAPTURE_IMAGE_MAX_DIMENSION || height > CAPTURE_IMAGE_MAX_DIMENSION
      || (uint64_t) width * (uint64_t) height > CAPTURE_IMAGE_MAX_PIXELS)
    return CAPTURE_ERROR_IMAGE_TOO_LARGE;
  return CAPTURE_OK;
}

CaptureStatus
capture_image_init (CaptureImage *ret_image, int width, int height, int channels)
{
  if (ret_image == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureStatus status = check_dimensions (width, height, channels);
  if (status != CAPTURE_OK)
    return status;
  size_t stride = (size_t) width * (size_t) channels;
  uint8_t *pixels = calloc ((size_t) height, stride);
  if (pixels == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  ret_image->pixels = pixels;
  ret_image->width = width;
  ret_image->height = height;
  ret_image->stride = stride;
  ret_image->channels = channels;
  return CAPTURE_OK;
}

void
capture_image_clear (CaptureImage *image)
{
  if (image == NULL)
    return;
  free (image->pixels);
  memset (image, 0, sizeof *image);
}

CaptureStatus
capture_image_create (int width, int height, int channels, CaptureImage **ret_image)
{
  if (ret_image == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureImage *image = calloc (1, sizeof *image);
  if (image == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  CaptureStatus status = capture_image_init (image, width, height, channels);
  if (status != CAPTURE_OK)
    {
      free (image);
      return status;
    }
  *ret_image = image;
  return CAPTURE_OK;
}

void
capture_image_free (CaptureImage *image)
{
  if (image == NULL)
    return;
  capture_image_clear (image);
  free (image);
}

CaptureStatus
capture_image_validate (const CaptureImage *image)
{
  if (image == NULL || image->pixels == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureStatus status = check_dimensions (image->width, image->height, image->channels);
  if (status != CAPTURE_OK)
    return status;
  if (image->stride < (size_t) image->width * (size_t) image->channels)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  return CAPTURE_OK;
}

CaptureStatus
capture_image_copy (const CaptureImage *image, CaptureImage *ret_image)
{
  CaptureStatus status = capture_image_validate (image);
  if (status != CAPTURE_OK || ret_image == NULL)
    return status != CAPTURE_OK ? status : CAPTURE_ERROR_INVALID_ARGUMENT;
  CaptureImage copy;
  status = capture_image_init (&copy, image->width, image->height, image->channels);
  if (status != CAPTURE_OK)
    return status;
  for (int y = 0; y < image->height; y++)
    memcpy (capture_image_row (&copy, y), capture_image_row (image, y), copy.stride);
  *ret_image = copy;
  return CAPTURE_OK;
}

CaptureStatus
capture_image_to_gray (const CaptureImage *image, CaptureImage *ret_image)
{
  CaptureStatus status = capture_image_validate (image);
  if (status != CAPTURE_OK || ret_image == NULL)
    return status != CAPTURE_OK ? status : CAPTURE_ERROR_INVALID_ARGUMENT;
  if (image->channels == 1)
    return capture_image_copy (image, ret_image);
  CaptureImage gray;
  status = capture_image_init (&gray, image->width, image->height, 1);
  if (status != CAPTURE_OK)
    return status;
  for (int y = 0; y < image->height; y++)
    {
      const uint8_t *in = capture_image_row (image, y);
      uint8_t *out = capture_image_row (&gray, y);
      for (int x = 0; x < image->width; x++, in += 3)
        /* BT.601 luma in 16.16 fixed point, rounded */
        out[x] = (uint8_t) ((19595u * in[0] + 38470u * in[1] + 7471u * in[2] + 32768u) >> 16);
    }
  *ret_image = gray;
  return CAPTURE_OK;
}

double
capture_image_psnr (const CaptureImage *a, const CaptureImage *b)
{
  if (capture_image_validate (a) != CAPTURE_OK || capture_image_validate (b) != CAPTURE_OK
      || a->width != b->width || a->height != b->height || a->channels != b->channels)
    return -1;
  double sum = 0;
  for (int y = 0; y < a->height; y++)
    {
      const uint8_t *ra = capture_image_row (a, y), *rb = capture_image_row (b, y);
      for (int x = 0; x < a->width * a->channels; x++)
        {
          double d = (double) ra[x] - rb[x];
          sum += d * d;
        }
    }
  if (sum == 0)
    return INFINITY;
  double mse = sum / ((double) a->width * a->height * a->channels);
  return 10.0 * log10 (255.0 * 255.0 / mse);
}
