#include "rk-eligibility.h"

#include "rk-intake-error.h"

void
rk_eligibility_anniversary (const GDate *birth_date, guint years, GDate *ret_date)
{
  guint day = g_date_get_day (birth_date);
  GDateMonth month = g_date_get_month (birth_date);
  GDateYear year = (GDateYear) (g_date_get_year (birth_date) + years);

  /* g_date_add_years() would clamp 29 Feb to 28 Feb; the law counts full
   * years, which a 29 February child completes at the end of 28 February. */
  if (month == G_DATE_FEBRUARY && day == 29 && !g_date_is_leap_year (year))
    g_date_set_dmy (ret_date, 1, G_DATE_MARCH, year);
  else
    g_date_set_dmy (ret_date, (GDateDay) day, month, year);
}

gboolean
rk_eligibility_check (const GDate *birth_date, RkMarital marital, const GDate *on,
                      RkEligibility *ret)
{
  RkEligibility result = { 0 };
  GDate next;

  g_return_val_if_fail (birth_date != NULL && on != NULL && ret != NULL, FALSE);
  if (!g_date_valid (birth_date) || !g_date_valid (on) ||
      g_date_compare (birth_date, on) > 0)
    return FALSE;

  /* Completed years: count anniversaries up to @on. */
  result.age = g_date_get_year (on) - g_date_get_year (birth_date);
  rk_eligibility_anniversary (birth_date, result.age, &next);
  if (g_date_compare (&next, on) > 0)
    result.age--;

  rk_eligibility_anniversary (birth_date, RK_ELIGIBILITY_AGE, &result.eligible_from);
  if (result.age >= RK_ELIGIBILITY_AGE)
    {
      result.eligible = TRUE;
      result.rule = RK_ELIGIBILITY_RULE_AGE;
    }
  else if (marital == RK_MARITAL_MARRIED || marital == RK_MARITAL_DIVORCED ||
           marital == RK_MARITAL_WIDOWED)
    {
      result.eligible = TRUE;
      result.rule = RK_ELIGIBILITY_RULE_MARRIED;
    }
  else
    {
      result.eligible = FALSE;
      result.rule = RK_ELIGIBILITY_RULE_UNDER_AGE;
    }
  *ret = result;
  return TRUE;
}

const char *
rk_eligibility_rule_to_string (RkEligibilityRule rule)
{
  switch (rule)
    {
    case RK_ELIGIBILITY_RULE_AGE:
      return "age_17";
    case RK_ELIGIBILITY_RULE_MARRIED:
      return "married";
    case RK_ELIGIBILITY_RULE_UNDER_AGE:
    default:
      return "under_17_unmarried";
    }
}

void
rk_eligibility_to_error (const RkEligibility *eligibility, GError **error)
{
  char date[11];

  g_snprintf (date, sizeof date, "%04u-%02u-%02u",
              g_date_get_year (&eligibility->eligible_from),
              (guint) g_date_get_month (&eligibility->eligible_from),
              g_date_get_day (&eligibility->eligible_from));
  g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_ELIGIBLE,
               "under_17_unmarried: an e-KTP needs age 17 or a marriage (past or "
               "present); aged %u, never married: eligible from %s",
               eligibility->age, date);
}
