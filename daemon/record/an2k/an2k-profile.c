/* The application profile: parsing schemas/an2k-profile.tsv and checking a
 * transaction against it (table rules), then the standard's cross-field
 * rules that a table cannot say (an2k-rules.c). */
#include "an2k-profile-private.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char an2k_default_profile_text[];
extern const size_t an2k_default_profile_length;

void
an2k_profile_free (an2k_profile *profile)
{
  if (profile == NULL)
    return;
  for (size_t i = 0; i < profile->n_fields; i++)
    {
      for (size_t k = 0; k < profile->fields[i].n_items; k++)
        free (profile->fields[i].items[k].choices);
      free (profile->fields[i].items);
    }
  for (size_t i = 0; i < profile->n_sets; i++)
    free (profile->sets[i].values);
  free (profile->fields);
  free (profile->records);
  free (profile->sets);
  free (profile);
}

const char *
an2k_profile_get_name (const an2k_profile *profile)
{
  return profile ? profile->name : NULL;
}

const an2k_field_rule *
an2k_profile_find_field (const an2k_profile *profile, unsigned type, unsigned field)
{
  for (size_t i = 0; i < profile->n_fields; i++)
    if (profile->fields[i].type == type && profile->fields[i].field == field)
      return &profile->fields[i];
  return NULL;
}

const char *
an2k_profile_get_mnemonic (const an2k_profile *profile, unsigned type, unsigned field)
{
  const an2k_field_rule *rule;

  if (profile == NULL)
    return NULL;
  rule = an2k_profile_find_field (profile, type, field);
  return rule ? rule->mnemonic : NULL;
}

/* --- parsing --------------------------------------------------------- */

static int
parse_range (const char *text, unsigned long *ret_lo, unsigned long *ret_hi)
{
  char *end;
  unsigned long lo, hi;

  lo = strtoul (text, &end, 10);
  if (end == text || *end != '-')
    return -1;
  text = end + 1;
  hi = strtoul (text, &end, 10);
  if (end == text || *end != '\0' || hi < lo)
    return -1;
  *ret_lo = lo;
  *ret_hi = hi;
  return 0;
}

static int
parse_item (char *token, an2k_item_rule *item)
{
  size_t n = strlen (token);

  memset (item, 0, sizeof *item);
  if (n > 0 && token[n - 1] == '?')
    {
      item->optional = 1;
      token[--n] = '\0';
    }
  if (n == 0)
    return -1;
  item->kind = token[0];
  switch (token[0])
    {
    case 'N': case 'R': case 'A': case 'S': case 'U': case 'H':
      return parse_range (token + 1, &item->lo, &item->hi);
    case 'D': case 'Z': case 'B':
      return n == 1 ? 0 : -1;
    case 'E':
      if (n < 3 || token[1] != '<' || token[n - 1] != '>')
        return -1;
      token[n - 1] = '\0';
      item->choices = strdup (token + 2);
      return item->choices ? 0 : -1;
    default:
      return -1;
    }
}

static int
grow (void **array, size_t *capacity, size_t used, size_t size)
{
  void *p;

  if (used < *capacity)
    return 0;
  *capacity = *capacity ? *capacity * 2 : 16;
  p = realloc (*array, *capacity * size);
  if (p == NULL)
    return -1;
  *array = p;
  return 0;
}

static int
parse_line (an2k_profile *profile, char *line, size_t *capacities)
{
  char *words[10];
  size_t n = 0;
  char *save = NULL;

  for (char *w = strtok_r (line, " \t\r", &save); w && n < 10; w = strtok_r (NULL, " \t\r", &save))
    words[n++] = w;
  if (n == 0)
    return 0;
  if (strcmp (words[0], "profile") == 0 && n == 3)
    {
      snprintf (profile->name, sizeof profile->name, "%s", words[1]);
      snprintf (profile->version, sizeof profile->version, "%s", words[2]);
      return 0;
    }
  if (strcmp (words[0], "record") == 0 && n == 4)
    {
      an2k_record_rule *rule;
      if (grow ((void **) &profile->records, &capacities[0], profile->n_records, sizeof *rule) != 0)
        return -1;
      rule = &profile->records[profile->n_records++];
      rule->type = (unsigned) strtoul (words[1], NULL, 10);
      rule->min = (unsigned) strtoul (words[2], NULL, 10);
      rule->max = (unsigned) strtoul (words[3], NULL, 10);
      return rule->type >= 1 && rule->type <= 99 && rule->min <= rule->max ? 0 : -1;
    }
  if (strcmp (words[0], "field") == 0 && n == 8)
    {
      an2k_field_rule *rule;
      char *item_save = NULL;
      size_t item_capacity = 0;
      if (grow ((void **) &profile->fields, &capacities[1], profile->n_fields, sizeof *rule) != 0)
        return -1;
      rule = &profile->fields[profile->n_fields++];
      memset (rule, 0, sizeof *rule);
      rule->type = (unsigned) strtoul (words[1], NULL, 10);
      rule->field = (unsigned) strtoul (words[2], NULL, 10);
      snprintf (rule->mnemonic, sizeof rule->mnemonic, "%s", words[3]);
      rule->presence = words[4][0];
      rule->min = (unsigned) strtoul (words[5], NULL, 10);
      rule->max = strcmp (words[6], "*") == 0 ? 0xFFFFFFFFu : (unsigned) strtoul (words[6], NULL, 10);
      if (rule->field < 1 || rule->field > 999 || strchr ("MOD", rule->presence) == NULL
          || words[4][1] != '\0' || rule->min > rule->max)
        return -1;
      for (char *t = strtok_r (words[7], ",", &item_save); t; t = strtok_r (NULL, ",", &item_save))
        {
          if (grow ((void **) &rule->items, &item_capacity, rule->n_items, sizeof *rule->items) != 0)
            return -1;
          if (parse_item (t, &rule->items[rule->n_items]) != 0)
            return -1;
          rule->n_items++;
        }
      return rule->n_items > 0 ? 0 : -1;
    }
  if ((strcmp (words[0], "unique") == 0 && n == 3) || (strcmp (words[0], "require") == 0 && n == 4))
    {
      an2k_set_rule *rule;
      if (grow ((void **) &profile->sets, &capacities[2], profile->n_sets, sizeof *rule) != 0)
        return -1;
      rule = &profile->sets[profile->n_sets++];
      memset (rule, 0, sizeof *rule);
      rule->require = words[0][0] == 'r';
      rule->type = (unsigned) strtoul (words[1], NULL, 10);
      rule->field = (unsigned) strtoul (words[2], NULL, 10);
      if (rule->require)
        {
          rule->values = strdup (words[3]);
          if (rule->values == NULL)
            return -1;
        }
      return 0;
    }
  return -1;
}

an2k_status
an2k_profile_parse (const char *text, size_t length, an2k_profile **ret_profile, an2k_fault *ret_fault)
{
  an2k_profile *profile;
  size_t capacities[3] = { 0, 0, 0 };
  size_t start = 0;
  unsigned line_number = 0;

  if (text == NULL || ret_profile == NULL)
    return AN2K_ERR_ARGUMENT;
  profile = calloc (1, sizeof *profile);
  if (profile == NULL)
    return AN2K_ERR_NOMEM;
  while (start < length)
    {
      size_t end = start;
      char line[1024];
      while (end < length && text[end] != '\n')
        end++;
      line_number++;
      if (end - start >= sizeof line)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_PROFILE, -1, 0, 0, "profile line %u too long", line_number);
          an2k_profile_free (profile);
          return AN2K_ERR_PROFILE;
        }
      memcpy (line, text + start, end - start);
      line[end - start] = '\0';
      if (strchr (line, '#'))
        *strchr (line, '#') = '\0';
      if (parse_line (profile, line, capacities) != 0)
        {
          an2k_fault_set (ret_fault, AN2K_ERR_PROFILE, -1, 0, 0, "profile line %u malformed", line_number);
          an2k_profile_free (profile);
          return AN2K_ERR_PROFILE;
        }
      start = end + 1;
    }
  if (profile->name[0] == '\0' || profile->n_records == 0)
    {
      an2k_fault_set (ret_fault, AN2K_ERR_PROFILE, -1, 0, 0, "profile has no name or no record lines");
      an2k_profile_free (profile);
      return AN2K_ERR_PROFILE;
    }
  *ret_profile = profile;
  return AN2K_OK;
}

an2k_status
an2k_profile_new_default (an2k_profile **ret_profile)
{
  return an2k_profile_parse (an2k_default_profile_text, an2k_default_profile_length, ret_profile, NULL);
}

/* --- item formats ---------------------------------------------------- */

static int
all_bytes (const uint8_t *v, size_t n, int (*predicate) (int))
{
  for (size_t i = 0; i < n; i++)
    if (!predicate (v[i]))
      return 0;
  return 1;
}

static int is_digit (int c) { return c >= '0' && c <= '9'; }
static int is_alpha (int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static int is_hex (int c) { return is_digit (c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }
static int is_printable (int c) { return c >= 0x20 && c <= 0x7E; }

/* Strict UTF-8 (no overlongs, no surrogates), no control characters. */
static int
valid_utf8_text (const uint8_t *v, size_t n)
{
  size_t i = 0;

  while (i < n)
    {
      uint8_t c = v[i];
      size_t extra;
      uint32_t cp;
      if (c < 0x80)
        {
          if (c < 0x20 || c == 0x7F)
            return 0;
          i++;
          continue;
        }
      if (c >= 0xC2 && c <= 0xDF) { extra = 1; cp = c & 0x1F; }
      else if (c >= 0xE0 && c <= 0xEF) { extra = 2; cp = c & 0x0F; }
      else if (c >= 0xF0 && c <= 0xF4) { extra = 3; cp = c & 0x07; }
      else return 0;
      if (n - i <= extra)
        return 0;
      for (size_t k = 1; k <= extra; k++)
        {
          if ((v[i + k] & 0xC0) != 0x80)
            return 0;
          cp = (cp << 6) | (v[i + k] & 0x3F);
        }
      if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))
          || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
      i += extra + 1;
    }
  return 1;
}

static int
digits_value (const uint8_t *v, size_t n)
{
  int value = 0;
  for (size_t i = 0; i < n; i++)
    value = value * 10 + (v[i] - '0');
  return value;
}

static int
valid_date (const uint8_t *v)
{
  static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  int year, month, day;

  if (!all_bytes (v, 8, is_digit))
    return 0;
  year = digits_value (v, 4);
  month = digits_value (v + 4, 2);
  day = digits_value (v + 6, 2);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > days[month - 1])
    return 0;
  if (month == 2 && day == 29 && !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    return 0;
  return 1;
}

/* Returns NULL when the item conforms, or a short reason. */
const char *
an2k_item_check (const an2k_item_rule *item, const uint8_t *v, size_t n)
{
  switch (item->kind)
    {
    case 'N':
      if (n < item->lo || n > item->hi || !all_bytes (v, n, is_digit))
        return "expected digits";
      return NULL;
    case 'R':
      {
        unsigned long value;
        if (an2k_parse_uint (v, n, &value) != 0 || value < item->lo || value > item->hi)
          return "number out of range";
        return NULL;
      }
    case 'A':
      if (n < item->lo || n > item->hi || !all_bytes (v, n, is_alpha))
        return "expected letters";
      return NULL;
    case 'S':
      if (n < item->lo || n > item->hi || !all_bytes (v, n, is_printable))
        return "expected printable ASCII of the allowed length";
      return NULL;
    case 'U':
      if (n < item->lo || n > item->hi || !valid_utf8_text (v, n))
        return "expected UTF-8 text of the allowed length";
      return NULL;
    case 'H':
      if (n < item->lo || n > item->hi || !all_bytes (v, n, is_hex))
        return "expected hexadecimal digits";
      return NULL;
    case 'D':
      if (n != 8 || !valid_date (v))
        return "expected a date YYYYMMDD";
      return NULL;
    case 'Z':
      if (n != 15 || v[14] != 'Z' || !valid_date (v) || !all_bytes (v + 8, 6, is_digit)
          || digits_value (v + 8, 2) > 23 || digits_value (v + 10, 2) > 59 || digits_value (v + 12, 2) > 59)
        return "expected GMT YYYYMMDDHHMMSSZ";
      return NULL;
    case 'E':
      {
        const char *c = item->choices;
        while (c != NULL)
          {
            const char *bar = strchr (c, '|');
            size_t len = bar ? (size_t) (bar - c) : strlen (c);
            if (len == n && memcmp (c, v, n) == 0)
              return NULL;
            c = bar ? bar + 1 : NULL;
          }
        return "value not one of those allowed";
      }
    case 'B':
      return n > 0 ? NULL : "empty data";
    default:
      return "unknown format";
    }
}
