/* JPEG through the TurboJPEG 2.x API (Debian 12 ships libjpeg-turbo 2.1). */
#include "capture/capture-jpeg.h"

#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

CaptureStatus
capture_jpeg_encode (const CaptureImage *image, int quality,
                     uint8_t **ret_data, size_t *ret_size)
{
  CaptureStatus status = capture_image_validate (image);
  if (status != CAPTURE_OK)
    return status;
  if (ret_data == NULL || ret_size == NULL || quality < 1 || quality > 100)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  tjhandle handle = tjInitCompress ();
  if (handle == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  unsigned char *jpeg = NULL;
  unsigned long jpeg_size = 0;
  int gray = image->channels == 1;
  int rc = tjCompress2 (handle, image->pixels, image->width, (int) image->stride,
                        image->height, gray ? TJPF_GRAY : TJPF_RGB, &jpeg,
                        &jpeg_size, gray ? TJSAMP_GRAY : TJSAMP_420, quality,
                        TJFLAG_ACCURATEDCT);
  tjDestroy (handle);
  if (rc != 0 || jpeg == NULL)
    {
      tjFree (jpeg);
      return CAPTURE_ERROR_CODEC;
    }
  if (jpeg_size > CAPTURE_JPEG_MAX_BYTES)
    {
      tjFree (jpeg);
      return CAPTURE_ERROR_SIZE_BUDGET;
    }
  /* Hand over a malloc() buffer so callers never need tjFree(). */
  uint8_t *copy = malloc (jpeg_size);
  if (copy == NULL)
    {
      tjFree (jpeg);
      return CAPTURE_ERROR_NO_MEMORY;
    }
  memcpy (copy, jpeg, jpeg_size);
  tjFree (jpeg);
  *ret_data = copy;
  *ret_size = jpeg_size;
  return CAPTURE_OK;
}

CaptureStatus
capture_jpeg_encode_budget (const CaptureImage *image, size_t max_bytes,
                            int min_quality, int max_quality, uint8_t **ret_data,
                            size_t *ret_size, int *ret_quality)
{
  if (ret_data == NULL || ret_size == NULL || max_bytes == 0 || min_quality < 1
      || max_quality > 100 || min_quality > max_quality)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  uint8_t *best = NULL;
  size_t best_size = 0;
  int best_quality = 0;
  int low = min_quality, high = max_quality;
  /* JPEG size grows with quality almost monotonically; binary search finds
   * the best fitting quality in at most 7 encodes. */
  while (low <= high)
    {
      int quality = low + (high - low) / 2;
      uint8_t *data = NULL;
      size_t size = 0;
      CaptureStatus status = capture_jpeg_encode (image, quality, &data, &size);
      if (status != CAPTURE_OK)
        {
          free (best);
          return status;
        }
      if (size <= max_bytes)
        {
          free (best);
          best = data;
          best_size = size;
          best_quality = quality;
          low = quality + 1;
        }
      else
        {
          free (data);
          high = quality - 1;
        }
    }
  if (best == NULL)
    return CAPTURE_ERROR_SIZE_BUDGET;
  *ret_data = best;
  *ret_size = best_size;
  if (ret_quality != NULL)
    *ret_quality = best_quality;
  return CAPTURE_OK;
}

CaptureStatus
capture_jpeg_decode (const uint8_t *data, size_t size, int channels,
                     CaptureImage *ret_image)
{
  if (data == NULL || ret_image == NULL || (channels != 0 && channels != 1 && channels != 3))
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8)
    return CAPTURE_ERROR_MALFORMED_DATA;
  if (size > CAPTURE_JPEG_MAX_BYTES)
    return CAPTURE_ERROR_IMAGE_TOO_LARGE;
  tjhandle handle = tjInitDecompress ();
  if (handle == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3 (handle, data, (unsigned long) size, &width, &height,
                           &subsampling, &colorspace) != 0)
    {
      tjDestroy (handle);
      return CAPTURE_ERROR_MALFORMED_DATA;
    }
  if (channels == 0)
    channels = colorspace == TJCS_GRAY ? 1 : 3;
  CaptureImage image;
  CaptureStatus status = capture_image_init (&image, width, height, channels);
  if (status != CAPTURE_OK)
    {
      tjDestroy (handle);
      return status == CAPTURE_ERROR_INVALID_ARGUMENT ? CAPTURE_ERROR_MALFORMED_DATA : status;
    }
  int rc = tjDecompress2 (handle, data, (unsigned long) size, image.pixels, width,
                          (int) image.stride, height,
                          channels == 1 ? TJPF_GRAY : TJPF_RGB, TJFLAG_ACCURATEDCT);
  /* A truncated stream decodes with a warning (grey fill); treat that as
   * malformed too: a capture pipeline must not accept half an image. */
  tjDestroy (handle);
  if (rc != 0)
    {
      capture_image_clear (&image);
      return CAPTURE_ERROR_MALFORMED_DATA;
    }
  *ret_image = image;
  return CAPTURE_OK;
}
