/* Eligibility edges: the 17th birthday itself, the day before, 29
 * February, marriage under 17. */
#include <string.h>

#include "rk-eligibility.h"
#include "rk-intake-error.h"

static GDate
dmy (guint d, guint m, guint y)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return date;
}

static void
assert_date (const GDate *date, guint d, guint m, guint y)
{
  g_assert_cmpuint (g_date_get_day (date), ==, d);
  g_assert_cmpuint (g_date_get_month (date), ==, m);
  g_assert_cmpuint (g_date_get_year (date), ==, y);
}

static void
test_birthday_itself (void)
{
  GDate birth = dmy (10, 5, 2008), on = dmy (10, 5, 2025);
  RkEligibility e;

  g_assert_true (rk_eligibility_check (&birth, RK_MARITAL_SINGLE, &on, &e));
  g_assert_true (e.eligible);
  g_assert_cmpint (e.rule, ==, RK_ELIGIBILITY_RULE_AGE);
  g_assert_cmpuint (e.age, ==, 17);
}

static void
test_day_before (void)
{
  GDate birth = dmy (10, 5, 2008), on = dmy (9, 5, 2025);
  RkEligibility e;
  g_autoptr(GError) error = NULL;

  g_assert_true (rk_eligibility_check (&birth, RK_MARITAL_SINGLE, &on, &e));
  g_assert_false (e.eligible);
  g_assert_cmpint (e.rule, ==, RK_ELIGIBILITY_RULE_UNDER_AGE);
  g_assert_cmpuint (e.age, ==, 16);
  assert_date (&e.eligible_from, 10, 5, 2025);
  rk_eligibility_to_error (&e, &error);
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_ELIGIBLE);
  g_assert_nonnull (strstr (error->message, "2025-05-10"));
  g_assert_nonnull (strstr (error->message, "under_17_unmarried"));
}

static void
test_leap_day_non_leap_year (void)
{
  GDate birth = dmy (29, 2, 2008), feb28 = dmy (28, 2, 2025), mar1 = dmy (1, 3, 2025);
  RkEligibility e;

  g_assert_true (rk_eligibility_check (&birth, RK_MARITAL_SINGLE, &feb28, &e));
  g_assert_false (e.eligible);
  assert_date (&e.eligible_from, 1, 3, 2025);
  g_assert_true (rk_eligibility_check (&birth, RK_MARITAL_SINGLE, &mar1, &e));
  g_assert_true (e.eligible);
}

static void
test_leap_day_neighbours (void)
{
  /* A 29 February child always turns 17 in a non-leap year (leap + 17 is
   * odd), so the edge is always 1 March; the neighbours keep their day. */
  GDate feb28 = dmy (28, 2, 2008), mar1 = dmy (1, 3, 2008);
  GDate on = dmy (28, 2, 2025);
  RkEligibility e;

  g_assert_true (rk_eligibility_check (&feb28, RK_MARITAL_SINGLE, &on, &e));
  g_assert_true (e.eligible);
  assert_date (&e.eligible_from, 28, 2, 2025);
  g_assert_true (rk_eligibility_check (&mar1, RK_MARITAL_SINGLE, &on, &e));
  g_assert_false (e.eligible);
  assert_date (&e.eligible_from, 1, 3, 2025);
}

static void
test_married_under_age (void)
{
  GDate birth = dmy (1, 1, 2010), on = dmy (1, 6, 2025);
  RkEligibility e;

  for (RkMarital m = RK_MARITAL_MARRIED; m <= RK_MARITAL_WIDOWED; m++)
    {
      g_assert_true (rk_eligibility_check (&birth, m, &on, &e));
      g_assert_true (e.eligible);
      g_assert_cmpint (e.rule, ==, RK_ELIGIBILITY_RULE_MARRIED);
      g_assert_cmpstr (rk_eligibility_rule_to_string (e.rule), ==, "married");
    }
  g_assert_true (rk_eligibility_check (&birth, RK_MARITAL_UNKNOWN, &on, &e));
  g_assert_false (e.eligible);
}

static void
test_future_birth (void)
{
  GDate birth = dmy (1, 1, 2030), on = dmy (1, 6, 2025);
  RkEligibility e = { .age = 99 };

  g_assert_false (rk_eligibility_check (&birth, RK_MARITAL_SINGLE, &on, &e));
  g_assert_cmpuint (e.age, ==, 99);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/intake/eligibility/17th-birthday", test_birthday_itself);
  g_test_add_func ("/intake/eligibility/day-before", test_day_before);
  g_test_add_func ("/intake/eligibility/29-feb-non-leap", test_leap_day_non_leap_year);
  g_test_add_func ("/intake/eligibility/29-feb-neighbours", test_leap_day_neighbours);
  g_test_add_func ("/intake/eligibility/married-under-17", test_married_under_age);
  g_test_add_func ("/intake/eligibility/future-birth-refused", test_future_birth);
  return g_test_run ();
}
