/* afis: ISO/IEC 19794-2:2005 record reader and writer.
 *
 * Layout (big-endian): a 24-byte record header ("FMR\0", " 20\0", 4-byte
 * record length, 4-bit certification + 12-bit device type, image width
 * and height, x and y resolution in pixels/cm, view count, a reserved
 * byte), then per view a 4-byte header (position, view number << 4 |
 * impression type, quality, minutia count), 6 bytes per minutia (type in
 * the top 2 bits + 14-bit x, 2 reserved bits + 14-bit y, angle, quality)
 * and a 2-byte extended data length followed by that many bytes of
 * extended data areas (2-byte type, 2-byte data length, data).
 *
 * The reader goes through a bounded cursor: every read checks the bytes
 * left first, so no input can make it read past the buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "afis/afis-template.h"

typedef struct {
  const uint8_t *data;
  size_t size;
  size_t offset;
} Cursor;

static int
take (Cursor *c, size_t n, const uint8_t **ret)
{
  if (c->size - c->offset < n)
    return -1;
  *ret = c->data + c->offset;
  c->offset += n;
  return 0;
}

static AfisStatus
fail (char *reason, size_t reason_size, const char *format, ...)
{
  if (reason != NULL && reason_size > 0)
    {
      va_list args;
      va_start (args, format);
      vsnprintf (reason, reason_size, format, args);
      va_end (args);
    }
  return AFIS_ERROR_MALFORMED_RECORD;
}

static int
valid_impression (int type)
{
  return type <= 3 || type == AFIS_IMPRESSION_SWIPE;
}

/* Walks the extended data areas: each must have a non-zero type and fit
 * exactly into the block. */
static int
extended_valid (const uint8_t *p, size_t n)
{
  size_t at = 0;
  while (at < n)
    {
      if (n - at < 4)
        return 0;
      unsigned type = (unsigned) p[at] << 8 | p[at + 1];
      size_t length = (size_t) p[at + 2] << 8 | p[at + 3];
      if (type == 0 || n - at - 4 < length)
        return 0;
      at += 4 + length;
    }
  return 1;
}

AfisStatus
afis_template_read (const uint8_t *data, size_t size, AfisTemplate *ret_template, char *reason,
                    size_t reason_size)
{
  if (data == NULL || ret_template == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  Cursor c = { data, size, 0 };
  const uint8_t *p;
  if (take (&c, AFIS_TEMPLATE_HEADER_SIZE, &p) < 0)
    return fail (reason, reason_size, "record shorter than its 24-byte header");
  if (memcmp (p, "FMR\0", 4) != 0)
    return fail (reason, reason_size, "not a finger minutiae record (bad format identifier)");
  if (memcmp (p + 4, " 20\0", 4) != 0)
    {
      if (reason != NULL && reason_size > 0)
        snprintf (reason, reason_size, "unsupported record version (only ISO 19794-2:2005)");
      return AFIS_ERROR_UNSUPPORTED;
    }
  uint32_t length = (uint32_t) p[8] << 24 | (uint32_t) p[9] << 16 | (uint32_t) p[10] << 8 | p[11];
  if (length != size)
    return fail (reason, reason_size, "record length field (%lu) differs from the data size (%lu)",
                 (unsigned long) length, (unsigned long) size);
  AfisTemplate *t = ret_template;
  /* decode into a scratch copy so the caller's is untouched on failure:
   * the caller's storage is only written after full validation below,
   * by validating first in a dry pass */
  uint8_t certification = p[12] >> 4;
  uint16_t device = (uint16_t) ((p[12] & 0x0f) << 8 | p[13]);
  uint16_t width = (uint16_t) (p[14] << 8 | p[15]), height = (uint16_t) (p[16] << 8 | p[17]);
  uint16_t rx = (uint16_t) (p[18] << 8 | p[19]), ry = (uint16_t) (p[20] << 8 | p[21]);
  int views = p[22];
  if (width == 0 || height == 0)
    return fail (reason, reason_size, "image size is zero");
  if (rx == 0 || ry == 0)
    return fail (reason, reason_size, "resolution is zero");
  if (p[23] != 0)
    return fail (reason, reason_size, "reserved header byte is not zero");
  if (views == 0)
    return fail (reason, reason_size, "record holds no finger view");
  if (views > AFIS_TEMPLATE_MAX_VIEWS)
    {
      if (reason != NULL && reason_size > 0)
        snprintf (reason, reason_size, "more than %d finger views", AFIS_TEMPLATE_MAX_VIEWS);
      return AFIS_ERROR_UNSUPPORTED;
    }
  /* dry pass: validate everything without writing */
  Cursor v = c;
  for (int i = 0; i < views; i++)
    {
      if (take (&v, AFIS_TEMPLATE_VIEW_HEADER_SIZE, &p) < 0)
        return fail (reason, reason_size, "view %d: truncated view header", i + 1);
      if (p[0] > 14)
        return fail (reason, reason_size, "view %d: finger position %d out of range", i + 1, p[0]);
      if (!valid_impression (p[1] & 0x0f))
        return fail (reason, reason_size, "view %d: impression type %d undefined", i + 1, p[1] & 0x0f);
      if (p[2] > 100)
        return fail (reason, reason_size, "view %d: finger quality %d above 100", i + 1, p[2]);
      int count = p[3];
      for (int m = 0; m < count; m++)
        {
          if (take (&v, AFIS_TEMPLATE_MINUTIA_SIZE, &p) < 0)
            return fail (reason, reason_size, "view %d: truncated minutia %d", i + 1, m + 1);
          int type = p[0] >> 6;
          int x = (p[0] & 0x3f) << 8 | p[1], y = (p[2] & 0x3f) << 8 | p[3];
          if (type == 3)
            return fail (reason, reason_size, "view %d: minutia %d has a reserved type", i + 1, m + 1);
          if (p[2] >> 6)
            return fail (reason, reason_size, "view %d: minutia %d reserved bits set", i + 1, m + 1);
          if (x >= width || y >= height)
            return fail (reason, reason_size, "view %d: minutia %d outside the image", i + 1, m + 1);
          if (p[5] > 100)
            return fail (reason, reason_size, "view %d: minutia %d quality above 100", i + 1, m + 1);
        }
      if (take (&v, 2, &p) < 0)
        return fail (reason, reason_size, "view %d: truncated extended data length", i + 1);
      size_t ext = (size_t) p[0] << 8 | p[1];
      if (take (&v, ext, &p) < 0)
        return fail (reason, reason_size, "view %d: extended data runs past the record", i + 1);
      if (!extended_valid (p, ext))
        return fail (reason, reason_size, "view %d: malformed extended data area", i + 1);
      if (ext > AFIS_TEMPLATE_MAX_EXTENDED)
        {
          if (reason != NULL && reason_size > 0)
            snprintf (reason, reason_size, "view %d: more than %d bytes of extended data", i + 1,
                      AFIS_TEMPLATE_MAX_EXTENDED);
          return AFIS_ERROR_UNSUPPORTED;
        }
    }
  if (v.offset != size)
    return fail (reason, reason_size, "%lu unexpected bytes after the last view",
                 (unsigned long) (size - v.offset));

  /* valid: decode for real */
  memset (t, 0, sizeof *t);
  t->certification = certification;
  t->device_type = device;
  t->width = width;
  t->height = height;
  t->resolution_x = rx;
  t->resolution_y = ry;
  t->view_count = (uint8_t) views;
  for (int i = 0; i < views; i++)
    {
      AfisTemplateView *view = &t->views[i];
      (void) take (&c, AFIS_TEMPLATE_VIEW_HEADER_SIZE, &p);
      view->position = p[0];
      view->view_number = p[1] >> 4;
      view->impression_type = p[1] & 0x0f;
      view->quality = p[2];
      view->minutia_count = p[3];
      for (int m = 0; m < view->minutia_count; m++)
        {
          (void) take (&c, AFIS_TEMPLATE_MINUTIA_SIZE, &p);
          AfisMinutia *mi = &view->minutiae[m];
          mi->type = p[0] >> 6;
          mi->x = (uint16_t) ((p[0] & 0x3f) << 8 | p[1]);
          mi->y = (uint16_t) ((p[2] & 0x3f) << 8 | p[3]);
          mi->angle = p[4];
          mi->quality = p[5];
        }
      (void) take (&c, 2, &p);
      view->extended_length = (uint16_t) (p[0] << 8 | p[1]);
      (void) take (&c, view->extended_length, &p);
      memcpy (view->extended, p, view->extended_length);
    }
  return AFIS_OK;
}

size_t
afis_template_encoded_size (const AfisTemplate *t)
{
  if (t == NULL || t->view_count == 0 || t->view_count > AFIS_TEMPLATE_MAX_VIEWS)
    return 0;
  size_t size = AFIS_TEMPLATE_HEADER_SIZE;
  for (int i = 0; i < t->view_count; i++)
    {
      if (t->views[i].extended_length > AFIS_TEMPLATE_MAX_EXTENDED)
        return 0;
      size += AFIS_TEMPLATE_VIEW_HEADER_SIZE
              + (size_t) t->views[i].minutia_count * AFIS_TEMPLATE_MINUTIA_SIZE + 2
              + t->views[i].extended_length;
    }
  return size;
}

AfisStatus
afis_template_write (const AfisTemplate *t, uint8_t *buffer, size_t size, size_t *ret_length)
{
  if (t == NULL || buffer == NULL || ret_length == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  size_t need = afis_template_encoded_size (t);
  if (need == 0 || t->width == 0 || t->height == 0
      || t->resolution_x == 0 || t->resolution_y == 0 || t->certification > 15
      || t->device_type > 4095)
    return AFIS_ERROR_INVALID_ARGUMENT;
  for (int i = 0; i < t->view_count; i++)
    {
      const AfisTemplateView *view = &t->views[i];
      if (view->position > 14 || view->view_number > 15 || !valid_impression (view->impression_type)
          || view->quality > 100 || !extended_valid (view->extended, view->extended_length))
        return AFIS_ERROR_INVALID_ARGUMENT;
      for (int m = 0; m < view->minutia_count; m++)
        {
          const AfisMinutia *mi = &view->minutiae[m];
          if (mi->type > 2 || mi->x >= t->width || mi->y >= t->height || mi->x > 0x3fff
              || mi->y > 0x3fff || mi->quality > 100)
            return AFIS_ERROR_INVALID_ARGUMENT;
        }
    }
  if (size < need)
    return AFIS_ERROR_BUFFER_TOO_SMALL;
  uint8_t *p = buffer;
  memcpy (p, "FMR\0 20\0", 8);
  p[8] = (uint8_t) (need >> 24);
  p[9] = (uint8_t) (need >> 16);
  p[10] = (uint8_t) (need >> 8);
  p[11] = (uint8_t) need;
  p[12] = (uint8_t) (t->certification << 4 | t->device_type >> 8);
  p[13] = (uint8_t) t->device_type;
  p[14] = (uint8_t) (t->width >> 8);
  p[15] = (uint8_t) t->width;
  p[16] = (uint8_t) (t->height >> 8);
  p[17] = (uint8_t) t->height;
  p[18] = (uint8_t) (t->resolution_x >> 8);
  p[19] = (uint8_t) t->resolution_x;
  p[20] = (uint8_t) (t->resolution_y >> 8);
  p[21] = (uint8_t) t->resolution_y;
  p[22] = t->view_count;
  p[23] = 0;
  p += AFIS_TEMPLATE_HEADER_SIZE;
  for (int i = 0; i < t->view_count; i++)
    {
      const AfisTemplateView *view = &t->views[i];
      p[0] = view->position;
      p[1] = (uint8_t) (view->view_number << 4 | view->impression_type);
      p[2] = view->quality;
      p[3] = view->minutia_count;
      p += AFIS_TEMPLATE_VIEW_HEADER_SIZE;
      for (int m = 0; m < view->minutia_count; m++)
        {
          const AfisMinutia *mi = &view->minutiae[m];
          p[0] = (uint8_t) (mi->type << 6 | mi->x >> 8);
          p[1] = (uint8_t) mi->x;
          p[2] = (uint8_t) (mi->y >> 8);
          p[3] = (uint8_t) mi->y;
          p[4] = mi->angle;
          p[5] = mi->quality;
          p += AFIS_TEMPLATE_MINUTIA_SIZE;
        }
      p[0] = (uint8_t) (view->extended_length >> 8);
      p[1] = (uint8_t) view->extended_length;
      memcpy (p + 2, view->extended, view->extended_length);
      p += 2 + view->extended_length;
    }
  *ret_length = need;
  return AFIS_OK;
}

AfisStatus
afis_template_add_view (AfisTemplate *t, const AfisFingerprint *print)
{
  if (t == NULL || print == NULL || print->count > AFIS_FINGER_MAX_MINUTIAE
      || print->position > 14 || print->quality > 100)
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (t->view_count >= AFIS_TEMPLATE_MAX_VIEWS)
    return AFIS_ERROR_CAPACITY;
  if (t->view_count == 0)
    {
      t->certification = 0;
      t->device_type = 0;
      t->width = print->width;
      t->height = print->height;
      t->resolution_x = t->resolution_y = AFIS_TEMPLATE_RESOLUTION_500PPI;
    }
  /* a later view may be larger: the record's image size covers all */
  if (print->width > t->width)
    t->width = print->width;
  if (print->height > t->height)
    t->height = print->height;
  AfisTemplateView *view = &t->views[t->view_count];
  memset (view, 0, sizeof *view);
  view->position = print->position;
  int same = 0;
  for (int i = 0; i < t->view_count; i++)
    same += t->views[i].position == print->position;
  view->view_number = (uint8_t) (same > 15 ? 15 : same);
  view->impression_type = AFIS_IMPRESSION_LIVE_PLAIN;
  view->quality = print->quality;
  view->minutia_count = (uint8_t) print->count;
  memcpy (view->minutiae, print->minutiae, print->count * sizeof (AfisMinutia));
  t->view_count++;
  return AFIS_OK;
}

AfisStatus
afis_template_from_print (const AfisFingerprint *print, AfisTemplate *ret_template)
{
  if (print == NULL || ret_template == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  ret_template->view_count = 0;
  return afis_template_add_view (ret_template, print);
}

AfisStatus
afis_template_view_print (const AfisTemplate *t, int view, AfisFingerprint *ret_print)
{
  if (t == NULL || ret_print == NULL || view < 0 || view >= t->view_count
      || t->resolution_x == 0 || t->resolution_y == 0)
    return AFIS_ERROR_INVALID_ARGUMENT;
  const AfisTemplateView *v = &t->views[view];
  double sx = (double) AFIS_TEMPLATE_RESOLUTION_500PPI / t->resolution_x;
  double sy = (double) AFIS_TEMPLATE_RESOLUTION_500PPI / t->resolution_y;
  AfisFingerprint *print = ret_print;
  double w = t->width * sx, h = t->height * sy;
  print->width = (uint16_t) (w > 65535 ? 65535 : w + 0.5);
  print->height = (uint16_t) (h > 65535 ? 65535 : h + 0.5);
  print->quality = v->quality;
  print->position = v->position;
  print->count = v->minutia_count;
  for (int m = 0; m < v->minutia_count; m++)
    {
      print->minutiae[m] = v->minutiae[m];
      print->minutiae[m].x = (uint16_t) (v->minutiae[m].x * sx + 0.5);
      print->minutiae[m].y = (uint16_t) (v->minutiae[m].y * sy + 0.5);
      /* a foreign extractor that reports no quality: treat as average */
      if (print->minutiae[m].quality == 0)
        print->minutiae[m].quality = 50;
    }
  return AFIS_OK;
}
