/* Who may have an e-KTP recorded: anyone 17 or older on the day of
 * recording, or anyone who is or has been married (UU 24/2013 art. 63). */
#pragma once

#include <glib.h>

#include "rk-intake-types.h"

G_BEGIN_DECLS

#define RK_ELIGIBILITY_AGE 17

typedef enum {
  RK_ELIGIBILITY_RULE_AGE,          /* "age_17": 17 or older */
  RK_ELIGIBILITY_RULE_MARRIED,      /* "married": is or was married */
  RK_ELIGIBILITY_RULE_UNDER_AGE,    /* "under_17_unmarried": refused */
} RkEligibilityRule;

typedef struct {
  gboolean          eligible;
  RkEligibilityRule rule;
  GDate             eligible_from;  /* the 17th birthday (always set) */
  guint             age;            /* completed years on the day */
} RkEligibility;

/* Decides eligibility on @on for someone born on @birth_date. A person
 * born on 29 February turns 17 on 1 March when the 17th year is not a
 * leap year (the day after 28 February, as the age is reached when the
 * 29th would have passed). Returns FALSE (and leaves @ret untouched) only
 * for an invalid date or a birth date after @on. */
gboolean    rk_eligibility_check (const GDate *birth_date, RkMarital marital,
                                  const GDate *on, RkEligibility *ret);

/* The date on which someone born on @birth_date completes @years years. */
void        rk_eligibility_anniversary (const GDate *birth_date, guint years,
                                        GDate *ret_date);

const char *rk_eligibility_rule_to_string (RkEligibilityRule rule);

/* Sets RK_INTAKE_ERROR_NOT_ELIGIBLE naming the rule and the date. */
void        rk_eligibility_to_error (const RkEligibility *eligibility, GError **error);

G_END_DECLS
