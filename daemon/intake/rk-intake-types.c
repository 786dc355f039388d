#include "rk-intake-types.h"

#include <string.h>

RkSex
rk_sex_parse (const char *text)
{
  if (text == NULL)
    return RK_SEX_UNKNOWN;
  if (strcmp (text, "1") == 0 || g_ascii_strcasecmp (text, "LAKI-LAKI") == 0 ||
      g_ascii_strcasecmp (text, "L") == 0 || g_ascii_strcasecmp (text, "male") == 0)
    return RK_SEX_MALE;
  if (strcmp (text, "2") == 0 || g_ascii_strcasecmp (text, "PEREMPUAN") == 0 ||
      g_ascii_strcasecmp (text, "P") == 0 || g_ascii_strcasecmp (text, "female") == 0)
    return RK_SEX_FEMALE;
  return RK_SEX_UNKNOWN;
}

RkMarital
rk_marital_parse (const char *text)
{
  static const struct {
    const char *code, *siak, *english;
    RkMarital   value;
  } table[] = {
    { "1", "BELUM KAWIN", "single",   RK_MARITAL_SINGLE },
    { "2", "KAWIN",       "married",  RK_MARITAL_MARRIED },
    { "3", "CERAI HIDUP", "divorced", RK_MARITAL_DIVORCED },
    { "4", "CERAI MATI",  "widowed",  RK_MARITAL_WIDOWED },
  };

  if (text == NULL)
    return RK_MARITAL_UNKNOWN;
  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (strcmp (text, table[i].code) == 0 ||
        g_ascii_strcasecmp (text, table[i].siak) == 0 ||
        g_ascii_strcasecmp (text, table[i].english) == 0)
      return table[i].value;
  return RK_MARITAL_UNKNOWN;
}

const char *
rk_sex_to_string (RkSex sex)
{
  switch (sex)
    {
    case RK_SEX_MALE:
      return "male";
    case RK_SEX_FEMALE:
      return "female";
    case RK_SEX_UNKNOWN:
    default:
      return "unknown";
    }
}

const char *
rk_marital_to_string (RkMarital marital)
{
  switch (marital)
    {
    case RK_MARITAL_SINGLE:
      return "single";
    case RK_MARITAL_MARRIED:
      return "married";
    case RK_MARITAL_DIVORCED:
      return "divorced";
    case RK_MARITAL_WIDOWED:
      return "widowed";
    case RK_MARITAL_UNKNOWN:
    default:
      return "unknown";
    }
}

static gboolean
digits (const char *s, gsize n, guint *ret)
{
  guint v = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (guint) (s[i] - '0');
    }
  *ret = v;
  return TRUE;
}

gboolean
rk_date_parse (const char *text, GDate *ret_date)
{
  guint y, m, d;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  if (text[4] == '-' && text[7] == '-')
    {
      if (!digits (text, 4, &y) || !digits (text + 5, 2, &m) || !digits (text + 8, 2, &d))
        return FALSE;
    }
  else if (text[2] == '-' && text[5] == '-')
    {
      if (!digits (text, 2, &d) || !digits (text + 3, 2, &m) || !digits (text + 6, 4, &y))
        return FALSE;
    }
  else
    return FALSE;
  if (y < 1 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (ret_date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

void
rk_date_format (const GDate *date, char buf[11])
{
  g_snprintf (buf, 11, "%04u-%02u-%02u", g_date_get_year (date),
              (guint) g_date_get_month (date), g_date_get_day (date));
}

char *
rk_nik_mask (const char *nik)
{
  if (nik == NULL)
    return g_strdup ("(none)");
  return g_strdup_printf ("%.6s****", nik);
}
