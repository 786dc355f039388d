/* Cases: one per applicant visit, with the SOP's document checklist and
 * the start and end of each SOP step.
 *
 * States and their legal transitions (the only ones):
 *   open      -> recording  rk_case_forward: every required document
 *                           checked, resident in the extract, NIK valid
 *                           against the record, eligible on the day
 *   open      -> referred   rk_referral_create (rk-referral.h)
 *   open      -> cancelled  rk_case_cancel
 *   recording -> closed     later SOP steps (other modules)
 * At most one case per NIK is open; opening another joins it.
 *
 * Every function here works inside the caller's transaction and never
 * logs a NIK or a name. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum {
  RK_CASE_TYPE_FIRST_ISSUE,     /* "first_issue": first e-KTP */
  RK_CASE_TYPE_CHANGE_OF_DATA,  /* "change_of_data" */
  RK_CASE_TYPE_REPLACEMENT,     /* "replacement": lost or damaged */
  RK_CASE_TYPE_NEWCOMER,        /* "newcomer": moved in (surat pindah) */
  RK_CASE_TYPE_INVALID = -1,
} RkCaseType;

/* The SOP's seven documents, in its order. */
typedef enum {
  RK_DOCUMENT_RT_RW_LETTER,                 /* 1 cover letter from RT/RW */
  RK_DOCUMENT_FORM_F107,                    /* 2 form F-1.07 */
  RK_DOCUMENT_KK_COPY,                      /* 3 copy of the family card */
  RK_DOCUMENT_OLD_KTP_OR_POLICE_REPORT,     /* 4 old KTP or police report */
  RK_DOCUMENT_DIPLOMA_OR_BIRTH_CERTIFICATE, /* 5 diploma or birth certificate */
  RK_DOCUMENT_CIVIL_STATUS_CERTIFICATE,     /* 6 marriage/divorce/death cert. */
  RK_DOCUMENT_TRANSFER_LETTER,              /* 7 surat pindah */
  RK_DOCUMENT_COUNT,
  RK_DOCUMENT_INVALID = -1,
} RkDocument;

/* SOP steps with a standard time (minutes): 1 10, 2 5, 3 10, 4 13. */
#define RK_SOP_STEPS 6
guint       rk_sop_standard_minutes (guint step);   /* 0 when none (5, 6 days) */

const char *rk_case_type_to_string (RkCaseType type);
RkCaseType  rk_case_type_from_string (const char *text);
const char *rk_document_to_string (RkDocument document);
RkDocument  rk_document_from_string (const char *text);
/* Which documents a case type must have checked before recording. */
gboolean    rk_document_required (RkCaseType type, RkDocument document);

/* Opens a case for @nik (16 digits), or returns the open case of that NIK
 * (*ret_joined = TRUE) so a second visit or an online application joins
 * it. @source is "counter" or "online": step 1 (online application) or
 * step 2 (check at the counter) starts now. Returns the case id, or 0
 * with error. */
gint64      rk_case_open (sqlite3 *db, const char *nik, RkCaseType type, const char *source,
                          const char *operator_name, gboolean *ret_joined, GError **error);

/* Marks @document checked by @operator_name now (the SOP's step 2: ends
 * step 1 and starts step 2 when needed). Error NOT_FOUND for an unknown
 * case, STATE when the case is not open. */
gboolean    rk_case_check_document (sqlite3 *db, gint64 case_id, RkDocument document,
                                    const char *operator_name, GError **error);

/* open -> recording, see above; @today is the recording day. Errors:
 * CHECKLIST naming the unchecked required documents, NOT_FOUND when the
 * resident is not in the extract (refer them), NIK_INVALID, NOT_ELIGIBLE
 * (naming the date), STATE. Ends step 2 and starts step 3. */
gboolean    rk_case_forward (sqlite3 *db, gint64 case_id, const char *operator_name,
                             const GDate *today, GError **error);

/* open -> cancelled. */
gboolean    rk_case_cancel (sqlite3 *db, gint64 case_id, const char *operator_name,
                            GError **error);

/* Sets a case's state (for rk-referral.c and later modules) checking the
 * transition table; ends any running step. */
gboolean    rk_case_set_state (sqlite3 *db, gint64 case_id, const char *to,
                               GError **error);

/* Records the start or end of one SOP step (1-6) for a case: later
 * modules call these for steps 3, 4 and 6. Starting a started step or
 * ending an unstarted one is a STATE error. */
gboolean    rk_case_step_start (sqlite3 *db, gint64 case_id, guint step,
                                const char *operator_name, GError **error);
gboolean    rk_case_step_end (sqlite3 *db, gint64 case_id, guint step, GError **error);

/* The NIK of a case (for masking in audit subjects); NULL with error. */
char       *rk_case_get_nik (sqlite3 *db, gint64 case_id, GError **error);

/* JSON views (transfer full). A case: id, nik, type, state, source,
 * opened_at/by, documents[] (document, position, required, checked_at,
 * checked_by), steps[] (step, started_at, ended_at, operator,
 * standard_minutes), missing[] (unchecked required documents). */
JsonNode   *rk_case_to_json (sqlite3 *db, gint64 case_id, GError **error);
/* Cases, newest first; @state may be NULL for all. */
JsonNode   *rk_case_list_json (sqlite3 *db, const char *state, guint limit, GError **error);

/* The SOP timing report: for each UTC day in [@from, @to] (YYYY-MM-DD),
 * operator and step with a standard time: cases timed, mean and longest
 * minutes, the standard, and how many exceeded it. */
JsonNode   *rk_sop_report_json (sqlite3 *db, const char *from, const char *to,
                                GError **error);

G_END_DECLS
