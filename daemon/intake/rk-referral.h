/* Referral to Disdukcapil: for someone the station cannot serve (not in
 * the extract, no NIK, a NIK that disagrees with the record). A referral
 * row with its reason code, and a printable slip in Bahasa Indonesia. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum {
  RK_REFERRAL_NOT_IN_REGISTRY,   /* "not_in_registry" */
  RK_REFERRAL_NO_NIK,            /* "no_nik": advise form F-1.07 */
  RK_REFERRAL_NIK_MISMATCH,      /* "nik_mismatch": NIK vs record */
  RK_REFERRAL_RECORD_INCORRECT,  /* "record_incorrect": data to correct */
  RK_REFERRAL_INVALID = -1,
} RkReferralReason;

const char      *rk_referral_reason_to_string (RkReferralReason reason);
RkReferralReason rk_referral_reason_from_string (const char *text);
/* The slip's explanation and advice, in Bahasa Indonesia (static). */
const char      *rk_referral_reason_text (RkReferralReason reason);
const char      *rk_referral_advice_text (RkReferralReason reason);

/* Records a referral inside the caller's transaction. With @case_id > 0
 * the case moves to "referred" (and its NIK is used when @nik is NULL);
 * @nik may be NULL for someone without one, @name is required (it goes
 * on the slip). Returns the referral id, or 0 with error. */
gint64   rk_referral_create (sqlite3 *db, gint64 case_id, const char *nik, const char *name,
                             RkReferralReason reason, const char *note,
                             const char *operator_name, GError **error);

JsonNode *rk_referral_to_json (sqlite3 *db, gint64 referral_id, GError **error);

/* The slip as a one-page A5 PDF (transfer full), or NULL with error. */
GBytes  *rk_referral_slip_pdf (sqlite3 *db, gint64 referral_id, GError **error);

G_END_DECLS
