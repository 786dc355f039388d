/* Cases: the checklist gates recording, open cases are joined, the state
 * table holds, and the SOP report times the steps. */
#include <string.h>

#include "intake-test-util.h"
#include "rk-case.h"
#include "rk-intake-error.h"

#define HEADER "NIK,NO_KK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN,STAT_KWN,AGAMA," \
               "JENIS_PKRJN,ALAMAT,NO_RT,NO_RW,KODE_KEL\n"
#define ADULT   "3671130503900001"
#define YOUNG   "3671134101100002"   /* born 2010-01-01, woman, single */
#define BRIDE   "3671134202090003"   /* born 2009-02-02, woman, married */
#define BADNIK  "3671130603900004"   /* NIK says 06-03, record says 05-03 */
#define NOBODY  "3671130101800099"

static sqlite3 *
fixture (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GError) error = NULL;

  g_assert_true (intake_test_import (db, HEADER
    ADULT ",3671130101100001,BUDI,TANGERANG,1990-03-05,1,1,ISLAM,-,-,1,1,3671131001\n"
    YOUNG ",3671130101100001,ANI,TANGERANG,2010-01-01,2,1,ISLAM,-,-,1,1,3671131001\n"
    BRIDE ",3671130101100002,SRI,TANGERANG,2009-02-02,2,2,ISLAM,-,-,1,1,3671131001\n"
    BADNIK ",3671130101100003,EDI,TANGERANG,1990-03-05,1,1,ISLAM,-,-,1,1,3671131001\n",
    -1, &error));
  return db;
}

static GDate
day (guint d, guint m, guint y)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return date;
}

static void
check_all_required (sqlite3 *db, gint64 id, RkCaseType type)
{
  g_autoptr(GError) error = NULL;

  for (RkDocument d = 0; d < RK_DOCUMENT_COUNT; d++)
    if (rk_document_required (type, d))
      g_assert_true (rk_case_check_document (db, id, d, "op1", &error));
  g_assert_no_error (error);
}

static void
test_required_by_type (void)
{
  g_assert_true (rk_document_required (RK_CASE_TYPE_FIRST_ISSUE, RK_DOCUMENT_FORM_F107));
  g_assert_false (rk_document_required (RK_CASE_TYPE_REPLACEMENT, RK_DOCUMENT_FORM_F107));
  g_assert_true (rk_document_required (RK_CASE_TYPE_REPLACEMENT,
                                       RK_DOCUMENT_OLD_KTP_OR_POLICE_REPORT));
  g_assert_true (rk_document_required (RK_CASE_TYPE_NEWCOMER, RK_DOCUMENT_TRANSFER_LETTER));
  g_assert_false (rk_document_required (RK_CASE_TYPE_FIRST_ISSUE,
                                        RK_DOCUMENT_TRANSFER_LETTER));
  for (RkCaseType t = 0; t <= RK_CASE_TYPE_NEWCOMER; t++)
    {
      g_assert_true (rk_document_required (t, RK_DOCUMENT_RT_RW_LETTER));
      g_assert_true (rk_document_required (t, RK_DOCUMENT_KK_COPY));
      g_assert_cmpint (rk_case_type_from_string (rk_case_type_to_string (t)), ==, t);
    }
  g_assert_cmpint (rk_document_from_string ("form_f107"), ==, RK_DOCUMENT_FORM_F107);
  g_assert_cmpint (rk_document_from_string ("nope"), ==, RK_DOCUMENT_INVALID);
}

static void
test_checklist_gates_recording (void)
{
  sqlite3 *db = fixture ();
  g_autoptr(GError) error = NULL;
  GDate today = day (1, 6, 2025);
  gint64 id = rk_case_open (db, ADULT, RK_CASE_TYPE_FIRST_ISSUE, "counter", "op1", NULL, &error);

  g_assert_cmpint (id, >, 0);
  g_assert_false (rk_case_forward (db, id, "op1", &today, &error));
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CHECKLIST);
  g_assert_nonnull (strstr (error->message, "form_f107"));
  g_clear_error (&error);
  /* All but one: still refused, naming the one. */
  g_assert_true (rk_case_check_document (db, id, RK_DOCUMENT_RT_RW_LETTER, "op1", &error));
  g_assert_true (rk_case_check_document (db, id, RK_DOCUMENT_FORM_F107, "op1", &error));
  g_assert_true (rk_case_check_document (db, id, RK_DOCUMENT_KK_COPY, "op1", &error));
  g_assert_false (rk_case_forward (db, id, "op1", &today, &error));
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CHECKLIST);
  g_assert_nonnull (strstr (error->message, "diploma_or_birth_certificate"));
  g_assert_null (strstr (error->message, "kk_copy"));
  g_clear_error (&error);
  g_assert_true (rk_case_check_document (db, id, RK_DOCUMENT_DIPLOMA_OR_BIRTH_CERTIFICATE,
                                         "op2", &error));
  g_assert_true (rk_case_forward (db, id, "op1", &today, &error));
  g_assert_no_error (error);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM intake_case "
                                          "WHERE state = 'recording'"), ==, 1);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM case_document WHERE "
                                          "checked_by = 'op2'"), ==, 1);
  /* Recording started, step 2 ended. */
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM case_step WHERE step = 3 "
                                          "AND ended_at IS NULL"), ==, 1);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM case_step WHERE step = 2 "
                                          "AND ended_at IS NOT NULL"), ==, 1);
  /* recording -> open is not a transition. */
  g_assert_false (rk_case_check_document (db, id, RK_DOCUMENT_KK_COPY, "op1", &error));
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_STATE);
  sqlite3_close (db);
}

static void
test_open_case_joined (void)
{
  sqlite3 *db = fixture ();
  g_autoptr(GError) error = NULL;
  gboolean joined = TRUE;
  gint64 first = rk_case_open (db, ADULT, RK_CASE_TYPE_REPLACEMENT, "counter", "op1",
                               &joined, &error);
  gint64 second;

  g_assert_false (joined);
  second = rk_case_open (db, ADULT, RK_CASE_TYPE_REPLACEMENT, "online", "op1", &joined, &error);
  g_assert_true (joined);
  g_assert_cmpint (first, ==, second);
  g_assert_true (rk_case_cancel (db, first, "op1", &error));
  second = rk_case_open (db, ADULT, RK_CASE_TYPE_REPLACEMENT, "online", "op1", &joined, &error);
  g_assert_false (joined);
  g_assert_cmpint (second, !=, first);
  sqlite3_close (db);
}

static void
test_forward_refusals (void)
{
  sqlite3 *db = fixture ();
  g_autoptr(GError) error = NULL;
  GDate today = day (1, 6, 2025);
  gint64 young = rk_case_open (db, YOUNG, RK_CASE_TYPE_REPLACEMENT, "counter", "o", NULL, NULL);
  gint64 bride = rk_case_open (db, BRIDE, RK_CASE_TYPE_REPLACEMENT, "counter", "o", NULL, NULL);
  gint64 bad = rk_case_open (db, BADNIK, RK_CASE_TYPE_REPLACEMENT, "counter", "o", NULL, NULL);
  gint64 nobody = rk_case_open (db, NOBODY, RK_CASE_TYPE_REPLACEMENT, "counter", "o", NULL,
                                NULL);

  check_all_required (db, young, RK_CASE_TYPE_REPLACEMENT);
  check_all_required (db, bride, RK_CASE_TYPE_REPLACEMENT);
  check_all_required (db, bad, RK_CASE_TYPE_REPLACEMENT);
  check_all_required (db, nobody, RK_CASE_TYPE_REPLACEMENT);
  g_assert_false (rk_case_forward (db, young, "o", &today, &error));
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_ELIGIBLE);
  g_assert_nonnull (strstr (error->message, "2027-01-01"));
  g_clear_error (&error);
  /* Married at 16: eligible. */
  g_assert_true (rk_case_forward (db, bride, "o", &today, &error));
  g_assert_false (rk_case_forward (db, bad, "o", &today, &error));
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NIK_INVALID);
  g_assert_nonnull (strstr (error->message, "nik_birth_date_mismatch"));
  g_clear_error (&error);
  g_assert_false (rk_case_forward (db, nobody, "o", &today, &error));
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND);
  sqlite3_close (db);
}

static void
test_sop_report (void)
{
  sqlite3 *db = fixture ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) case_json = NULL;
  JsonArray *rows;
  gint64 a = rk_case_open (db, ADULT, RK_CASE_TYPE_REPLACEMENT, "online", "op1", NULL, NULL);
  gint64 b = rk_case_open (db, BRIDE, RK_CASE_TYPE_REPLACEMENT, "online", "op1", NULL, NULL);
  guint found = 0;

  g_assert_true (rk_case_check_document (db, a, RK_DOCUMENT_KK_COPY, "op1", &error));
  g_assert_true (rk_case_check_document (db, b, RK_DOCUMENT_KK_COPY, "op1", &error));
  /* Step 1 took 7 and 14 minutes on 2025-06-02 (standard 10). */
  g_assert_cmpint (sqlite3_exec (db,
    "UPDATE case_step SET started_at = '2025-06-02T02:00:00Z', "
    "ended_at = '2025-06-02T02:07:00Z' WHERE step = 1 AND case_id = 1;"
    "UPDATE case_step SET started_at = '2025-06-02T03:00:00Z', "
    "ended_at = '2025-06-02T03:14:00Z' WHERE step = 1 AND case_id = 2;",
    NULL, NULL, NULL), ==, SQLITE_OK);
  report = rk_sop_report_json (db, "2025-06-02", "2025-06-02", &error);
  g_assert_no_error (error);
  rows = json_object_get_array_member (json_node_get_object (report), "rows");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (json_object_get_int_member (row, "step") != 1)
        continue;
      found++;
      g_assert_cmpstr (json_object_get_string_member (row, "operator"), ==, "op1");
      g_assert_cmpint (json_object_get_int_member (row, "cases"), ==, 2);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "mean_minutes"),
                                      10.5, 0.01);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "max_minutes"),
                                      14.0, 0.01);
      g_assert_cmpint (json_object_get_int_member (row, "standard_minutes"), ==, 10);
      g_assert_cmpint (json_object_get_int_member (row, "over_standard"), ==, 1);
    }
  g_assert_cmpuint (found, ==, 1);
  case_json = rk_case_to_json (db, a, &error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (case_json), "documents")), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (case_json), "steps")), ==, 2);
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/intake/case/required-by-type", test_required_by_type);
  g_test_add_func ("/intake/case/checklist-gates-recording", test_checklist_gates_recording);
  g_test_add_func ("/intake/case/open-case-joined", test_open_case_joined);
  g_test_add_func ("/intake/case/forward-refusals", test_forward_refusals);
  g_test_add_func ("/intake/case/sop-report", test_sop_report);
  return g_test_run ();
}
