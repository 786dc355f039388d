/* The parsed profile; shared by an2k-profile.c and an2k-rules.c. */
#pragma once

#include "an2k-private.h"

typedef struct {
  char kind;          /* N R A S U H D Z E B, see schemas/an2k-profile.tsv */
  int optional;       /* may be left off the end of the subfield */
  unsigned long lo;   /* length or value range */
  unsigned long hi;
  char *choices;      /* E: "a|b|c", owned */
} an2k_item_rule;

typedef struct {
  unsigned type;
  unsigned field;
  char mnemonic[8];
  char presence;      /* 'M', 'O' or 'D' */
  unsigned min;       /* subfields */
  unsigned max;
  an2k_item_rule *items; /* owned */
  size_t n_items;
} an2k_field_rule;

typedef struct {
  unsigned type;
  unsigned min;
  unsigned max;
} an2k_record_rule;

typedef struct {
  unsigned type;
  unsigned field;
  int require;        /* 0: unique; 1: each of values must appear */
  char *values;       /* "1,2,3", owned */
} an2k_set_rule;

struct an2k_profile {
  char name[64];
  char version[16];
  an2k_record_rule *records;
  size_t n_records;
  an2k_field_rule *fields;
  size_t n_fields;
  an2k_set_rule *sets;
  size_t n_sets;
};

const an2k_field_rule *an2k_profile_find_field (const an2k_profile *profile, unsigned type, unsigned field);
const char *an2k_item_check (const an2k_item_rule *item, const uint8_t *value, size_t length);
/* The standard's cross-field rules for one record (an2k-rules.c). */
an2k_status an2k_rules_check_record (const an2k_profile *profile, const an2k_record *record,
                                     size_t index, an2k_fault *fault);
