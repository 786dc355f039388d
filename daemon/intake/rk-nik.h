/* NIK (Nomor Induk Kependudukan) validation: pure functions over the
 * compiled-in region table.
 *
 *   PP KK CC DDMMYY SSSS
 *   |  |  |  |      serial, never 0000
 *   |  |  |  birth date; women have 40 added to the day
 *   |  |  kecamatan (unknown = warning: NIKs outlive renumbering)
 *   |  regency/city (digits 1-4)
 *   province (digits 1-2)
 *
 * The NIK carries only two digits of the year: the century comes from the
 * registry record. Every failure is reported, each with its own code. */
#pragma once

#include <glib.h>

#include "rk-intake-types.h"

G_BEGIN_DECLS

#define RK_NIK_LENGTH 16

typedef enum {
  RK_NIK_ISSUE_LENGTH,              /* not exactly 16 characters */
  RK_NIK_ISSUE_NOT_DIGITS,          /* a character other than 0-9 */
  RK_NIK_ISSUE_PROVINCE_UNKNOWN,    /* digits 1-2 */
  RK_NIK_ISSUE_REGENCY_UNKNOWN,     /* digits 1-4 */
  RK_NIK_ISSUE_KECAMATAN_UNKNOWN,   /* digits 5-6; a warning only */
  RK_NIK_ISSUE_BIRTH_DAY_INVALID,   /* DD not 01-31 or 41-71 */
  RK_NIK_ISSUE_BIRTH_MONTH_INVALID, /* MM not 01-12 */
  RK_NIK_ISSUE_BIRTH_DATE_INVALID,  /* no such day (31 April, 29 Feb...) */
  RK_NIK_ISSUE_BIRTH_DATE_MISMATCH, /* differs from the record */
  RK_NIK_ISSUE_SEX_MISMATCH,        /* +40 disagrees with the record */
  RK_NIK_ISSUE_SERIAL_ZERO,         /* digits 13-16 are 0000 */
} RkNikIssueCode;

typedef struct {
  RkNikIssueCode code;
  gboolean       warning;   /* TRUE: tell the operator, do not refuse */
  char          *message;   /* English, names the digits concerned */
} RkNikIssue;

/* What the registry record says, for the consistency checks. */
typedef struct {
  GDate birth_date;
  RkSex sex;
} RkNikRecordFacts;

typedef struct {
  char       nik[RK_NIK_LENGTH + 1];  /* as given, truncated if longer */
  gboolean   structural;      /* 16 digits: the fields below are decoded */
  char       province[3];
  char       regency[5];
  char       kecamatan[7];
  guint      birth_day;       /* 1-31, with the +40 removed */
  guint      birth_month;
  guint      birth_year2;     /* two digits */
  RkSex      sex;             /* from the day (+40 = female) */
  guint      serial;
  GPtrArray *issues;          /* RkNikIssue*, errors and warnings */
} RkNikCheck;

/* Validates @nik and, when @record is not NULL, its agreement with the
 * record. Never fails: the result lists every issue found (transfer full,
 * free with rk_nik_check_free). */
RkNikCheck *rk_nik_check (const char *nik, const RkNikRecordFacts *record);
void        rk_nik_check_free (RkNikCheck *check);

/* TRUE when no issue is an error (warnings allowed). */
gboolean    rk_nik_check_is_valid (const RkNikCheck *check);

/* Stable machine code for an issue, e.g. "nik_serial_zero". */
const char *rk_nik_issue_code_to_string (RkNikIssueCode code);

/* Sets RK_INTAKE_ERROR_NIK_INVALID from the first error of @check and
 * returns FALSE; returns TRUE when the check holds no error. */
gboolean    rk_nik_check_to_error (const RkNikCheck *check, GError **error);

/* Writes a valid NIK for the given facts into @buf (17 bytes): for the
 * demo population and tests. */
void        rk_nik_compose (const char *kecamatan6, const GDate *birth_date,
                            RkSex sex, guint serial, char buf[RK_NIK_LENGTH + 1]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkNikCheck, rk_nik_check_free)

G_END_DECLS
