/* capture: ISO/IEC 19794-5:2005 face image record writer and reader. */
#include "capture/capture-iso19794-5.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FACIAL_INFO_SIZE 20  /* block length (4) + 16 bytes */
#define POINT_SIZE 8
#define IMAGE_INFO_SIZE 12

static const uint8_t format_id[4] = { 'F', 'A', 'C', 0 };
static const uint8_t version_2005[4] = { '0', '1', '0', 0 };

void
capture_iso19794_5_image_init (CaptureIso19794_5Image *image)
{
  if (image == NULL)
    return;
  memset (image, 0, sizeof *image);
  image->expression = 1;
  image->face_image_type = CAPTURE_ISO19794_5_TYPE_FULL_FRONTAL;
  image->image_data_type = CAPTURE_ISO19794_5_DATA_JPEG;
  image->colour_space = CAPTURE_ISO19794_5_COLOUR_RGB24;
  image->source_type = CAPTURE_ISO19794_5_SOURCE_DIGITAL_STILL;
}

void
capture_iso19794_5_image_set_token_eyes (CaptureIso19794_5Image *image)
{
  if (image == NULL)
    return;
  /* token frontal: eyes W/4 apart around the centre, 0.6 W from the top;
   * the subject's left eye is on the image's right */
  uint16_t w = image->width;
  CaptureIso19794_5Point left = { 1, 12, 1, (uint16_t) (w / 2 + w / 8),
                                  (uint16_t) (w * 3 / 5) };
  CaptureIso19794_5Point right = { 1, 12, 2, (uint16_t) (w / 2 - w / 8),
                                   (uint16_t) (w * 3 / 5) };
  image->points[0] = left;
  image->points[1] = right;
  image->n_points = 2;
}

static void
put16 (uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t) (v >> 8);
  p[1] = (uint8_t) v;
}

static void
put32 (uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t) (v >> 24);
  p[1] = (uint8_t) (v >> 16);
  p[2] = (uint8_t) (v >> 8);
  p[3] = (uint8_t) v;
}

static uint32_t
get16 (const uint8_t *p)
{
  return ((uint32_t) p[0] << 8) | p[1];
}

static uint32_t
get32 (const uint8_t *p)
{
  return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

static size_t
block_size (const CaptureIso19794_5Image *image)
{
  return FACIAL_INFO_SIZE + POINT_SIZE * image->n_points + IMAGE_INFO_SIZE +
         image->data_size;
}

CaptureStatus
capture_iso19794_5_write (const CaptureIso19794_5Image *images, size_t n_images,
                          uint8_t **ret_data, size_t *ret_size)
{
  if (images == NULL || ret_data == NULL || ret_size == NULL || n_images == 0 ||
      n_images > CAPTURE_ISO19794_5_MAX_IMAGES)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  size_t total = CAPTURE_ISO19794_5_HEADER_SIZE;
  for (size_t i = 0; i < n_images; i++)
    {
      const CaptureIso19794_5Image *image = &images[i];
      if (image->data == NULL || image->data_size == 0 ||
          image->data_size > CAPTURE_ISO19794_5_MAX_RECORD_SIZE ||
          image->width == 0 || image->height == 0 ||
          image->n_points > CAPTURE_ISO19794_5_MAX_POINTS ||
          image->feature_mask > 0xFFFFFFu)
        return CAPTURE_ERROR_INVALID_ARGUMENT;
      for (size_t k = 0; k < image->n_points; k++)
        if (image->points[k].major > 15 || image->points[k].minor > 15)
          return CAPTURE_ERROR_INVALID_ARGUMENT;
      total += block_size (image);
      if (total > CAPTURE_ISO19794_5_MAX_RECORD_SIZE)
        return CAPTURE_ERROR_INVALID_ARGUMENT;
    }
  uint8_t *out = malloc (total);
  if (out == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  uint8_t *p = out;
  memcpy (p, format_id, 4);
  memcpy (p + 4, version_2005, 4);
  put32 (p + 8, (uint32_t) total);
  put16 (p + 12, (uint32_t) n_images);
  p += CAPTURE_ISO19794_5_HEADER_SIZE;
  for (size_t i = 0; i < n_images; i++)
    {
      const CaptureIso19794_5Image *image = &images[i];
      put32 (p, (uint32_t) block_size (image));
      put16 (p + 4, (uint32_t) image->n_points);
      p[6] = image->gender;
      p[7] = image->eye_colour;
      p[8] = image->hair_colour;
      p[9] = (uint8_t) (image->feature_mask >> 16);
      put16 (p + 10, image->feature_mask & 0xFFFFu);
      put16 (p + 12, image->expression);
      memcpy (p + 14, image->pose, 3);
      memcpy (p + 17, image->pose_uncertainty, 3);
      p += FACIAL_INFO_SIZE;
      for (size_t k = 0; k < image->n_points; k++)
        {
          const CaptureIso19794_5Point *point = &image->points[k];
          p[0] = point->type;
          p[1] = (uint8_t) ((point->major << 4) | point->minor);
          put16 (p + 2, point->x);
          put16 (p + 4, point->y);
          put16 (p + 6, 0);
          p += POINT_SIZE;
        }
      p[0] = image->face_image_type;
      p[1] = image->image_data_type;
      put16 (p + 2, image->width);
      put16 (p + 4, image->height);
      p[6] = image->colour_space;
      p[7] = image->source_type;
      put16 (p + 8, image->device_type);
      put16 (p + 10, image->quality);
      p += IMAGE_INFO_SIZE;
      memcpy (p, image->data, image->data_size);
      p += image->data_size;
    }
  *ret_data = out;
  *ret_size = total;
  return CAPTURE_OK;
}

static CaptureStatus
malformed (const char **ret_reason, const char *reason)
{
  if (ret_reason != NULL)
    *ret_reason = reason;
  return CAPTURE_ERROR_MALFORMED_DATA;
}

/* Parses one image block of @length bytes at @p into @image. */
static CaptureStatus
read_block (const uint8_t *p, size_t length, CaptureIso19794_5Image *image,
            const char **ret_reason)
{
  memset (image, 0, sizeof *image);
  size_t n_points = get16 (p + 4);
  if (n_points > CAPTURE_ISO19794_5_MAX_POINTS)
    {
      if (ret_reason != NULL)
        *ret_reason = "more feature points than supported";
      return CAPTURE_ERROR_CAPACITY;
    }
  size_t fixed = FACIAL_INFO_SIZE + POINT_SIZE * n_points + IMAGE_INFO_SIZE;
  if (length <= fixed)
    return malformed (ret_reason, "image block shorter than its fields");
  image->n_points = n_points;
  image->gender = p[6];
  image->eye_colour = p[7];
  image->hair_colour = p[8];
  image->feature_mask = ((uint32_t) p[9] << 16) | get16 (p + 10);
  image->expression = (uint16_t) get16 (p + 12);
  memcpy (image->pose, p + 14, 3);
  memcpy (image->pose_uncertainty, p + 17, 3);
  for (int k = 0; k < 3; k++)
    if (image->pose[k] > 181)
      return malformed (ret_reason, "pose angle out of range");
  const uint8_t *q = p + FACIAL_INFO_SIZE;
  for (size_t k = 0; k < n_points; k++, q += POINT_SIZE)
    {
      CaptureIso19794_5Point *point = &image->points[k];
      point->type = q[0];
      point->major = q[1] >> 4;
      point->minor = q[1] & 0x0F;
      point->x = (uint16_t) get16 (q + 2);
      point->y = (uint16_t) get16 (q + 4);
      if (point->type != 1 && point->type != 2)
        return malformed (ret_reason, "unknown feature point type");
    }
  image->face_image_type = q[0];
  image->image_data_type = q[1];
  image->width = (uint16_t) get16 (q + 2);
  image->height = (uint16_t) get16 (q + 4);
  image->colour_space = q[6];
  image->source_type = q[7];
  image->device_type = (uint16_t) get16 (q + 8);
  image->quality = (uint16_t) get16 (q + 10);
  if (image->face_image_type > CAPTURE_ISO19794_5_TYPE_TOKEN_FRONTAL)
    return malformed (ret_reason, "unknown face image type");
  if (image->image_data_type > CAPTURE_ISO19794_5_DATA_JPEG2000)
    return malformed (ret_reason, "unknown image data type");
  if (image->width == 0 || image->height == 0)
    return malformed (ret_reason, "zero image width or height");
  for (size_t k = 0; k < n_points; k++)
    if (image->points[k].x >= image->width || image->points[k].y >= image->height)
      return malformed (ret_reason, "feature point outside the image");
  image->data = q + IMAGE_INFO_SIZE;
  image->data_size = length - fixed;
  /* a JPEG starts with SOI; JPEG 2000 with its signature box or SOC */
  if (image->image_data_type == CAPTURE_ISO19794_5_DATA_JPEG &&
      (image->data_size < 2 || image->data[0] != 0xFF || image->data[1] != 0xD8))
    return malformed (ret_reason, "image data is not a JPEG stream");
  return CAPTURE_OK;
}

CaptureStatus
capture_iso19794_5_read (const uint8_t *data, size_t size,
                         CaptureIso19794_5Image *ret_images, size_t max_images,
                         size_t *ret_n_images, const char **ret_reason)
{
  if (data == NULL || ret_images == NULL || ret_n_images == NULL || max_images == 0)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (size < CAPTURE_ISO19794_5_HEADER_SIZE)
    return malformed (ret_reason, "shorter than the 14-byte header");
  if (size > CAPTURE_ISO19794_5_MAX_RECORD_SIZE)
    return malformed (ret_reason, "larger than the record size cap");
  if (memcmp (data, format_id, 4) != 0)
    return malformed (ret_reason, "format identifier is not FAC");
  if (memcmp (data + 4, version_2005, 4) != 0)
    {
      if (ret_reason != NULL)
        *ret_reason = "version other than 010 (ISO/IEC 19794-5:2005)";
      return CAPTURE_ERROR_UNSUPPORTED;
    }
  uint32_t record_length = get32 (data + 8);
  if (record_length != size)
    return malformed (ret_reason, "record length does not match the data size");
  size_t n_images = get16 (data + 12);
  if (n_images == 0)
    return malformed (ret_reason, "record holds no image");
  if (n_images > max_images || n_images > CAPTURE_ISO19794_5_MAX_IMAGES)
    {
      if (ret_reason != NULL)
        *ret_reason = "more images than the caller can take";
      return CAPTURE_ERROR_CAPACITY;
    }
  /* parse into a scratch array so that the caller's is untouched on failure */
  CaptureIso19794_5Image *scratch = calloc (n_images, sizeof *scratch);
  if (scratch == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  size_t offset = CAPTURE_ISO19794_5_HEADER_SIZE;
  for (size_t i = 0; i < n_images; i++)
    {
      if (size - offset < FACIAL_INFO_SIZE)
        {
          free (scratch);
          return malformed (ret_reason, "image block truncated");
        }
      size_t length = get32 (data + offset);
      if (length > size - offset)
        {
          free (scratch);
          return malformed (ret_reason, "image block longer than the record");
        }
      CaptureStatus status = read_block (data + offset, length, &scratch[i], ret_reason);
      if (status != CAPTURE_OK)
        {
          free (scratch);
          return status;
        }
      offset += length;
    }
  if (offset != size)
    {
      free (scratch);
      return malformed (ret_reason, "bytes left after the last image");
    }
  memcpy (ret_images, scratch, n_images * sizeof *scratch);
  free (scratch);
  *ret_n_images = n_images;
  return CAPTURE_OK;
}
