#include "rk-region.h"

#include <string.h>

/* Generated at build time from schemas/wilayah/wilayah.csv. */
extern const unsigned char rk_region_csv[];
extern const unsigned int  rk_region_csv_len;

typedef struct {
  GHashTable *names;    /* code without dots -> name; both owned by strings */
  GPtrArray  *codes;    /* all codes in file order */
  GStringChunk *strings;
} RegionTable;

/* Parses one RFC 4180 field starting at *p (the table is our own, derived
 * by derive-wilayah.py, but quoting is still honoured: some names hold
 * commas). */
static char *
parse_field (const char **p, const char *end, GString *buf)
{
  const char *s = *p;

  g_string_truncate (buf, 0);
  if (s < end && *s == '"')
    {
      s++;
      while (s < end)
        {
          if (*s == '"' && s + 1 < end && s[1] == '"')
            {
              g_string_append_c (buf, '"');
              s += 2;
            }
          else if (*s == '"')
            {
              s++;
              break;
            }
          else
            g_string_append_c (buf, *s++);
        }
    }
  else
    {
      while (s < end && *s != ',' && *s != '\n' && *s != '\r')
        g_string_append_c (buf, *s++);
    }
  *p = s;
  return buf->str;
}

static gpointer
region_table_load (gpointer data)
{
  RegionTable *table = g_new0 (RegionTable, 1);
  const char *p = (const char *) rk_region_csv;
  const char *end = p + rk_region_csv_len;
  g_autoptr(GString) code = g_string_new (NULL);
  g_autoptr(GString) name = g_string_new (NULL);
  gboolean header = TRUE;

  table->names = g_hash_table_new (g_str_hash, g_str_equal);
  table->codes = g_ptr_array_new ();
  table->strings = g_string_chunk_new (64 * 1024);
  while (p < end)
    {
      char *stored_code;

      parse_field (&p, end, code);
      if (p < end && *p == ',')
        p++;
      parse_field (&p, end, name);
      while (p < end && (*p == '\r' || *p == '\n'))
        p++;
      if (header)
        {
          header = FALSE;
          continue;
        }
      /* Strip the dots: NIK digits are compared without them. */
      for (char *s = code->str, *d = code->str;; s++)
        {
          if (*s != '.')
            *d++ = *s;
          if (*s == '\0')
            break;
        }
      g_string_set_size (code, strlen (code->str));
      stored_code = g_string_chunk_insert (table->strings, code->str);
      g_hash_table_insert (table->names, stored_code,
                           g_string_chunk_insert (table->strings, name->str));
      g_ptr_array_add (table->codes, stored_code);
    }
  return table;
}

static RegionTable *
region_table (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, region_table_load, NULL);
}

const char *
rk_region_lookup (const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);
  return g_hash_table_lookup (region_table ()->names, code);
}

GPtrArray *
rk_region_children (const char *code)
{
  RegionTable *table = region_table ();
  GPtrArray *children = g_ptr_array_new ();
  gsize len;

  g_return_val_if_fail (code != NULL, children);
  len = strlen (code);
  for (guint i = 0; i < table->codes->len; i++)
    {
      const char *candidate = table->codes->pdata[i];
      gsize candidate_len = strlen (candidate);

      /* Children are one level down: 2 -> 4 -> 6 -> 10 digits. */
      if (strncmp (candidate, code, len) == 0 && candidate_len > len &&
          candidate_len == (len < 6 ? len + 2 : len + 4))
        g_ptr_array_add (children, (gpointer) candidate);
    }
  return children;
}
