/* afis iris: ISO/IEC 19794-6:2011 records (see afis-iris-record.h).
 *
 * Layout, all integers big-endian:
 *   general header (16): "IIR\0", "020\0", record length (4),
 *     number of representations (2), certification flag (1, 0),
 *     number of eyes (1)
 *   per representation: length (4), capture date and time (9, 0xFF =
 *     unknown), device technology (1), vendor (2), type (2), quality
 *     block count (1) and blocks of 5 (score, vendor (2), algorithm (2)),
 *     representation number (2), eye label (1), image type (1), image
 *     format (1), image properties (1), width (2), height (2), bit depth
 *     (1), range (2), roll angle (2), roll uncertainty (2), iris centre
 *     min/max x, min/max y (2 each), iris diameter min/max (2 each),
 *     image length (4), image data. */
#include <math.h>
#include <string.h>

#include "iris-private.h"
#include "afis/afis-iris-record.h"

#define GENERAL_HEADER 16
#define REPRESENTATION_FIXED 52  /* without quality blocks and image */
#define QUALITY_BLOCK 5
#define OUR_VENDOR 0x0000        /* unregistered */

AfisStatus
afis_iris_record_crop (const uint8_t *pixels, int width, int height, int stride,
                       const AfisIrisSegmentation *s, uint8_t *buffer,
                       size_t capacity, AfisIrisRecordImage *ret_image)
{
  AfisIrisRecordImage image;
  float R, cx, cy;
  int w, h, x0, y0;

  if (pixels == NULL || s == NULL || buffer == NULL || ret_image == NULL
      || stride < width || width <= 0 || height <= 0)
    return AFIS_ERROR_INVALID_ARGUMENT;
  R = s->iris.radius;
  cx = s->iris.x;
  cy = s->iris.y;
  if (!(R > 0) || R > AFIS_IRIS_RECORD_MAX_SIDE / 4)
    return AFIS_ERROR_INVALID_ARGUMENT;
  w = (int) ceilf (2 * 1.6f * R);
  h = (int) ceilf (2 * 1.2f * R);
  if ((size_t) w * (size_t) h > capacity)
    return AFIS_ERROR_BUFFER_TOO_SMALL;
  x0 = (int) lroundf (cx - 1.6f * R);
  y0 = (int) lroundf (cy - 1.2f * R);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int sx = x0 + x, sy = y0 + y;
        float dx = (float) sx - cx, dy = (float) sy - cy;
        uint8_t v;
        if (dx * dx + dy * dy > R * R)
          v = 200;  /* sclera and beyond */
        else if (iris_eyelid_occludes (s, (float) sx, (float) sy))
          v = 128;  /* eyelid */
        else if (sx < 0 || sy < 0 || sx >= width || sy >= height)
          v = 128;
        else
          v = pixels[(size_t) sy * (size_t) stride + (size_t) sx];
        buffer[(size_t) y * w + x] = v;
      }
  memset (&image, 0, sizeof image);
  image.image_type = AFIS_IRIS_IMAGE_TYPE_CROPPED_AND_MASKED;
  image.quality = 255;
  image.width = w;
  image.height = h;
  image.pixels = buffer;
  image.iris_diameter = (uint16_t) lroundf (2 * R);
  image.centre_x = (uint16_t) (cx - (float) x0 + 0.5f);
  image.centre_y = (uint16_t) (cy - (float) y0 + 0.5f);
  *ret_image = image;
  return AFIS_OK;
}

static size_t
representation_size (const AfisIrisRecordImage *image)
{
  return 4 + 9 + 1 + 2 + 2 + 1 + (image->quality != 255 ? QUALITY_BLOCK : 0)
         + 2 + 1 + 1 + 1 + 1 + 2 + 2 + 1 + 2 + 2 + 2 + 8 + 4 + 4
         + (size_t) image->width * (size_t) image->height;
}

size_t
afis_iris_record_size (const AfisIrisRecordImage *images, size_t n_images)
{
  size_t total = GENERAL_HEADER;

  if (images == NULL)
    return 0;
  for (size_t i = 0; i < n_images; i++)
    total += representation_size (&images[i]);
  return total;
}

static uint8_t *
put16 (uint8_t *p, unsigned v)
{
  p[0] = (uint8_t) (v >> 8);
  p[1] = (uint8_t) v;
  return p + 2;
}

static uint8_t *
put32 (uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t) (v >> 24);
  p[1] = (uint8_t) (v >> 16);
  p[2] = (uint8_t) (v >> 8);
  p[3] = (uint8_t) v;
  return p + 4;
}

AfisStatus
afis_iris_record_write (const AfisIrisRecordImage *images, size_t n_images,
                        uint8_t *buffer, size_t capacity, size_t *ret_size)
{
  size_t total;
  uint8_t *p;
  int eyes_seen[3] = { 0 }, n_eyes = 0;

  if (images == NULL || buffer == NULL || ret_size == NULL || n_images == 0
      || n_images > AFIS_IRIS_RECORD_MAX_IMAGES)
    return AFIS_ERROR_INVALID_ARGUMENT;
  for (size_t i = 0; i < n_images; i++)
    {
      const AfisIrisRecordImage *im = &images[i];
      if (im->pixels == NULL || im->width <= 0 || im->height <= 0
          || im->width > AFIS_IRIS_RECORD_MAX_SIDE || im->height > AFIS_IRIS_RECORD_MAX_SIDE
          || im->eye > 2 || (im->quality > 100 && im->quality != 255)
          || im->image_type == 0 || im->image_type > 7)
        return AFIS_ERROR_INVALID_ARGUMENT;
      if (!eyes_seen[im->eye])
        {
          eyes_seen[im->eye] = 1;
          if (im->eye != 0)
            n_eyes++;
        }
    }
  total = afis_iris_record_size (images, n_images);
  if (total > capacity)
    return AFIS_ERROR_BUFFER_TOO_SMALL;
  p = buffer;
  memcpy (p, "IIR\0" "020\0", 8);
  p += 8;
  p = put32 (p, (uint32_t) total);
  p = put16 (p, (unsigned) n_images);
  *p++ = 0;                 /* certification flag */
  *p++ = (uint8_t) n_eyes;
  for (size_t i = 0; i < n_images; i++)
    {
      const AfisIrisRecordImage *im = &images[i];
      size_t image_len = (size_t) im->width * (size_t) im->height;
      p = put32 (p, (uint32_t) representation_size (im));
      memset (p, 0xFF, 9);  /* capture date unknown: no clock in a pure library */
      p += 9;
      *p++ = 1;             /* device technology: CMOS/CCD */
      p = put16 (p, 0);     /* vendor */
      p = put16 (p, 0);     /* device type */
      if (im->quality != 255)
        {
          *p++ = 1;
          *p++ = im->quality;
          p = put16 (p, OUR_VENDOR);
          p = put16 (p, 1);  /* our algorithm */
        }
      else
        *p++ = 0;
      p = put16 (p, (unsigned) (i + 1));
      *p++ = im->eye;
      *p++ = im->image_type;
      *p++ = AFIS_IRIS_IMAGE_FORMAT_MONO_RAW;
      *p++ = 0x05;          /* orientation: base horizontally and vertically */
      p = put16 (p, (unsigned) im->width);
      p = put16 (p, (unsigned) im->height);
      *p++ = 8;
      p = put16 (p, 0);     /* range unknown */
      p = put16 (p, 0xFFFF);  /* roll angle undefined */
      p = put16 (p, 0xFFFF);
      p = put16 (p, im->centre_x);
      p = put16 (p, im->centre_x);
      p = put16 (p, im->centre_y);
      p = put16 (p, im->centre_y);
      p = put16 (p, im->iris_diameter);
      p = put16 (p, im->iris_diameter);
      p = put32 (p, (uint32_t) image_len);
      memcpy (p, im->pixels, image_len);
      p += image_len;
    }
  *ret_size = total;
  return AFIS_OK;
}

static unsigned
get16 (const uint8_t *p)
{
  return (unsigned) p[0] << 8 | p[1];
}

static uint32_t
get32 (const uint8_t *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

AfisStatus
afis_iris_record_read (const uint8_t *data, size_t size,
                       AfisIrisRecordImage *ret_images, size_t *ret_count)
{
  AfisIrisRecordImage images[AFIS_IRIS_RECORD_MAX_IMAGES];
  size_t n, offset;

  if (data == NULL || ret_images == NULL || ret_count == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (size < GENERAL_HEADER || memcmp (data, "IIR\0", 4) != 0)
    return AFIS_ERROR_MALFORMED_RECORD;
  if (memcmp (data + 4, "020\0", 4) != 0)
    return AFIS_ERROR_UNSUPPORTED;
  if (get32 (data + 8) != size)
    return AFIS_ERROR_MALFORMED_RECORD;
  n = get16 (data + 12);
  if (n == 0 || data[15] > 2)
    return AFIS_ERROR_MALFORMED_RECORD;
  if (n > AFIS_IRIS_RECORD_MAX_IMAGES)
    return AFIS_ERROR_CAPACITY;
  offset = GENERAL_HEADER;
  for (size_t i = 0; i < n; i++)
    {
      AfisIrisRecordImage *im = &images[i];
      const uint8_t *p = data + offset;
      size_t rep_len, left = size - offset, q, need;
      uint32_t image_len;

      if (left < REPRESENTATION_FIXED)
        return AFIS_ERROR_MALFORMED_RECORD;
      rep_len = get32 (p);
      if (rep_len > left || rep_len < REPRESENTATION_FIXED)
        return AFIS_ERROR_MALFORMED_RECORD;
      q = p[18];
      need = REPRESENTATION_FIXED + q * QUALITY_BLOCK;
      if (need > rep_len)
        return AFIS_ERROR_MALFORMED_RECORD;
      memset (im, 0, sizeof *im);
      im->quality = 255;
      if (q > 0)
        {
          if (p[19] > 100 && p[19] != 255)
            return AFIS_ERROR_MALFORMED_RECORD;
          im->quality = p[19];
        }
      p += 19 + q * QUALITY_BLOCK;
      if (get16 (p) != i + 1)
        return AFIS_ERROR_MALFORMED_RECORD;
      im->eye = p[2];
      im->image_type = p[3];
      if (im->eye > 2 || im->image_type == 0 || im->image_type > 7)
        return AFIS_ERROR_MALFORMED_RECORD;
      if (p[4] != AFIS_IRIS_IMAGE_FORMAT_MONO_RAW || p[10] != 8)
        return AFIS_ERROR_UNSUPPORTED;
      im->width = (int) get16 (p + 6);
      im->height = (int) get16 (p + 8);
      if (im->width == 0 || im->height == 0 || im->width > AFIS_IRIS_RECORD_MAX_SIDE
          || im->height > AFIS_IRIS_RECORD_MAX_SIDE)
        return AFIS_ERROR_MALFORMED_RECORD;
      im->centre_x = (uint16_t) get16 (p + 17);
      im->centre_y = (uint16_t) get16 (p + 21);
      im->iris_diameter = (uint16_t) get16 (p + 25);
      image_len = get32 (p + 29);
      if (image_len != (uint32_t) im->width * (uint32_t) im->height
          || need + image_len != rep_len)
        return AFIS_ERROR_MALFORMED_RECORD;
      im->pixels = p + 33;
      offset += rep_len;
    }
  if (offset != size)
    return AFIS_ERROR_MALFORMED_RECORD;
  memcpy (ret_images, images, n * sizeof images[0]);
  *ret_count = n;
  return AFIS_OK;
}
