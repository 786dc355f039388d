#include "rk-nik.h"

#include <string.h>

#include "rk-intake-error.h"
#include "rk-region.h"

static const char *issue_codes[] = {
  [RK_NIK_ISSUE_LENGTH]              = "nik_length",
  [RK_NIK_ISSUE_NOT_DIGITS]          = "nik_not_digits",
  [RK_NIK_ISSUE_PROVINCE_UNKNOWN]    = "nik_province_unknown",
  [RK_NIK_ISSUE_REGENCY_UNKNOWN]     = "nik_regency_unknown",
  [RK_NIK_ISSUE_KECAMATAN_UNKNOWN]   = "nik_kecamatan_unknown",
  [RK_NIK_ISSUE_BIRTH_DAY_INVALID]   = "nik_birth_day_invalid",
  [RK_NIK_ISSUE_BIRTH_MONTH_INVALID] = "nik_birth_month_invalid",
  [RK_NIK_ISSUE_BIRTH_DATE_INVALID]  = "nik_birth_date_invalid",
  [RK_NIK_ISSUE_BIRTH_DATE_MISMATCH] = "nik_birth_date_mismatch",
  [RK_NIK_ISSUE_SEX_MISMATCH]        = "nik_sex_mismatch",
  [RK_NIK_ISSUE_SERIAL_ZERO]         = "nik_serial_zero",
};

const char *
rk_nik_issue_code_to_string (RkNikIssueCode code)
{
  if ((gsize) code >= G_N_ELEMENTS (issue_codes))
    return "nik_invalid";
  return issue_codes[code];
}

static void
issue_free (gpointer data)
{
  RkNikIssue *issue = data;

  g_free (issue->message);
  g_free (issue);
}

G_GNUC_PRINTF (4, 5) static void
add_issue (RkNikCheck *check, RkNikIssueCode code, gboolean warning,
           const char *format, ...)
{
  RkNikIssue *issue = g_new0 (RkNikIssue, 1);
  va_list args;

  issue->code = code;
  issue->warning = warning;
  va_start (args, format);
  issue->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (check->issues, issue);
}

static guint
two_digits (const char *s)
{
  return (guint) (s[0] - '0') * 10 + (guint) (s[1] - '0');
}

/* Checks the DDMMYY block alone. Without a record the century is unknown,
 * so a date is accepted when it exists in 19YY or 20YY (29 Feb 00 exists
 * in 2000 only). With a record, the record's century decides. */
static void
check_birth_date (RkNikCheck *check, const RkNikRecordFacts *record)
{
  guint raw_day = check->birth_day;
  guint day = raw_day > 40 ? raw_day - 40 : raw_day;
  guint month = check->birth_month;
  gboolean day_ok = (raw_day >= 1 && raw_day <= 31) || (raw_day >= 41 && raw_day <= 71);
  gboolean month_ok = month >= 1 && month <= 12;

  check->sex = raw_day > 40 ? RK_SEX_FEMALE : RK_SEX_MALE;
  check->birth_day = day;
  if (!day_ok)
    add_issue (check, RK_NIK_ISSUE_BIRTH_DAY_INVALID, FALSE,
               "digits 7-8 (%02u) are not a day of birth: 01-31 for men, 41-71 for women",
               raw_day);
  if (!month_ok)
    add_issue (check, RK_NIK_ISSUE_BIRTH_MONTH_INVALID, FALSE,
               "digits 9-10 (%02u) are not a month (01-12)", month);
  if (!day_ok || !month_ok)
    return;

  if (record != NULL && g_date_valid (&record->birth_date))
    {
      guint record_year = g_date_get_year (&record->birth_date);
      guint year = record_year - record_year % 100 + check->birth_year2;

      if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
        {
          add_issue (check, RK_NIK_ISSUE_BIRTH_DATE_INVALID, FALSE,
                     "digits 7-12 name %02u-%02u-%04u, which does not exist",
                     day, month, year);
          return;
        }
      if (day != g_date_get_day (&record->birth_date) ||
          month != (guint) g_date_get_month (&record->birth_date) ||
          year != record_year)
        add_issue (check, RK_NIK_ISSUE_BIRTH_DATE_MISMATCH, FALSE,
                   "digits 7-12 give the birth date %02u-%02u-%02u but the registry "
                   "record says %02u-%02u-%02u",
                   day, month, check->birth_year2,
                   g_date_get_day (&record->birth_date),
                   (guint) g_date_get_month (&record->birth_date), record_year % 100);
      if (record->sex != RK_SEX_UNKNOWN && record->sex != check->sex)
        add_issue (check, RK_NIK_ISSUE_SEX_MISMATCH, FALSE,
                   "digits 7-8 (%02u) mark the holder as %s but the registry record says %s",
                   raw_day, check->sex == RK_SEX_FEMALE ? "a woman (day + 40)" : "a man",
                   record->sex == RK_SEX_FEMALE ? "female" : "male");
      return;
    }

  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month,
                         (GDateYear) (1900 + check->birth_year2)) &&
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month,
                         (GDateYear) (2000 + check->birth_year2)))
    add_issue (check, RK_NIK_ISSUE_BIRTH_DATE_INVALID, FALSE,
               "digits 7-12 name day %02u of month %02u in year ..%02u, which does not exist",
               day, month, check->birth_year2);
}

RkNikCheck *
rk_nik_check (const char *nik, const RkNikRecordFacts *record)
{
  RkNikCheck *check = g_new0 (RkNikCheck, 1);
  gsize len;
  gboolean all_digits = TRUE;

  check->issues = g_ptr_array_new_with_free_func (issue_free);
  if (nik == NULL)
    nik = "";
  len = strlen (nik);
  g_strlcpy (check->nik, nik, sizeof check->nik);
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (nik[i]))
      all_digits = FALSE;
  if (len != RK_NIK_LENGTH)
    add_issue (check, RK_NIK_ISSUE_LENGTH, FALSE,
               "a NIK has 16 digits; %" G_GSIZE_FORMAT " characters were given", len);
  if (!all_digits)
    add_issue (check, RK_NIK_ISSUE_NOT_DIGITS, FALSE, "a NIK holds digits 0-9 only");
  if (len != RK_NIK_LENGTH || !all_digits)
    return check;

  check->structural = TRUE;
  memcpy (check->province, nik, 2);
  memcpy (check->regency, nik, 4);
  memcpy (check->kecamatan, nik, 6);
  check->birth_day = two_digits (nik + 6);
  check->birth_month = two_digits (nik + 8);
  check->birth_year2 = two_digits (nik + 10);
  check->serial = two_digits (nik + 12) * 100 + two_digits (nik + 14);

  if (rk_region_lookup (check->province) == NULL)
    add_issue (check, RK_NIK_ISSUE_PROVINCE_UNKNOWN, FALSE,
               "digits 1-2 (%s) are not a province code", check->province);
  else if (rk_region_lookup (check->regency) == NULL)
    add_issue (check, RK_NIK_ISSUE_REGENCY_UNKNOWN, FALSE,
               "digits 1-4 (%s) are not a regency or city of %s", check->regency,
               rk_region_lookup (check->province));
  else if (rk_region_lookup (check->kecamatan) == NULL)
    add_issue (check, RK_NIK_ISSUE_KECAMATAN_UNKNOWN, TRUE,
               "digits 5-6 (%s) are not a current kecamatan of %s; NIKs issued "
               "before a kecamatan was split or renumbered stay valid",
               check->kecamatan + 4, rk_region_lookup (check->regency));
  check_birth_date (check, record);
  if (check->serial == 0)
    add_issue (check, RK_NIK_ISSUE_SERIAL_ZERO, FALSE,
               "digits 13-16 are 0000; serials start at 0001");
  return check;
}

void
rk_nik_check_free (RkNikCheck *check)
{
  if (check == NULL)
    return;
  g_ptr_array_unref (check->issues);
  g_free (check);
}

gboolean
rk_nik_check_is_valid (const RkNikCheck *check)
{
  for (guint i = 0; i < check->issues->len; i++)
    if (!((RkNikIssue *) check->issues->pdata[i])->warning)
      return FALSE;
  return TRUE;
}

gboolean
rk_nik_check_to_error (const RkNikCheck *check, GError **error)
{
  for (guint i = 0; i < check->issues->len; i++)
    {
      RkNikIssue *issue = check->issues->pdata[i];

      if (!issue->warning)
        {
          g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NIK_INVALID,
                       "%s: %s", rk_nik_issue_code_to_string (issue->code),
                       issue->message);
          return FALSE;
        }
    }
  return TRUE;
}

void
rk_nik_compose (const char *kecamatan6, const GDate *birth_date, RkSex sex,
                guint serial, char buf[RK_NIK_LENGTH + 1])
{
  guint day = g_date_get_day (birth_date) + (sex == RK_SEX_FEMALE ? 40 : 0);

  g_snprintf (buf, RK_NIK_LENGTH + 1, "%.6s%02u%02u%02u%04u", kecamatan6, day,
              (guint) g_date_get_month (birth_date), g_date_get_year (birth_date) % 100,
              serial % 10000);
}
