/* The in-memory model of a transaction: records and their fields. */
#include "an2k-private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
an2k_strerror (an2k_status status)
{
  switch (status)
    {
    case AN2K_OK: return "success";
    case AN2K_ERR_ARGUMENT: return "invalid argument";
    case AN2K_ERR_NOMEM: return "out of memory";
    case AN2K_ERR_TRUNCATED: return "file ends inside a record";
    case AN2K_ERR_SYNTAX: return "malformed tag, separator or number";
    case AN2K_ERR_LENGTH: return "record length (LEN) wrong";
    case AN2K_ERR_COUNT: return "file content (1.003 CNT) wrong";
    case AN2K_ERR_ORDER: return "fields out of order or repeated";
    case AN2K_ERR_MISSING: return "mandatory field or record missing";
    case AN2K_ERR_FORBIDDEN: return "field or record not allowed";
    case AN2K_ERR_FORMAT: return "value breaks its format";
    case AN2K_ERR_CONSISTENCY: return "fields disagree";
    case AN2K_ERR_UNSUPPORTED: return "record type not supported";
    case AN2K_ERR_LIMIT: return "size limit exceeded";
    case AN2K_ERR_PROFILE: return "profile malformed";
    }
  return "unknown status";
}

void
an2k_fault_set (an2k_fault *fault, an2k_status status, int record_index, unsigned record_type,
                unsigned field, const char *format, ...)
{
  va_list args;

  if (fault == NULL)
    return;
  fault->status = status;
  fault->record_index = record_index;
  fault->record_type = record_type;
  fault->field = field;
  va_start (args, format);
  vsnprintf (fault->message, sizeof fault->message, format, args);
  va_end (args);
}

int
an2k_type_is_binary (unsigned type)
{
  /* Types 3-8 are the fixed-header binary records of the standard; 3, 5, 6
   * are deprecated since 2011 and 7 is user-defined, but all are binary. */
  return type >= 3 && type <= 8;
}

an2k_transaction *
an2k_transaction_new (void)
{
  return calloc (1, sizeof (an2k_transaction));
}

static void
record_free (an2k_record *record)
{
  if (record == NULL)
    return;
  for (size_t i = 0; i < record->n_fields; i++)
    free ((void *) record->fields[i].value);
  free (record->fields);
  free (record);
}

void
an2k_transaction_free (an2k_transaction *transaction)
{
  if (transaction == NULL)
    return;
  for (size_t i = 0; i < transaction->n_records; i++)
    record_free (transaction->records[i]);
  free (transaction->records);
  free (transaction);
}

an2k_record *
an2k_transaction_add_record (an2k_transaction *transaction, unsigned type)
{
  an2k_record *record;

  if (transaction == NULL || type < 1 || type > 99)
    return NULL;
  if (transaction->n_records >= AN2K_MAX_RECORDS)
    return NULL;
  if (transaction->n_records == transaction->capacity)
    {
      size_t capacity = transaction->capacity ? transaction->capacity * 2 : 16;
      an2k_record **records = realloc (transaction->records, capacity * sizeof *records);
      if (records == NULL)
        return NULL;
      transaction->records = records;
      transaction->capacity = capacity;
    }
  record = calloc (1, sizeof *record);
  if (record == NULL)
    return NULL;
  record->type = type;
  transaction->records[transaction->n_records++] = record;
  return record;
}

size_t
an2k_transaction_get_n_records (const an2k_transaction *transaction)
{
  return transaction ? transaction->n_records : 0;
}

an2k_record *
an2k_transaction_get_record (const an2k_transaction *transaction, size_t index)
{
  if (transaction == NULL || index >= transaction->n_records)
    return NULL;
  return transaction->records[index];
}

unsigned
an2k_record_get_type (const an2k_record *record)
{
  return record ? record->type : 0;
}

size_t
an2k_record_get_n_fields (const an2k_record *record)
{
  return record ? record->n_fields : 0;
}

const an2k_field *
an2k_record_get_field_at (const an2k_record *record, size_t index)
{
  if (record == NULL || index >= record->n_fields)
    return NULL;
  return &record->fields[index];
}

/* Binary search: fields are kept in ascending order. Returns the index of
 * the field or of the slot where it would go (*ret_found says which). */
static size_t
field_slot (const an2k_record *record, unsigned number, int *ret_found)
{
  size_t lo = 0, hi = record->n_fields;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (record->fields[mid].number < number)
        lo = mid + 1;
      else
        hi = mid;
    }
  *ret_found = lo < record->n_fields && record->fields[lo].number == number;
  return lo;
}

const an2k_field *
an2k_record_get_field (const an2k_record *record, unsigned number)
{
  int found;
  size_t slot;

  if (record == NULL)
    return NULL;
  slot = field_slot (record, number, &found);
  return found ? &record->fields[slot] : NULL;
}

const char *
an2k_record_get_text (const an2k_record *record, unsigned number, char *buf, size_t size)
{
  const an2k_field *field = an2k_record_get_field (record, number);

  if (field == NULL || buf == NULL || size == 0 || field->length >= size)
    return NULL;
  if (memchr (field->value, '\0', field->length) != NULL)
    return NULL;
  memcpy (buf, field->value, field->length);
  buf[field->length] = '\0';
  return buf;
}

int
an2k_parse_uint (const uint8_t *value, size_t length, unsigned long *ret_value)
{
  unsigned long v = 0;

  if (length == 0 || length > 9)
    return -1;
  for (size_t i = 0; i < length; i++)
    {
      if (value[i] < '0' || value[i] > '9')
        return -1;
      v = v * 10 + (unsigned long) (value[i] - '0');
    }
  *ret_value = v;
  return 0;
}

int
an2k_record_get_uint (const an2k_record *record, unsigned number, unsigned long *ret_value)
{
  const an2k_field *field = an2k_record_get_field (record, number);

  if (field == NULL)
    return -1;
  return an2k_parse_uint (field->value, field->length, ret_value);
}

/* Takes ownership of value (malloc()ed) on success only. */
an2k_status
an2k_record_take_field (an2k_record *record, unsigned number, uint8_t *value, size_t length)
{
  int found;
  size_t slot;

  if (record == NULL || number < 1 || number > AN2K_MAX_FIELD_NUMBER)
    return AN2K_ERR_ARGUMENT;
  slot = field_slot (record, number, &found);
  if (found)
    {
      free ((void *) record->fields[slot].value);
      record->fields[slot].value = value;
      record->fields[slot].length = length;
      return AN2K_OK;
    }
  if (record->n_fields >= AN2K_MAX_FIELDS)
    return AN2K_ERR_LIMIT;
  if (record->n_fields == record->capacity)
    {
      size_t capacity = record->capacity ? record->capacity * 2 : 16;
      an2k_field *fields = realloc (record->fields, capacity * sizeof *fields);
      if (fields == NULL)
        return AN2K_ERR_NOMEM;
      record->fields = fields;
      record->capacity = capacity;
    }
  memmove (&record->fields[slot + 1], &record->fields[slot],
           (record->n_fields - slot) * sizeof *record->fields);
  record->fields[slot].number = number;
  record->fields[slot].value = value;
  record->fields[slot].length = length;
  record->n_fields++;
  return AN2K_OK;
}

an2k_status
an2k_record_set_field (an2k_record *record, unsigned number, const void *value, size_t length)
{
  uint8_t *copy;
  an2k_status status;

  if (record == NULL || (value == NULL && length > 0))
    return AN2K_ERR_ARGUMENT;
  if (length > AN2K_MAX_TRANSACTION)
    return AN2K_ERR_LIMIT;
  /* one spare byte so an empty value still has a distinct allocation */
  copy = malloc (length + 1);
  if (copy == NULL)
    return AN2K_ERR_NOMEM;
  if (length > 0)
    memcpy (copy, value, length);
  copy[length] = '\0';
  status = an2k_record_take_field (record, number, copy, length);
  if (status != AN2K_OK)
    free (copy);
  return status;
}

an2k_status
an2k_record_set_text (an2k_record *record, unsigned number, const char *value)
{
  if (value == NULL)
    return AN2K_ERR_ARGUMENT;
  return an2k_record_set_field (record, number, value, strlen (value));
}

an2k_status
an2k_record_set_printf (an2k_record *record, unsigned number, const char *format, ...)
{
  va_list args;
  char *text = NULL;
  int n;
  an2k_status status;

  va_start (args, format);
  n = vsnprintf (NULL, 0, format, args);
  va_end (args);
  if (n < 0)
    return AN2K_ERR_ARGUMENT;
  text = malloc ((size_t) n + 1);
  if (text == NULL)
    return AN2K_ERR_NOMEM;
  va_start (args, format);
  vsnprintf (text, (size_t) n + 1, format, args);
  va_end (args);
  status = an2k_record_take_field (record, number, (uint8_t *) text, (size_t) n);
  if (status != AN2K_OK)
    free (text);
  return status;
}

an2k_status
an2k_record_set_uint (an2k_record *record, unsigned number, unsigned long value)
{
  return an2k_record_set_printf (record, number, "%lu", value);
}

void
an2k_record_remove_field (an2k_record *record, unsigned number)
{
  int found;
  size_t slot;

  if (record == NULL)
    return;
  slot = field_slot (record, number, &found);
  if (!found)
    return;
  free ((void *) record->fields[slot].value);
  memmove (&record->fields[slot], &record->fields[slot + 1],
           (record->n_fields - slot - 1) * sizeof *record->fields);
  record->n_fields--;
}
