/* The reader: structure only (separators, tags, order, LEN, CNT).
 *
 * Every access is checked against the end of the current record, and a
 * record's end is checked against the end of the input before any byte of
 * it is read, so malformed input can never make us read out of bounds. */
#include "an2k-private.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  unsigned type;
  unsigned long idc;
} cnt_entry;

/* Reads a run of decimal digits in [*p, end) (at most max_digits). */
static int
read_number (const uint8_t **p, const uint8_t *end, unsigned max_digits, unsigned long *ret_value)
{
  const uint8_t *q = *p;
  unsigned long value = 0;
  unsigned n = 0;

  while (q < end && *q >= '0' && *q <= '9')
    {
      if (++n > max_digits)
        return -1;
      value = value * 10 + (unsigned long) (*q - '0');
      q++;
    }
  if (n == 0)
    return -1;
  *p = q;
  *ret_value = value;
  return 0;
}

/* Reads "T.F:" at *p; on success *p points at the value. */
static an2k_status
read_tag (const uint8_t **p, const uint8_t *end, unsigned *ret_type, unsigned *ret_field)
{
  unsigned long type, field;

  if (read_number (p, end, 2, &type) != 0 || *p >= end || **p != '.')
    return AN2K_ERR_SYNTAX;
  (*p)++;
  if (read_number (p, end, 9, &field) != 0 || *p >= end || **p != ':')
    return AN2K_ERR_SYNTAX;
  (*p)++;
  if (field < 1 || field > AN2K_MAX_FIELD_NUMBER)
    return AN2K_ERR_SYNTAX;
  *ret_type = (unsigned) type;
  *ret_field = (unsigned) field;
  return AN2K_OK;
}

/* Parses one tagged record of the expected type starting at data[*offset].
 * On success appends it to the transaction and advances *offset. */
static an2k_status
decode_tagged (const uint8_t *data, size_t length, size_t *offset, unsigned expected_type,
               size_t index, an2k_transaction *transaction, an2k_fault *fault)
{
  const uint8_t *start = data + *offset, *end = data + length, *p = start, *record_end, *len_digits;
  unsigned type, number, previous = 0;
  unsigned long record_length;
  an2k_record *record;
  an2k_status status;

  status = read_tag (&p, end, &type, &number);
  if (status != AN2K_OK || number != 1)
    {
      an2k_fault_set (fault, AN2K_ERR_SYNTAX, (int) index, expected_type, 1,
                      "record does not start with a %u.001 LEN tag", expected_type);
      return AN2K_ERR_SYNTAX;
    }
  if (type != expected_type)
    {
      an2k_fault_set (fault, AN2K_ERR_COUNT, (int) index, type, 1,
                      "record is Type-%u but 1.003 CNT announces Type-%u", type, expected_type);
      return AN2K_ERR_COUNT;
    }
  len_digits = p;
  if (read_number (&p, end, 8, &record_length) != 0)
    {
      an2k_fault_set (fault, AN2K_ERR_SYNTAX, (int) index, type, 1, "LEN is not a number of 1-8 digits");
      return AN2K_ERR_SYNTAX;
    }
  if (record_length > (size_t) (end - start))
    {
      an2k_fault_set (fault, AN2K_ERR_TRUNCATED, (int) index, type, 1,
                      "LEN says %lu bytes but only %zu remain", record_length, (size_t) (end - start));
      return AN2K_ERR_TRUNCATED;
    }
  record_end = start + record_length; /* one past the FS */
  if (p >= record_end || (*p != AN2K_GS && *p != AN2K_FS))
    {
      an2k_fault_set (fault, AN2K_ERR_LENGTH, (int) index, type, 1,
                      "LEN %lu does not end where its field ends", record_length);
      return AN2K_ERR_LENGTH;
    }
  if (record_end[-1] != AN2K_FS)
    {
      an2k_fault_set (fault, AN2K_ERR_LENGTH, (int) index, type, 1,
                      "byte %lu of the record (by LEN) is not the FS separator", record_length);
      return AN2K_ERR_LENGTH;
    }

  record = an2k_transaction_add_record (transaction, type);
  if (record == NULL)
    {
      an2k_fault_set (fault, AN2K_ERR_LIMIT, (int) index, type, 0, "too many records");
      return AN2K_ERR_LIMIT;
    }
  /* keep LEN's digits as read */
  status = an2k_record_set_field (record, 1, len_digits, (size_t) (p - len_digits));
  if (status != AN2K_OK)
    return status;
  previous = 1;

  /* p points at the separator after LEN */
  while (*p == AN2K_GS)
    {
      const uint8_t *value, *q;
      p++;
      status = read_tag (&p, record_end, &type, &number);
      if (status != AN2K_OK)
        {
          an2k_fault_set (fault, AN2K_ERR_SYNTAX, (int) index, expected_type, 0,
                          "malformed field tag after field %u.%03u", expected_type, previous);
          return AN2K_ERR_SYNTAX;
        }
      if (type != expected_type)
        {
          an2k_fault_set (fault, AN2K_ERR_SYNTAX, (int) index, expected_type, number,
                          "field tagged %u.%03u inside a Type-%u record", type, number, expected_type);
          return AN2K_ERR_SYNTAX;
        }
      if (number <= previous)
        {
          an2k_fault_set (fault, AN2K_ERR_ORDER, (int) index, type, number,
                          "field %u.%03u follows %u.%03u (fields must ascend, once each)",
                          type, number, type, previous);
          return AN2K_ERR_ORDER;
        }
      value = p;
      if (number == 999)
        {
          /* binary data runs to the record's FS (its extent comes from LEN) */
          q = record_end - 1;
        }
      else
        {
          q = value;
          while (q < record_end && *q != AN2K_GS && *q != AN2K_FS)
            q++;
          if (q >= record_end)
            {
              an2k_fault_set (fault, AN2K_ERR_LENGTH, (int) index, type, number,
                              "field %u.%03u runs past the record's LEN", type, number);
              return AN2K_ERR_LENGTH;
            }
          if (*q == AN2K_FS && q != record_end - 1)
            {
              an2k_fault_set (fault, AN2K_ERR_LENGTH, (int) index, type, number,
                              "FS after field %u.%03u before the end given by LEN", type, number);
              return AN2K_ERR_LENGTH;
            }
        }
      status = an2k_record_set_field (record, number, value, (size_t) (q - value));
      if (status != AN2K_OK)
        {
          an2k_fault_set (fault, status, (int) index, type, number, "cannot store field");
          return status;
        }
      previous = number;
      p = q;
    }
  if (p != record_end - 1 || *p != AN2K_FS)
    {
      an2k_fault_set (fault, AN2K_ERR_LENGTH, (int) index, expected_type, previous,
                      "record ends before the length given by LEN");
      return AN2K_ERR_LENGTH;
    }
  if (previous == 1)
    {
      an2k_fault_set (fault, AN2K_ERR_MISSING, (int) index, expected_type, 2,
                      "record has no field after LEN");
      return AN2K_ERR_MISSING;
    }
  *offset += record_length;
  return AN2K_OK;
}

static an2k_status
decode_binary (const uint8_t *data, size_t length, size_t *offset, const an2k_binary_layout *layout,
               size_t index, an2k_transaction *transaction, an2k_fault *fault)
{
  const uint8_t *p = data + *offset;
  size_t remaining = length - *offset, header = 0;
  unsigned long record_length = 0;
  an2k_record *record;
  an2k_status status;

  for (unsigned i = 0; i < layout->n_entries; i++)
    header += layout->widths[i];
  if (remaining < header)
    {
      an2k_fault_set (fault, AN2K_ERR_TRUNCATED, (int) index, layout->type, 1,
                      "binary Type-%u header needs %zu bytes, %zu remain", layout->type, header, remaining);
      return AN2K_ERR_TRUNCATED;
    }
  for (unsigned b = 0; b < 4; b++)
    record_length = (record_length << 8) | p[b];
  if (record_length < header || record_length > remaining)
    {
      an2k_fault_set (fault, AN2K_ERR_LENGTH, (int) index, layout->type, 1,
                      "binary LEN %lu outside %zu..%zu", record_length, header, remaining);
      return AN2K_ERR_LENGTH;
    }
  record = an2k_transaction_add_record (transaction, layout->type);
  if (record == NULL)
    return AN2K_ERR_LIMIT;
  for (unsigned i = 0, at = 0; i < layout->n_entries; at += layout->widths[i], i++)
    {
      unsigned width = layout->widths[i];
      if (width == 6)
        status = an2k_record_set_printf (record, i + 1, "%u" AN2K_RS_S "%u" AN2K_RS_S "%u" AN2K_RS_S
                                         "%u" AN2K_RS_S "%u" AN2K_RS_S "%u",
                                         p[at], p[at + 1], p[at + 2], p[at + 3], p[at + 4], p[at + 5]);
      else
        {
          unsigned long value = 0;
          for (unsigned b = 0; b < width; b++)
            value = (value << 8) | p[at + b];
          status = an2k_record_set_uint (record, i + 1, value);
        }
      if (status != AN2K_OK)
        return status;
    }
  status = an2k_record_set_field (record, layout->n_entries + 1, p + header, record_length - header);
  if (status != AN2K_OK)
    return status;
  *offset += record_length;
  return AN2K_OK;
}

/* Parses 1.003 into entries (the Type-1 itself excluded). */
static an2k_status
parse_cnt (const an2k_record *type1, cnt_entry **ret_entries, size_t *ret_n, an2k_fault *fault)
{
  const an2k_field *cnt = an2k_record_get_field (type1, 3);
  const uint8_t *p, *end;
  unsigned long first, count, type, idc;
  cnt_entry *entries;
  size_t n = 0;

  if (cnt == NULL)
    {
      an2k_fault_set (fault, AN2K_ERR_MISSING, 0, 1, 3, "Type-1 has no 1.003 CNT field");
      return AN2K_ERR_MISSING;
    }
  p = cnt->value;
  end = p + cnt->length;
  if (read_number (&p, end, 1, &first) != 0 || first != 1 || p >= end || *p != AN2K_US
      || (p++, read_number (&p, end, 4, &count) != 0))
    {
      an2k_fault_set (fault, AN2K_ERR_COUNT, 0, 1, 3, "CNT must start with 1<US><number of records>");
      return AN2K_ERR_COUNT;
    }
  if (count >= AN2K_MAX_RECORDS)
    {
      an2k_fault_set (fault, AN2K_ERR_LIMIT, 0, 1, 3, "CNT announces %lu records (limit %u)",
                      count, AN2K_MAX_RECORDS - 1);
      return AN2K_ERR_LIMIT;
    }
  entries = calloc (count + 1, sizeof *entries);
  if (entries == NULL)
    return AN2K_ERR_NOMEM;
  while (p < end)
    {
      if (*p != AN2K_RS || (p++, read_number (&p, end, 2, &type) != 0) || p >= end || *p != AN2K_US
          || (p++, read_number (&p, end, 3, &idc) != 0))
        {
          free (entries);
          an2k_fault_set (fault, AN2K_ERR_COUNT, 0, 1, 3,
                          "CNT subfield %zu is not <record type><US><IDC>", n + 2);
          return AN2K_ERR_COUNT;
        }
      if (n >= count)
        {
          free (entries);
          an2k_fault_set (fault, AN2K_ERR_COUNT, 0, 1, 3,
                          "CNT lists more records than the %lu it announces", count);
          return AN2K_ERR_COUNT;
        }
      if (type == 1)
        {
          free (entries);
          an2k_fault_set (fault, AN2K_ERR_COUNT, 0, 1, 3, "CNT lists a second Type-1 record");
          return AN2K_ERR_COUNT;
        }
      entries[n].type = (unsigned) type;
      entries[n].idc = idc;
      n++;
    }
  if (n != count)
    {
      free (entries);
      an2k_fault_set (fault, AN2K_ERR_COUNT, 0, 1, 3, "CNT announces %lu records but lists %zu", count, n);
      return AN2K_ERR_COUNT;
    }
  *ret_entries = entries;
  *ret_n = n;
  return AN2K_OK;
}

an2k_status
an2k_transaction_decode (const uint8_t *data, size_t length, an2k_transaction **ret_transaction,
                         an2k_fault *ret_fault)
{
  an2k_transaction *transaction;
  cnt_entry *entries = NULL;
  size_t n_entries = 0, offset = 0;
  an2k_status status;

  if (data == NULL || ret_transaction == NULL)
    return AN2K_ERR_ARGUMENT;
  if (length > AN2K_MAX_TRANSACTION)
    {
      an2k_fault_set (ret_fault, AN2K_ERR_LIMIT, -1, 0, 0, "file larger than %u bytes", AN2K_MAX_TRANSACTION);
      return AN2K_ERR_LIMIT;
    }
  if (length == 0)
    {
      an2k_fault_set (ret_fault, AN2K_ERR_TRUNCATED, -1, 0, 0, "empty file");
      return AN2K_ERR_TRUNCATED;
    }
  transaction = an2k_transaction_new ();
  if (transaction == NULL)
    return AN2K_ERR_NOMEM;

  status = decode_tagged (data, length, &offset, 1, 0, transaction, ret_fault);
  if (status == AN2K_OK)
    {
      const an2k_field *ver = an2k_record_get_field (transaction->records[0], 2);
      /* readers locate VER right after LEN: keep to that order strictly */
      if (ver == NULL || transaction->records[0]->fields[1].number != 2)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_ORDER, 0, 1, 2, "1.002 VER must follow 1.001 LEN");
          status = AN2K_ERR_ORDER;
        }
    }
  if (status == AN2K_OK)
    status = parse_cnt (transaction->records[0], &entries, &n_entries, ret_fault);

  for (size_t i = 0; status == AN2K_OK && i < n_entries; i++)
    {
      const an2k_binary_layout *layout = an2k_binary_layout_get (entries[i].type);
      an2k_record *record;
      unsigned long idc;

      if (offset >= length)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_TRUNCATED, (int) (i + 1), entries[i].type, 0,
                          "file ends before record %zu announced by CNT", i + 1);
          status = AN2K_ERR_TRUNCATED;
          break;
        }
      if (layout != NULL)
        status = decode_binary (data, length, &offset, layout, i + 1, transaction, ret_fault);
      else if (an2k_type_is_binary (entries[i].type))
        {
          an2k_fault_set (ret_fault, AN2K_ERR_UNSUPPORTED, (int) (i + 1), entries[i].type, 0,
                          "binary Type-%u records are not supported", entries[i].type);
          status = AN2K_ERR_UNSUPPORTED;
        }
      else
        status = decode_tagged (data, length, &offset, entries[i].type, i + 1, transaction, ret_fault);
      if (status != AN2K_OK)
        break;
      record = transaction->records[i + 1];
      if (an2k_record_get_uint (record, 2, &idc) != 0)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_MISSING, (int) (i + 1), record->type, 2,
                          "record has no numeric IDC in field %u.002", record->type);
          status = AN2K_ERR_MISSING;
        }
      else if (idc != entries[i].idc)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_COUNT, (int) (i + 1), record->type, 2,
                          "IDC %lu but 1.003 CNT says %lu", idc, entries[i].idc);
          status = AN2K_ERR_COUNT;
        }
    }
  if (status == AN2K_OK && offset != length)
    {
      an2k_fault_set (ret_fault, AN2K_ERR_COUNT, -1, 0, 0,
                      "%zu bytes follow the last record announced by CNT", length - offset);
      status = AN2K_ERR_COUNT;
    }
  free (entries);
  if (status != AN2K_OK)
    {
      an2k_transaction_free (transaction);
      return status;
    }
  *ret_transaction = transaction;
  return AN2K_OK;
}
