/* The standard's cross-field rules, which a field table cannot express.
 * Each is listed in schemas/an2k-profile.md ("Rules checked in code"). */
#include "an2k-profile-private.h"

#include <string.h>

/* Image fields of the tagged image records (HLL..CGA, and BPX where the
 * type has it): all present with xx.999, all absent without it. */
static const unsigned image_fields_14_17[] = { 6, 7, 8, 9, 10, 11, 12 };
static const unsigned image_fields_10[] = { 6, 7, 8, 9, 10, 11, 12 }; /* 10.012 is CSP */

static int
field_equals (const an2k_record *record, unsigned number, const char *text)
{
  const an2k_field *field = an2k_record_get_field (record, number);
  size_t n = strlen (text);

  return field && field->length == n && memcmp (field->value, text, n) == 0;
}

static unsigned long
uint_or (const an2k_record *record, unsigned number, unsigned long fallback)
{
  unsigned long value;

  return an2k_record_get_uint (record, number, &value) == 0 ? value : fallback;
}

/* Checks that the data starts (and for WSQ, ends) with the markers of the
 * declared compression, and that uncompressed data has the exact size. */
static an2k_status
check_image_data (const an2k_record *record, size_t index, unsigned data_number,
                  unsigned long bytes_per_pixel_x8, an2k_fault *fault)
{
  const an2k_field *data = an2k_record_get_field (record, data_number);
  const an2k_field *cga = an2k_record_get_field (record, 11);
  const uint8_t *v;
  size_t n;
  const char *reason = NULL;

  if (data == NULL || cga == NULL)
    return AN2K_OK;
  v = data->value;
  n = data->length;
  if (field_equals (record, 11, "NONE"))
    {
      unsigned long hll = uint_or (record, 6, 0), vll = uint_or (record, 7, 0);
      unsigned long long expected = (unsigned long long) hll * vll * bytes_per_pixel_x8 / 8;
      if (expected != n)
        {
          an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) index, record->type, data_number,
                          "uncompressed image holds %zu bytes, HLL x VLL x depth gives %llu", n, expected);
          return AN2K_ERR_CONSISTENCY;
        }
      return AN2K_OK;
    }
  if (field_equals (record, 11, "WSQ20"))
    {
      if (n < 4 || v[0] != 0xFF || v[1] != 0xA0 || v[n - 2] != 0xFF || v[n - 1] != 0xA1)
        reason = "WSQ data must start with SOI FFA0 and end with EOI FFA1";
    }
  else if (field_equals (record, 11, "JPEGB") || field_equals (record, 11, "JPEGL"))
    {
      if (n < 4 || v[0] != 0xFF || v[1] != 0xD8 || v[n - 2] != 0xFF || v[n - 1] != 0xD9)
        reason = "JPEG data must start with SOI FFD8 and end with EOI FFD9";
    }
  else if (field_equals (record, 11, "PNG"))
    {
      static const uint8_t png[8] = { 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A };
      if (n < 8 || memcmp (v, png, 8) != 0)
        reason = "PNG data must start with the PNG signature";
    }
  else if (field_equals (record, 11, "JP2") || field_equals (record, 11, "JP2L"))
    {
      static const uint8_t jp2[6] = { 0x00, 0x00, 0x00, 0x0C, 'j', 'P' };
      static const uint8_t j2k[4] = { 0xFF, 0x4F, 0xFF, 0x51 };
      if (!(n >= 6 && memcmp (v, jp2, 6) == 0) && !(n >= 4 && memcmp (v, j2k, 4) == 0))
        reason = "JPEG 2000 data must start with a JP2 signature box or a codestream SOC";
    }
  if (reason != NULL)
    {
      an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) index, record->type, data_number, "%s", reason);
      return AN2K_ERR_CONSISTENCY;
    }
  return AN2K_OK;
}

static an2k_status
check_image_presence (const an2k_record *record, size_t index, const unsigned *fields, size_t n_fields,
                      an2k_fault *fault)
{
  int has_data = an2k_record_get_field (record, 999) != NULL;

  for (size_t i = 0; i < n_fields; i++)
    {
      int present = an2k_record_get_field (record, fields[i]) != NULL;
      if (has_data && !present)
        {
          an2k_fault_set (fault, AN2K_ERR_MISSING, (int) index, record->type, fields[i],
                          "field %u.%03u is mandatory when the record carries an image",
                          record->type, fields[i]);
          return AN2K_ERR_MISSING;
        }
      if (!has_data && present)
        {
          an2k_fault_set (fault, AN2K_ERR_FORBIDDEN, (int) index, record->type, fields[i],
                          "field %u.%03u describes an image but the record has none (no %u.999)",
                          record->type, fields[i], record->type);
          return AN2K_ERR_FORBIDDEN;
        }
    }
  if (has_data)
    {
      unsigned long slc = uint_or (record, 8, 0);
      if ((slc == 1 || slc == 2) && uint_or (record, 9, 0) != uint_or (record, 10, 1))
        {
          an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) index, record->type, 10,
                          "THPS and TVPS must be equal when SLC gives pixels per inch or cm");
          return AN2K_ERR_CONSISTENCY;
        }
    }
  return AN2K_OK;
}

/* Which fingers a Type-14 FGP covers: 1-10 itself; slaps 13 (right four:
 * 2-5), 14 (left four: 7-10), 15 (both thumbs: 1 and 6). */
static int
finger_in (unsigned long fgp, unsigned long finger)
{
  switch (fgp)
    {
    case 13: return finger >= 2 && finger <= 5;
    case 14: return finger >= 7 && finger <= 10;
    case 15: return finger == 1 || finger == 6;
    case 11: return finger == 1;
    case 12: return finger == 6;
    default: return finger == fgp;
    }
}

/* Walks the subfields of a field: calls back with each subfield's items
 * parsed as numbers where they are numbers (else ULONG max). */
typedef an2k_status (*subfield_func) (const an2k_record *record, size_t index, unsigned number,
                                      unsigned n_items, const unsigned long *items,
                                      const char *first_text, void *user_data, an2k_fault *fault);

static an2k_status
for_each_subfield (const an2k_record *record, size_t index, unsigned number, subfield_func func,
                   void *user_data, an2k_fault *fault)
{
  const an2k_field *field = an2k_record_get_field (record, number);
  size_t start = 0;

  if (field == NULL)
    return AN2K_OK;
  while (start <= field->length)
    {
      unsigned long items[8];
      char second_text[8] = "";
      unsigned n_items = 0;
      size_t end = start, item_start = start;
      an2k_status status;
      while (end < field->length && field->value[end] != AN2K_RS)
        end++;
      for (size_t k = start; k <= end && n_items < 8; k++)
        if (k == end || field->value[k] == AN2K_US)
          {
            if (an2k_parse_uint (field->value + item_start, k - item_start, &items[n_items]) != 0)
              items[n_items] = (unsigned long) -1;
            if (n_items == 1 && k - item_start < sizeof second_text)
              {
                memcpy (second_text, field->value + item_start, k - item_start);
                second_text[k - item_start] = '\0';
              }
            n_items++;
            item_start = k + 1;
          }
      status = func (record, index, number, n_items, items, second_text, user_data, fault);
      if (status != AN2K_OK)
        return status;
      start = end + 1;
    }
  return AN2K_OK;
}

static an2k_status
check_finger_reference (const an2k_record *record, size_t index, unsigned number, unsigned n_items,
                        const unsigned long *items, const char *second_text, void *user_data,
                        an2k_fault *fault)
{
  unsigned long fgp = *(const unsigned long *) user_data;

  (void) second_text;
  if (n_items < 1 || !finger_in (fgp, items[0]))
    {
      an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) index, record->type, number,
                      "%u.%03u names finger %ld, which record FGP %lu does not hold", record->type,
                      number, n_items ? (long) items[0] : -1L, fgp);
      return AN2K_ERR_CONSISTENCY;
    }
  if (number == 21 && n_items == 5)
    {
      /* SEG: left, right, top, bottom inside the image */
      unsigned long hll = uint_or (record, 6, 0), vll = uint_or (record, 7, 0);
      if (items[1] >= items[2] || items[2] > hll || items[3] >= items[4] || items[4] > vll)
        {
          an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) index, record->type, number,
                          "14.021 SEG box for finger %lu is empty or outside the %lux%lu image",
                          items[0], hll, vll);
          return AN2K_ERR_CONSISTENCY;
        }
    }
  return AN2K_OK;
}

static an2k_status
check_type14 (const an2k_record *record, size_t index, an2k_fault *fault)
{
  unsigned long fgp;
  int slap, has_image = an2k_record_get_field (record, 999) != NULL;
  an2k_status status;

  status = check_image_presence (record, index, image_fields_14_17, 7, fault);
  if (status != AN2K_OK)
    return status;
  if (an2k_record_get_uint (record, 13, &fgp) != 0)
    return AN2K_OK; /* the table check reports it */
  slap = fgp == 13 || fgp == 14 || fgp == 15;
  if (slap && has_image && an2k_record_get_field (record, 21) == NULL)
    {
      an2k_fault_set (fault, AN2K_ERR_MISSING, (int) index, 14, 21,
                      "14.021 SEG is mandatory for a slap image (FGP %lu)", fgp);
      return AN2K_ERR_MISSING;
    }
  if (!slap && an2k_record_get_field (record, 21) != NULL)
    {
      an2k_fault_set (fault, AN2K_ERR_FORBIDDEN, (int) index, 14, 21,
                      "14.021 SEG is only for slaps, not FGP %lu", fgp);
      return AN2K_ERR_FORBIDDEN;
    }
  if (!has_image && an2k_record_get_field (record, 18) == NULL)
    {
      an2k_fault_set (fault, AN2K_ERR_MISSING, (int) index, 14, 18,
                      "a Type-14 without image must say why in 14.018 AMP");
      return AN2K_ERR_MISSING;
    }
  status = for_each_subfield (record, index, 18, check_finger_reference, &fgp, fault);
  if (status == AN2K_OK)
    status = for_each_subfield (record, index, 21, check_finger_reference, &fgp, fault);
  if (status == AN2K_OK)
    status = for_each_subfield (record, index, 22, check_finger_reference, &fgp, fault);
  if (status == AN2K_OK && !slap)
    status = for_each_subfield (record, index, 24, check_finger_reference, &fgp, fault);
  if (status == AN2K_OK)
    status = check_image_data (record, index, 999, uint_or (record, 12, 8), fault);
  return status;
}

static an2k_status
check_type10 (const an2k_record *record, size_t index, an2k_fault *fault)
{
  unsigned long depth = field_equals (record, 12, "GRAY") ? 8 : 24;
  an2k_status status = check_image_presence (record, index, image_fields_10, 7, fault);

  if (status != AN2K_OK)
    return status;
  return check_image_data (record, index, 999, depth, fault);
}

static an2k_status
check_type17 (const an2k_record *record, size_t index, an2k_fault *fault)
{
  an2k_status status = check_image_presence (record, index, image_fields_14_17, 7, fault);

  if (status != AN2K_OK)
    return status;
  if (an2k_record_get_field (record, 999) == NULL && an2k_record_get_field (record, 28) == NULL)
    {
      an2k_fault_set (fault, AN2K_ERR_MISSING, (int) index, 17, 28,
                      "a Type-17 without image must say why in 17.028 DME");
      return AN2K_ERR_MISSING;
    }
  return check_image_data (record, index, 999, uint_or (record, 12, 8), fault);
}

static an2k_status
check_minutia (const an2k_record *record, size_t index, unsigned number, unsigned n_items,
               const unsigned long *items, const char *second_text, void *user_data, an2k_fault *fault)
{
  const unsigned long *size = user_data;

  (void) second_text;
  if (n_items >= 3 && (items[1] >= size[0] || items[2] >= size[1]))
    {
      an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) index, 9, number,
                      "9.137 minutia %lu lies outside the %lux%lu image", items[0], size[0], size[1]);
      return AN2K_ERR_CONSISTENCY;
    }
  return AN2K_OK;
}

static an2k_status
check_type9 (const an2k_record *record, size_t index, an2k_fault *fault)
{
  const an2k_field *fmd = an2k_record_get_field (record, 137);
  unsigned long nom = uint_or (record, 136, 0), count = 0;
  unsigned long size[2] = { uint_or (record, 128, 0), uint_or (record, 129, 0) };

  if (fmd != NULL)
    {
      count = 1;
      for (size_t i = 0; i < fmd->length; i++)
        count += fmd->value[i] == AN2K_RS;
    }
  if (count != nom)
    {
      an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) index, 9, 136,
                      "9.136 NOM says %lu minutiae, 9.137 FMD holds %lu", nom, count);
      return AN2K_ERR_CONSISTENCY;
    }
  return for_each_subfield (record, index, 137, check_minutia, size, fault);
}

static an2k_status
check_type8 (const an2k_record *record, size_t index, an2k_fault *fault)
{
  const an2k_field *data = an2k_record_get_field (record, 8);
  unsigned long srt = uint_or (record, 4, 0);

  if (data == NULL)
    return AN2K_OK;
  if (srt == 0 && (unsigned long long) uint_or (record, 6, 0) * uint_or (record, 7, 0) != data->length)
    {
      an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) index, 8, 8,
                      "uncompressed signature holds %zu bytes, HLL x VLL gives %lu", data->length,
                      uint_or (record, 6, 0) * uint_or (record, 7, 0));
      return AN2K_ERR_CONSISTENCY;
    }
  if (srt == 2 && data->length % 5 != 0)
    {
      an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) index, 8, 8,
                      "vector signature data is not a whole number of 5-byte vectors");
      return AN2K_ERR_CONSISTENCY;
    }
  return AN2K_OK;
}

an2k_status
an2k_rules_check_record (const an2k_profile *profile, const an2k_record *record, size_t index,
                         an2k_fault *fault)
{
  (void) profile;
  switch (record->type)
    {
    case 8: return check_type8 (record, index, fault);
    case 9: return check_type9 (record, index, fault);
    case 10: return check_type10 (record, index, fault);
    case 14: return check_type14 (record, index, fault);
    case 17: return check_type17 (record, index, fault);
    default: return AN2K_OK;
    }
}
