/* Referrals: the record, the case state, and a slip that is a real PDF
 * (read back with poppler's pdftotext) saying the right things. */
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <string.h>

#include "intake-test-util.h"
#include "rk-case.h"
#include "rk-intake-error.h"
#include "rk-referral.h"

static char *
pdf_text (GBytes *pdf)
{
  g_autofree char *dir = intake_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "slip.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  int status;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL),
                                      (gssize) g_bytes_get_size (pdf), &error));
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error))
    {
      intake_test_rmtree (dir);
      return NULL;
    }
  g_assert_true (g_spawn_check_wait_status (status, &error));
  intake_test_rmtree (dir);
  return g_steal_pointer (&out);
}

static void
test_no_nik_slip (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  gint64 id = rk_referral_create (db, 0, NULL, "Siti Nurjanah", RK_REFERRAL_NO_NIK,
                                  "datang bersama ibu", "op1", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  pdf = rk_referral_slip_pdf (db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), 5, "%PDF-", 5);
  text = pdf_text (pdf);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      sqlite3_close (db);
      return;
    }
  g_assert_nonnull (strstr (text, "SURAT RUJUKAN KE DISDUKCAPIL"));
  g_assert_nonnull (strstr (text, "Siti Nurjanah"));
  g_assert_nonnull (strstr (text, "F-1.07"));
  g_assert_nonnull (strstr (text, "belum memiliki NIK"));
  g_assert_nonnull (strstr (text, "R-000001"));
  g_assert_nonnull (strstr (text, "no_nik"));
  sqlite3_close (db);
}

static void
test_case_referred (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  gint64 case_id = rk_case_open (db, "3671130101800099", RK_CASE_TYPE_FIRST_ISSUE, "counter",
                                 "op1", NULL, &error);
  gint64 id = rk_referral_create (db, case_id, NULL, "Joko", RK_REFERRAL_NOT_IN_REGISTRY,
                                  NULL, "op1", &error);

  g_assert_no_error (error);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM intake_case "
                                          "WHERE state = 'referred'"), ==, 1);
  /* Steps stop when the case leaves "open". */
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM case_step "
                                          "WHERE ended_at IS NULL"), ==, 0);
  json = rk_referral_to_json (db, id, &error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "nik"), ==,
                   "3671130101800099");
  /* A referred case cannot be referred again. */
  g_assert_cmpint (rk_referral_create (db, case_id, NULL, "Joko", RK_REFERRAL_NO_NIK, NULL,
                                       "op1", &error), ==, 0);
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_STATE);
  sqlite3_close (db);
}

static void
test_bad_input (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (rk_referral_create (db, 0, NULL, "", RK_REFERRAL_NO_NIK, NULL, "o", &error),
                   ==, 0);
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (rk_referral_create (db, 0, "12345", "A", RK_REFERRAL_NOT_IN_REGISTRY, NULL,
                                       "o", &error), ==, 0);
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rk_referral_slip_pdf (db, 42, &error));
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND);
  g_assert_cmpint (rk_referral_reason_from_string ("no_nik"), ==, RK_REFERRAL_NO_NIK);
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/intake/referral/no-nik-slip", test_no_nik_slip);
  g_test_add_func ("/intake/referral/case-referred", test_case_referred);
  g_test_add_func ("/intake/referral/bad-input", test_bad_input);
  rc = g_test_run ();
  /* Drop cairo's and fontconfig's caches so the leak checker sees ours. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return rc;
}
