/* The writer: traditional encoding, LEN and CNT computed here. */
#include "an2k-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const an2k_binary_layout binary_layouts[] = {
  /* LEN IDC IMP FGP ISR HLL VLL CGA (18 bytes) */
  { 4, 8, { 4, 1, 1, 6, 1, 2, 2, 1 } },
  /* LEN IDC SIG SRT ISR HLL VLL (12 bytes) */
  { 8, 7, { 4, 1, 1, 1, 1, 2, 2 } },
};

const an2k_binary_layout *
an2k_binary_layout_get (unsigned type)
{
  for (size_t i = 0; i < sizeof binary_layouts / sizeof binary_layouts[0]; i++)
    if (binary_layouts[i].type == type)
      return &binary_layouts[i];
  return NULL;
}

static size_t
decimal_digits (size_t value)
{
  size_t digits = 1;

  while (value >= 10)
    {
      value /= 10;
      digits++;
    }
  return digits;
}

/* Width of "T.NNN:" for this type and field (field zero-padded to 3). */
static size_t
tag_length (unsigned type, unsigned number)
{
  return decimal_digits (type) + 1 + (number < 100 ? 3 : decimal_digits (number)) + 1;
}

/* The IDC as written in CNT: the record's xx.002 text (binary records keep
 * it as decimal text too). Missing IDC -> fault. */
static an2k_status
record_idc (const an2k_record *record, size_t index, unsigned long *ret_idc, an2k_fault *fault)
{
  unsigned long idc;

  if (an2k_record_get_uint (record, 2, &idc) != 0 || idc > 255)
    {
      an2k_fault_set (fault, AN2K_ERR_MISSING, (int) index, record->type, 2,
                      "record has no valid IDC (field %u.002)", record->type);
      return AN2K_ERR_MISSING;
    }
  *ret_idc = idc;
  return AN2K_OK;
}

/* Fills in 1.003 CNT from the records. */
static an2k_status
write_cnt (an2k_transaction *transaction, an2k_fault *fault)
{
  size_t capacity = 32 + transaction->n_records * 16;
  char *cnt = malloc (capacity);
  size_t used;
  an2k_status status;

  if (cnt == NULL)
    return AN2K_ERR_NOMEM;
  used = (size_t) snprintf (cnt, capacity, "1" AN2K_US_S "%zu", transaction->n_records - 1);
  for (size_t i = 1; i < transaction->n_records; i++)
    {
      unsigned long idc;
      status = record_idc (transaction->records[i], i, &idc, fault);
      if (status != AN2K_OK)
        {
          free (cnt);
          return status;
        }
      used += (size_t) snprintf (cnt + used, capacity - used, AN2K_RS_S "%u" AN2K_US_S "%lu",
                                 transaction->records[i]->type, idc);
    }
  status = an2k_record_take_field (transaction->records[0], 3, (uint8_t *) cnt, used);
  if (status != AN2K_OK)
    free (cnt);
  return status;
}

/* Computes LEN for a tagged record (which includes LEN's own digits, every
 * separator and the closing FS) and stores it in field 1. */
static an2k_status
tagged_length (an2k_record *record, size_t index, size_t *ret_length, an2k_fault *fault)
{
  size_t base = tag_length (record->type, 1) + 1; /* "T.001:" + its GS or FS */
  size_t length, digits = 1;

  for (size_t i = 0; i < record->n_fields; i++)
    {
      const an2k_field *field = &record->fields[i];
      if (field->number == 1)
        continue;
      /* Only xx.999 may carry arbitrary bytes; a separator inside any other
       * field would corrupt the structure for every reader. */
      if (field->number != 999)
        for (size_t k = 0; k < field->length; k++)
          if (field->value[k] == AN2K_FS || field->value[k] == AN2K_GS)
            {
              an2k_fault_set (fault, AN2K_ERR_FORMAT, (int) index, record->type, field->number,
                              "field %u.%03u contains a record or field separator",
                              record->type, field->number);
              return AN2K_ERR_FORMAT;
            }
      base += tag_length (record->type, field->number) + field->length + 1;
    }
  /* digits of LEN change the total: iterate to the fixed point */
  length = base + digits;
  while (decimal_digits (length) != digits)
    {
      digits = decimal_digits (length);
      length = base + digits;
    }
  if (length > AN2K_MAX_TRANSACTION)
    {
      an2k_fault_set (fault, AN2K_ERR_LIMIT, (int) index, record->type, 1, "record too large");
      return AN2K_ERR_LIMIT;
    }
  *ret_length = length;
  return an2k_record_set_uint (record, 1, length);
}

static an2k_status
binary_length (an2k_record *record, size_t index, const an2k_binary_layout *layout,
               size_t *ret_length, an2k_fault *fault)
{
  size_t header = 0;
  const an2k_field *data = an2k_record_get_field (record, layout->n_entries + 1);

  for (unsigned i = 0; i < layout->n_entries; i++)
    header += layout->widths[i];
  if (data == NULL)
    {
      an2k_fault_set (fault, AN2K_ERR_MISSING, (int) index, record->type, layout->n_entries + 1,
                      "binary Type-%u record has no image data", record->type);
      return AN2K_ERR_MISSING;
    }
  if (header + data->length > 0xFFFFFFFFu)
    return AN2K_ERR_LIMIT;
  *ret_length = header + data->length;
  return an2k_record_set_uint (record, 1, header + data->length);
}

static void
put_tag (uint8_t **p, unsigned type, unsigned number)
{
  int n = sprintf ((char *) *p, number < 100 ? "%u.%03u:" : "%u.%u:", type, number);
  *p += n;
}

static void
write_tagged (const an2k_record *record, uint8_t **p)
{
  for (size_t i = 0; i < record->n_fields; i++)
    {
      const an2k_field *field = &record->fields[i];
      put_tag (p, record->type, field->number);
      memcpy (*p, field->value, field->length);
      *p += field->length;
      **p = (i + 1 == record->n_fields) ? AN2K_FS : AN2K_GS;
      (*p)++;
    }
}

/* Reads one header entry of a binary record into bytes (big-endian, or
 * Type-4's six FGP bytes). Returns AN2K_ERR_MISSING or AN2K_ERR_FORMAT. */
static an2k_status
binary_entry (const an2k_record *record, unsigned number, unsigned width, uint8_t *out)
{
  const an2k_field *field = an2k_record_get_field (record, number);
  unsigned long value = 0;

  if (field == NULL)
    return AN2K_ERR_MISSING;
  if (width == 6)
    {
      /* Type-4 FGP: up to six RS-separated positions, 255 = unused */
      size_t k = 0, start = 0;
      memset (out, 255, 6);
      for (size_t j = 0; j <= field->length && k < 6; j++)
        if (j == field->length || field->value[j] == AN2K_RS)
          {
            if (an2k_parse_uint (field->value + start, j - start, &value) != 0 || value > 255)
              return AN2K_ERR_FORMAT;
            out[k++] = (uint8_t) value;
            start = j + 1;
          }
      return AN2K_OK;
    }
  if (an2k_parse_uint (field->value, field->length, &value) != 0 || (width < 4 && value >= (1ul << (8 * width))))
    return AN2K_ERR_FORMAT;
  for (unsigned b = 0; b < width; b++)
    out[b] = (uint8_t) (value >> (8 * (width - 1 - b)));
  return AN2K_OK;
}

static an2k_status
write_binary (const an2k_record *record, size_t index, const an2k_binary_layout *layout,
              uint8_t **p, an2k_fault *fault)
{
  const an2k_field *data;

  for (unsigned i = 0; i < layout->n_entries; i++)
    {
      an2k_status status = binary_entry (record, i + 1, layout->widths[i], *p);
      if (status == AN2K_ERR_MISSING)
        {
          an2k_fault_set (fault, status, (int) index, record->type, i + 1, "binary field %u.%03u missing",
                          record->type, i + 1);
          return status;
        }
      if (status != AN2K_OK)
        {
          an2k_fault_set (fault, status, (int) index, record->type, i + 1,
                          "binary field %u.%03u does not fit %u byte(s)", record->type, i + 1, layout->widths[i]);
          return status;
        }
      *p += layout->widths[i];
    }
  data = an2k_record_get_field (record, layout->n_entries + 1);
  memcpy (*p, data->value, data->length);
  *p += data->length;
  return AN2K_OK;
}

an2k_status
an2k_transaction_encode (an2k_transaction *transaction, uint8_t **ret_data, size_t *ret_length,
                         an2k_fault *ret_fault)
{
  size_t total = 0;
  uint8_t *data, *p;
  an2k_status status;

  if (transaction == NULL || ret_data == NULL || ret_length == NULL)
    return AN2K_ERR_ARGUMENT;
  if (transaction->n_records == 0 || transaction->records[0]->type != 1)
    {
      an2k_fault_set (ret_fault, AN2K_ERR_MISSING, -1, 1, 0, "the first record must be Type-1");
      return AN2K_ERR_MISSING;
    }
  status = write_cnt (transaction, ret_fault);
  if (status != AN2K_OK)
    return status;

  for (size_t i = 0; i < transaction->n_records; i++)
    {
      an2k_record *record = transaction->records[i];
      const an2k_binary_layout *layout = an2k_binary_layout_get (record->type);
      size_t length;

      if (i > 0 && record->type == 1)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_FORBIDDEN, (int) i, 1, 0, "a second Type-1 record");
          return AN2K_ERR_FORBIDDEN;
        }
      if (an2k_type_is_binary (record->type) && layout == NULL)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_UNSUPPORTED, (int) i, record->type, 0,
                          "binary Type-%u records are not written", record->type);
          return AN2K_ERR_UNSUPPORTED;
        }
      status = layout ? binary_length (record, i, layout, &length, ret_fault)
                      : tagged_length (record, i, &length, ret_fault);
      if (status != AN2K_OK)
        return status;
      total += length;
      if (total > AN2K_MAX_TRANSACTION)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_LIMIT, (int) i, record->type, 0, "transaction too large");
          return AN2K_ERR_LIMIT;
        }
    }

  /* + 16: sprintf of the last tag writes its NUL one byte past the tag */
  data = malloc (total + 16);
  if (data == NULL)
    return AN2K_ERR_NOMEM;
  p = data;
  for (size_t i = 0; i < transaction->n_records; i++)
    {
      an2k_record *record = transaction->records[i];
      const an2k_binary_layout *layout = an2k_binary_layout_get (record->type);
      if (layout)
        {
          status = write_binary (record, i, layout, &p, ret_fault);
          if (status != AN2K_OK)
            {
              free (data);
              return status;
            }
        }
      else
        write_tagged (record, &p);
    }
  if ((size_t) (p - data) != total)
    {
      free (data);
      an2k_fault_set (ret_fault, AN2K_ERR_LENGTH, -1, 0, 0, "internal length mismatch");
      return AN2K_ERR_LENGTH;
    }
  *ret_data = data;
  *ret_length = total;
  return AN2K_OK;
}
