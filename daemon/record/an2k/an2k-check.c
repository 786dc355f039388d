/* Checking a transaction against the profile's tables. */
#include "an2k-profile-private.h"

#include <stdlib.h>
#include <string.h>

static const char *
mnemonic (const an2k_field_rule *rule)
{
  return rule ? rule->mnemonic : "?";
}

/* Checks one field's subfields and items against its rule. */
static an2k_status
check_field (const an2k_field_rule *rule, const an2k_field *field, size_t index, an2k_fault *fault)
{
  const uint8_t *v = field->value;
  size_t n = field->length, start = 0;
  unsigned n_subfields = 0;
  size_t required_items = 0;

  for (size_t k = 0; k < rule->n_items; k++)
    if (!rule->items[k].optional)
      required_items = k + 1;

  if (rule->n_items == 1 && rule->items[0].kind == 'B')
    {
      if (n == 0)
        {
          an2k_fault_set (fault, AN2K_ERR_FORMAT, (int) index, rule->type, rule->field,
                          "%u.%03u %s: empty image data", rule->type, rule->field, rule->mnemonic);
          return AN2K_ERR_FORMAT;
        }
      return AN2K_OK;
    }

  while (start <= n)
    {
      size_t end = start, item_start = start;
      size_t n_items = 0;
      while (end < n && v[end] != AN2K_RS)
        end++;
      n_subfields++;
      if (n_subfields > rule->max)
        {
          an2k_fault_set (fault, AN2K_ERR_FORMAT, (int) index, rule->type, rule->field,
                          "%u.%03u %s: more than %u subfields", rule->type, rule->field, rule->mnemonic,
                          rule->max);
          return AN2K_ERR_FORMAT;
        }
      for (size_t k = start; k <= end; k++)
        {
          const char *reason;
          if (k != end && v[k] != AN2K_US)
            continue;
          if (n_items >= rule->n_items)
            {
              an2k_fault_set (fault, AN2K_ERR_FORMAT, (int) index, rule->type, rule->field,
                              "%u.%03u %s subfield %u: more than %zu information items", rule->type,
                              rule->field, rule->mnemonic, n_subfields, rule->n_items);
              return AN2K_ERR_FORMAT;
            }
          reason = an2k_item_check (&rule->items[n_items], v + item_start, k - item_start);
          if (reason != NULL)
            {
              an2k_fault_set (fault, AN2K_ERR_FORMAT, (int) index, rule->type, rule->field,
                              "%u.%03u %s subfield %u item %zu: %s", rule->type, rule->field,
                              rule->mnemonic, n_subfields, n_items + 1, reason);
              return AN2K_ERR_FORMAT;
            }
          n_items++;
          item_start = k + 1;
        }
      if (n_items < required_items)
        {
          an2k_fault_set (fault, AN2K_ERR_FORMAT, (int) index, rule->type, rule->field,
                          "%u.%03u %s subfield %u: %zu information items, %zu required", rule->type,
                          rule->field, rule->mnemonic, n_subfields, n_items, required_items);
          return AN2K_ERR_FORMAT;
        }
      start = end + 1;
    }
  if (n_subfields < rule->min)
    {
      an2k_fault_set (fault, AN2K_ERR_FORMAT, (int) index, rule->type, rule->field,
                      "%u.%03u %s: %u subfields, at least %u required", rule->type, rule->field,
                      rule->mnemonic, n_subfields, rule->min);
      return AN2K_ERR_FORMAT;
    }
  return AN2K_OK;
}

static an2k_status
check_record_fields (const an2k_profile *profile, const an2k_record *record, size_t index, an2k_fault *fault)
{
  for (size_t i = 0; i < record->n_fields; i++)
    {
      const an2k_field *field = &record->fields[i];
      const an2k_field_rule *rule = an2k_profile_find_field (profile, record->type, field->number);
      an2k_status status;
      if (rule == NULL)
        {
          an2k_fault_set (fault, AN2K_ERR_FORBIDDEN, (int) index, record->type, field->number,
                          "field %u.%03u is not allowed by profile %s", record->type, field->number,
                          profile->name);
          return AN2K_ERR_FORBIDDEN;
        }
      status = check_field (rule, field, index, fault);
      if (status != AN2K_OK)
        return status;
    }
  for (size_t r = 0; r < profile->n_fields; r++)
    {
      const an2k_field_rule *rule = &profile->fields[r];
      if (rule->type == record->type && rule->presence == 'M'
          && an2k_record_get_field (record, rule->field) == NULL)
        {
          an2k_fault_set (fault, AN2K_ERR_MISSING, (int) index, record->type, rule->field,
                          "mandatory field %u.%03u %s missing", record->type, rule->field, mnemonic (rule));
          return AN2K_ERR_MISSING;
        }
    }
  return AN2K_OK;
}

static an2k_status
check_sets (const an2k_profile *profile, const an2k_transaction *transaction, an2k_fault *fault)
{
  for (size_t s = 0; s < profile->n_sets; s++)
    {
      const an2k_set_rule *rule = &profile->sets[s];
      if (!rule->require)
        {
          for (size_t i = 0; i < transaction->n_records; i++)
            {
              const an2k_field *a = NULL;
              if (transaction->records[i]->type != rule->type
                  || (a = an2k_record_get_field (transaction->records[i], rule->field)) == NULL)
                continue;
              for (size_t j = i + 1; j < transaction->n_records; j++)
                {
                  const an2k_field *b;
                  if (transaction->records[j]->type != rule->type)
                    continue;
                  b = an2k_record_get_field (transaction->records[j], rule->field);
                  if (b && b->length == a->length && memcmp (a->value, b->value, a->length) == 0)
                    {
                      an2k_fault_set (fault, AN2K_ERR_CONSISTENCY, (int) j, rule->type, rule->field,
                                      "%u.%03u repeats the value of record %zu", rule->type,
                                      rule->field, i);
                      return AN2K_ERR_CONSISTENCY;
                    }
                }
            }
          continue;
        }
      /* require: walk the listed values */
      for (const char *c = rule->values; c != NULL;)
        {
          const char *comma = strchr (c, ',');
          size_t len = comma ? (size_t) (comma - c) : strlen (c);
          int found = 0;
          for (size_t i = 0; i < transaction->n_records && !found; i++)
            {
              const an2k_field *f;
              if (transaction->records[i]->type != rule->type)
                continue;
              f = an2k_record_get_field (transaction->records[i], rule->field);
              found = f && f->length == len && memcmp (f->value, c, len) == 0;
            }
          if (!found)
            {
              an2k_fault_set (fault, AN2K_ERR_MISSING, -1, rule->type, rule->field,
                              "no Type-%u record with %u.%03u = %.*s", rule->type, rule->type,
                              rule->field, (int) len, c);
              return AN2K_ERR_MISSING;
            }
          c = comma ? comma + 1 : NULL;
        }
    }
  return AN2K_OK;
}

an2k_status
an2k_profile_check (const an2k_profile *profile, const an2k_transaction *transaction, an2k_fault *ret_fault)
{
  an2k_status status;

  if (profile == NULL || transaction == NULL)
    return AN2K_ERR_ARGUMENT;
  if (transaction->n_records == 0 || transaction->records[0]->type != 1)
    {
      an2k_fault_set (ret_fault, AN2K_ERR_MISSING, -1, 1, 0, "the first record must be Type-1");
      return AN2K_ERR_MISSING;
    }
  /* which record types, and how many of each */
  for (size_t i = 0; i < transaction->n_records; i++)
    {
      unsigned type = transaction->records[i]->type;
      int allowed = 0;
      for (size_t r = 0; r < profile->n_records; r++)
        allowed |= profile->records[r].type == type;
      if (!allowed)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_FORBIDDEN, (int) i, type, 0,
                          "Type-%u records are not allowed by profile %s", type, profile->name);
          return AN2K_ERR_FORBIDDEN;
        }
    }
  for (size_t r = 0; r < profile->n_records; r++)
    {
      unsigned count = 0;
      for (size_t i = 0; i < transaction->n_records; i++)
        count += transaction->records[i]->type == profile->records[r].type;
      if (count < profile->records[r].min || count > profile->records[r].max)
        {
          an2k_status s = count < profile->records[r].min ? AN2K_ERR_MISSING : AN2K_ERR_FORBIDDEN;
          an2k_fault_set (ret_fault, s, -1, profile->records[r].type, 0,
                          "%u Type-%u record(s); profile %s wants %u to %u", count,
                          profile->records[r].type, profile->name, profile->records[r].min,
                          profile->records[r].max);
          return s;
        }
    }
  for (size_t i = 0; i < transaction->n_records; i++)
    {
      status = check_record_fields (profile, transaction->records[i], i, ret_fault);
      if (status != AN2K_OK)
        return status;
      status = an2k_rules_check_record (profile, transaction->records[i], i, ret_fault);
      if (status != AN2K_OK)
        return status;
    }
  return check_sets (profile, transaction, ret_fault);
}
