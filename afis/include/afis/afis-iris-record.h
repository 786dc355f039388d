/* afis: ISO/IEC 19794-6:2011 iris image records.
 *
 * The writer makes the "cropped and masked" image kind (image type 7)
 * with raw 8-bit monochrome pixels: the iris centred with margins of 0.6
 * radius left and right and 0.2 radius above and below, eyelid areas set
 * to grey 128 and the sclera to 200, as the standard prescribes for
 * interchange. The reader parses records of any image type with raw
 * monochrome pixels and rejects anything malformed; it never allocates:
 * the pixels it returns point into the caller's buffer. */
#ifndef AFIS_IRIS_RECORD_H
#define AFIS_IRIS_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-status.h"
#include "afis/afis-iris.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFIS_IRIS_RECORD_MAX_IMAGES 4
#define AFIS_IRIS_RECORD_MAX_SIDE 2048
#define AFIS_IRIS_IMAGE_TYPE_UNCROPPED 1
#define AFIS_IRIS_IMAGE_TYPE_VGA 2
#define AFIS_IRIS_IMAGE_TYPE_CROPPED 3
#define AFIS_IRIS_IMAGE_TYPE_CROPPED_AND_MASKED 7
#define AFIS_IRIS_IMAGE_FORMAT_MONO_RAW 2

typedef struct {
  uint8_t eye;             /* 0 undefined, 1 right, 2 left */
  uint8_t image_type;      /* AFIS_IRIS_IMAGE_TYPE_* */
  uint8_t quality;         /* 0..100, 255 = not computed */
  int width;
  int height;
  const uint8_t *pixels;   /* width * height bytes, not owned */
  uint16_t iris_diameter;  /* pixels, 0 = unknown */
  uint16_t centre_x;       /* iris centre, pixels, 0 = unknown */
  uint16_t centre_y;
} AfisIrisRecordImage;

/* Crops and masks the iris of @segmentation out of @pixels into @buffer
 * (@capacity bytes); fills @ret_image (its pixels point into @buffer).
 * AFIS_ERROR_BUFFER_TOO_SMALL if the crop does not fit. */
AfisStatus afis_iris_record_crop (const uint8_t *pixels, int width, int height,
                                  int stride,
                                  const AfisIrisSegmentation *segmentation,
                                  uint8_t *buffer, size_t capacity,
                                  AfisIrisRecordImage *ret_image)
  __attribute__ ((warn_unused_result));

/* Bytes needed to write @n_images. */
size_t afis_iris_record_size (const AfisIrisRecordImage *images, size_t n_images);

/* Writes a record of @n_images (1..MAX_IMAGES) into @buffer; the size
 * into *@ret_size. */
AfisStatus afis_iris_record_write (const AfisIrisRecordImage *images,
                                   size_t n_images, uint8_t *buffer,
                                   size_t capacity, size_t *ret_size)
  __attribute__ ((warn_unused_result));

/* Parses @size bytes into up to AFIS_IRIS_RECORD_MAX_IMAGES images
 * (@ret_images must hold that many); the count into *@ret_count.
 * AFIS_ERROR_MALFORMED_RECORD or AFIS_ERROR_UNSUPPORTED on bad input. */
AfisStatus afis_iris_record_read (const uint8_t *data, size_t size,
                                  AfisIrisRecordImage *ret_images,
                                  size_t *ret_count)
  __attribute__ ((warn_unused_result));

#ifdef __cplusplus
}
#endif

#endif
