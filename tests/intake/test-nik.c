/* NIK validation: one test per failure code, plus the warning, the
 * century from the record and the region lookups. */
#include <string.h>

#include "rk-intake-error.h"
#include "rk-nik.h"
#include "rk-region.h"

static gboolean
has_issue (const RkNikCheck *check, RkNikIssueCode code, gboolean warning)
{
  for (guint i = 0; i < check->issues->len; i++)
    {
      RkNikIssue *issue = check->issues->pdata[i];

      if (issue->code == code)
        {
          g_assert_cmpint (issue->warning, ==, warning);
          g_assert_nonnull (issue->message);
          return TRUE;
        }
    }
  return FALSE;
}

static void
facts (RkNikRecordFacts *f, guint d, guint m, guint y, RkSex sex)
{
  g_date_clear (&f->birth_date, 1);
  g_date_set_dmy (&f->birth_date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  f->sex = sex;
}

static void
test_region_lookup (void)
{
  g_autoptr(GPtrArray) kelurahan = rk_region_children ("367113");

  g_assert_cmpstr (rk_region_lookup ("36"), ==, "Banten");
  g_assert_cmpstr (rk_region_lookup ("3671"), ==, "Kota Tangerang");
  g_assert_cmpstr (rk_region_lookup ("367113"), ==, "Larangan");
  g_assert_cmpstr (rk_region_lookup ("3671131003"), ==, "Cipadu");
  g_assert_null (rk_region_lookup ("99"));
  g_assert_cmpuint (kelurahan->len, ==, 8);
}

static void
test_valid_man (void)
{
  RkNikRecordFacts f;
  g_autoptr(RkNikCheck) check = NULL;

  facts (&f, 5, 3, 1990, RK_SEX_MALE);
  check = rk_nik_check ("3671130503900001", &f);
  g_assert_true (rk_nik_check_is_valid (check));
  g_assert_cmpuint (check->issues->len, ==, 0);
  g_assert_cmpint (check->sex, ==, RK_SEX_MALE);
  g_assert_cmpuint (check->birth_day, ==, 5);
  g_assert_cmpuint (check->serial, ==, 1);
}

static void
test_valid_woman (void)
{
  RkNikRecordFacts f;
  g_autoptr(RkNikCheck) check = NULL;

  facts (&f, 17, 8, 2005, RK_SEX_FEMALE);
  check = rk_nik_check ("3671135708050123", &f);
  g_assert_true (rk_nik_check_is_valid (check));
  g_assert_cmpint (check->sex, ==, RK_SEX_FEMALE);
  g_assert_cmpuint (check->birth_day, ==, 17);
}

static void
test_length (void)
{
  g_autoptr(RkNikCheck) short_nik = rk_nik_check ("367113050390001", NULL);
  g_autoptr(RkNikCheck) long_nik = rk_nik_check ("36711305039000011", NULL);
  g_autoptr(RkNikCheck) empty = rk_nik_check ("", NULL);

  g_assert_true (has_issue (short_nik, RK_NIK_ISSUE_LENGTH, FALSE));
  g_assert_true (has_issue (long_nik, RK_NIK_ISSUE_LENGTH, FALSE));
  g_assert_true (has_issue (empty, RK_NIK_ISSUE_LENGTH, FALSE));
  g_assert_false (rk_nik_check_is_valid (short_nik));
  g_assert_false (short_nik->structural);
}

static void
test_not_digits (void)
{
  g_autoptr(RkNikCheck) check = rk_nik_check ("36711305O3900001", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (has_issue (check, RK_NIK_ISSUE_NOT_DIGITS, FALSE));
  g_assert_false (has_issue (check, RK_NIK_ISSUE_LENGTH, FALSE));
  g_assert_false (rk_nik_check_to_error (check, &error));
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NIK_INVALID);
  g_assert_nonnull (strstr (error->message, "nik_not_digits"));
}

static void
test_province (void)
{
  g_autoptr(RkNikCheck) check = rk_nik_check ("9971130503900001", NULL);

  g_assert_true (has_issue (check, RK_NIK_ISSUE_PROVINCE_UNKNOWN, FALSE));
  g_assert_false (rk_nik_check_is_valid (check));
}

static void
test_regency (void)
{
  g_autoptr(RkNikCheck) check = rk_nik_check ("3699130503900001", NULL);

  g_assert_true (has_issue (check, RK_NIK_ISSUE_REGENCY_UNKNOWN, FALSE));
  g_assert_false (has_issue (check, RK_NIK_ISSUE_PROVINCE_UNKNOWN, FALSE));
}

static void
test_kecamatan_warning (void)
{
  g_autoptr(RkNikCheck) check = rk_nik_check ("3671990503900001", NULL);

  g_assert_true (has_issue (check, RK_NIK_ISSUE_KECAMATAN_UNKNOWN, TRUE));
  /* A warning, not a refusal. */
  g_assert_true (rk_nik_check_is_valid (check));
}

static void
test_birth_day (void)
{
  g_autoptr(RkNikCheck) zero = rk_nik_check ("3671130003900001", NULL);
  g_autoptr(RkNikCheck) gap = rk_nik_check ("3671133503900001", NULL);
  g_autoptr(RkNikCheck) high = rk_nik_check ("3671137203900001", NULL);

  g_assert_true (has_issue (zero, RK_NIK_ISSUE_BIRTH_DAY_INVALID, FALSE));
  g_assert_true (has_issue (gap, RK_NIK_ISSUE_BIRTH_DAY_INVALID, FALSE));
  g_assert_true (has_issue (high, RK_NIK_ISSUE_BIRTH_DAY_INVALID, FALSE));
}

static void
test_birth_month (void)
{
  g_autoptr(RkNikCheck) check = rk_nik_check ("3671130513900001", NULL);
  g_autoptr(RkNikCheck) zero = rk_nik_check ("3671130500900001", NULL);

  g_assert_true (has_issue (check, RK_NIK_ISSUE_BIRTH_MONTH_INVALID, FALSE));
  g_assert_true (has_issue (zero, RK_NIK_ISSUE_BIRTH_MONTH_INVALID, FALSE));
}

static void
test_birth_date_invalid (void)
{
  RkNikRecordFacts f;
  g_autoptr(RkNikCheck) april31 = rk_nik_check ("3671133104900001", NULL);
  g_autoptr(RkNikCheck) feb29_1900 = NULL;
  g_autoptr(RkNikCheck) feb29_2000 = NULL;
  g_autoptr(RkNikCheck) feb29_unknown = rk_nik_check ("3671136902000001", NULL);

  g_assert_true (has_issue (april31, RK_NIK_ISSUE_BIRTH_DATE_INVALID, FALSE));
  /* 29 Feb 00 exists in 2000, not in 1900: the record's century decides. */
  g_assert_true (rk_nik_check_is_valid (feb29_unknown));
  facts (&f, 28, 2, 1900, RK_SEX_FEMALE);
  feb29_1900 = rk_nik_check ("3671136902000001", &f);
  g_assert_true (has_issue (feb29_1900, RK_NIK_ISSUE_BIRTH_DATE_INVALID, FALSE));
  facts (&f, 29, 2, 2000, RK_SEX_FEMALE);
  feb29_2000 = rk_nik_check ("3671136902000001", &f);
  g_assert_true (rk_nik_check_is_valid (feb29_2000));
}

static void
test_birth_date_mismatch (void)
{
  RkNikRecordFacts f;
  g_autoptr(RkNikCheck) day = NULL;
  g_autoptr(RkNikCheck) century = NULL;

  facts (&f, 6, 3, 1990, RK_SEX_MALE);
  day = rk_nik_check ("3671130503900001", &f);
  g_assert_true (has_issue (day, RK_NIK_ISSUE_BIRTH_DATE_MISMATCH, FALSE));
  g_assert_false (has_issue (day, RK_NIK_ISSUE_SEX_MISMATCH, FALSE));
  /* Same DDMMYY, other century: the record says 1890, the NIK cannot
   * disagree with that; but a different YY must. */
  facts (&f, 5, 3, 1991, RK_SEX_MALE);
  century = rk_nik_check ("3671130503900001", &f);
  g_assert_true (has_issue (century, RK_NIK_ISSUE_BIRTH_DATE_MISMATCH, FALSE));
}

static void
test_sex_mismatch (void)
{
  RkNikRecordFacts f;
  g_autoptr(RkNikCheck) check = NULL;

  facts (&f, 5, 3, 1990, RK_SEX_FEMALE);
  check = rk_nik_check ("3671130503900001", &f);
  g_assert_true (has_issue (check, RK_NIK_ISSUE_SEX_MISMATCH, FALSE));
  g_assert_false (has_issue (check, RK_NIK_ISSUE_BIRTH_DATE_MISMATCH, FALSE));
}

static void
test_serial_zero (void)
{
  g_autoptr(RkNikCheck) check = rk_nik_check ("3671130503900000", NULL);

  g_assert_true (has_issue (check, RK_NIK_ISSUE_SERIAL_ZERO, FALSE));
  g_assert_cmpuint (check->issues->len, ==, 1);
}

static void
test_compose_roundtrip (void)
{
  GDate date;
  char nik[RK_NIK_LENGTH + 1];
  RkNikRecordFacts f;
  g_autoptr(RkNikCheck) check = NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 9, G_DATE_DECEMBER, 2008);
  rk_nik_compose ("367113", &date, RK_SEX_FEMALE, 42, nik);
  g_assert_cmpstr (nik, ==, "3671134912080042");
  f.birth_date = date;
  f.sex = RK_SEX_FEMALE;
  check = rk_nik_check (nik, &f);
  g_assert_true (rk_nik_check_is_valid (check));
}

static void
test_mask (void)
{
  g_autofree char *masked = rk_nik_mask ("3671130503900001");

  g_assert_cmpstr (masked, ==, "367113****");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/intake/region/lookup", test_region_lookup);
  g_test_add_func ("/intake/nik/valid-man", test_valid_man);
  g_test_add_func ("/intake/nik/valid-woman", test_valid_woman);
  g_test_add_func ("/intake/nik/length", test_length);
  g_test_add_func ("/intake/nik/not-digits", test_not_digits);
  g_test_add_func ("/intake/nik/province-unknown", test_province);
  g_test_add_func ("/intake/nik/regency-unknown", test_regency);
  g_test_add_func ("/intake/nik/kecamatan-unknown-warns", test_kecamatan_warning);
  g_test_add_func ("/intake/nik/birth-day-invalid", test_birth_day);
  g_test_add_func ("/intake/nik/birth-month-invalid", test_birth_month);
  g_test_add_func ("/intake/nik/birth-date-invalid", test_birth_date_invalid);
  g_test_add_func ("/intake/nik/birth-date-mismatch", test_birth_date_mismatch);
  g_test_add_func ("/intake/nik/sex-mismatch", test_sex_mismatch);
  g_test_add_func ("/intake/nik/serial-zero", test_serial_zero);
  g_test_add_func ("/intake/nik/compose-roundtrip", test_compose_roundtrip);
  g_test_add_func ("/intake/nik/mask", test_mask);
  return g_test_run ();
}
