/* Internals shared by the an2k codec files; not installed. */
#pragma once

#include "an2k.h"

struct an2k_record {
  unsigned type;
  an2k_field *fields; /* ascending by number; values malloc()ed */
  size_t n_fields;
  size_t capacity;
};

struct an2k_transaction {
  an2k_record **records;
  size_t n_records;
  size_t capacity;
};

/* The fixed header of a binary record: the byte width of each entry,
 * field 1 first (LEN); the image data follows as field n_entries + 1.
 * A width of 6 is Type-4's FGP: six one-byte positions, kept as six
 * RS-separated numbers in the model. */
typedef struct {
  unsigned type;
  unsigned n_entries;
  unsigned widths[8];
} an2k_binary_layout;

const an2k_binary_layout *an2k_binary_layout_get (unsigned type);

an2k_status an2k_record_take_field (an2k_record *record, unsigned number, uint8_t *value, size_t length);
int an2k_parse_uint (const uint8_t *value, size_t length, unsigned long *ret_value);
