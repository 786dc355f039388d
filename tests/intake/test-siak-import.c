/* SIAK extract import: good files, re-import, every kind of broken file
 * (each leaves the store as it was), a full disk and a kill -9. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "intake-test-util.h"
#include "rk-demo-population.h"
#include "rk-intake-error.h"
#include "rk-resident.h"
#include "rk-siak-import.h"

#define HEADER "NIK,NO_KK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN,STAT_KWN,AGAMA," \
               "JENIS_PKRJN,ALAMAT,NO_RT,NO_RW,KODE_KEL\r\n"
#define ROW1 "3671130503900001,3671130101100001,BUDI SANTOSO,TANGERANG,1990-03-05," \
             "LAKI-LAKI,KAWIN,ISLAM,WIRASWASTA,\"JL. KREO RAYA NO. 5, BLOK C\",001,002,3671131004\r\n"
#define ROW2 "3671134506920002,3671130101100001,SITI AMINAH,JAKARTA,05-06-1992," \
             "2,2,ISLAM,MENGURUS RUMAH TANGGA,\"JL. KREO RAYA NO. 5, BLOK C\",001,002,3671131004\r\n"
#define ROW3 "3671131208100003,3671130101100001,\"AHMAD \"\"UJANG\"\" SANTOSO\",TANGERANG," \
             "2010-08-12,1,1,ISLAM,PELAJAR/MAHASISWA,\"JL. KREO RAYA NO. 5,\nBLOK C\",001,002," \
             "3671131004\r\n"

static gint64
residents (sqlite3 *db)
{
  return intake_test_count (db, "SELECT count(*) FROM resident");
}

static void
assert_refused (const char *csv, gint code, const char *needle1, const char *needle2)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GError) error = NULL;

  g_assert_true (intake_test_import (db, HEADER ROW1, -1, NULL));
  g_assert_false (intake_test_import (db, csv, -1, &error));
  g_assert_error (error, RK_INTAKE_ERROR, code);
  g_test_message ("refused: %s", error->message);
  if (needle1 != NULL)
    g_assert_nonnull (strstr (error->message, needle1));
  if (needle2 != NULL)
    g_assert_nonnull (strstr (error->message, needle2));
  /* Nothing of the broken file stayed. */
  g_assert_cmpint (residents (db), ==, 1);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM siak_import"), ==, 1);
  sqlite3_close (db);
}

static void
test_good_file (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GError) error = NULL;
  g_autoptr(RkResident) budi = NULL;
  g_autoptr(RkResident) ahmad = NULL;
  g_autoptr(GPtrArray) family = NULL;
  RkResident *none;

  g_assert_true (intake_test_import (db, HEADER ROW1 ROW2 ROW3, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (residents (db), ==, 3);
  budi = rk_resident_lookup (db, "3671130503900001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (budi->name, ==, "BUDI SANTOSO");
  g_assert_cmpstr (budi->address, ==, "JL. KREO RAYA NO. 5, BLOK C");
  g_assert_cmpint (budi->marital, ==, RK_MARITAL_MARRIED);
  g_assert_cmpint (budi->sex, ==, RK_SEX_MALE);
  ahmad = rk_resident_lookup (db, "3671131208100003", &error);
  g_assert_cmpstr (ahmad->name, ==, "AHMAD \"UJANG\" SANTOSO");
  g_assert_cmpstr (ahmad->address, ==, "JL. KREO RAYA NO. 5,\nBLOK C");
  g_assert_cmpuint (g_date_get_year (&ahmad->birth_date), ==, 2010);
  family = rk_resident_family (db, budi, &error);
  g_assert_cmpuint (family->len, ==, 2);
  none = rk_resident_lookup (db, "3671130503900009", &error);
  g_assert_null (none);
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND);
  sqlite3_close (db);
}

static void
test_reimport_updates (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(RkResident) budi = NULL;
  g_autoptr(GPtrArray) old_name = NULL;
  g_autoptr(GPtrArray) new_name = NULL;
  RkSiakImportStats stats;

  g_assert_true (intake_test_import (db, HEADER ROW1 ROW2, -1, &error));
  input = intake_test_stream (HEADER
                              "3671130503900001,3671130101100001,BUDI HARTONO,TANGERANG,1990-03-05,"
                              "1,3,ISLAM,WIRASWASTA,JL. GAGA NO. 1,003,004,3671131006\n" ROW3, -1);
  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  g_assert_true (rk_siak_import (db, input, RK_CSV_ENCODING_AUTO, "test", NULL, &stats, &error));
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  g_assert_cmpuint (stats.rows, ==, 2);
  g_assert_cmpuint (stats.inserted, ==, 1);
  g_assert_cmpuint (stats.updated, ==, 1);
  g_assert_cmpint (residents (db), ==, 3);
  budi = rk_resident_lookup (db, "3671130503900001", &error);
  g_assert_cmpstr (budi->name, ==, "BUDI HARTONO");
  g_assert_cmpint (budi->marital, ==, RK_MARITAL_DIVORCED);
  /* The name index follows the update. */
  new_name = rk_resident_search (db, "Budi Hartono", NULL, 10, &error);
  g_assert_cmpuint (new_name->len, ==, 1);
  old_name = rk_resident_search (db, "Budi Santoso", NULL, 10, &error);
  for (guint i = 0; i < old_name->len; i++)
    g_assert_cmpstr (((RkResidentMatch *) old_name->pdata[i])->resident->nik, !=,
                     "3671130503900001");
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM siak_import"), ==, 2);
  sqlite3_close (db);
}

static void
test_bad_quoting (void)
{
  assert_refused (HEADER ROW2 "3671131208100003,3671130101100001,\"AHMAD\"X,TANGERANG,"
                  "2010-08-12,1,1,ISLAM,-,-,001,002,3671131004\n",
                  RK_INTAKE_ERROR_CSV, "line 3", "column 3");
  assert_refused (HEADER ROW2 "3671131208100003,3671130101100001,AH\"MAD,TANGERANG,"
                  "2010-08-12,1,1,ISLAM,-,-,001,002,3671131004\n",
                  RK_INTAKE_ERROR_CSV, "line 3", "quote inside an unquoted field");
}

static void
test_wrong_column_count (void)
{
  assert_refused (HEADER ROW2 "3671131208100003,3671130101100001,AHMAD,TANGERANG,"
                  "2010-08-12,1,1,ISLAM,-,-,001,002\n",
                  RK_INTAKE_ERROR_CSV, "line 3", "12 fields where the header has 13");
}

static void
test_invalid_utf8 (void)
{
  /* Row 2 has UTF-8 (é), row 3 a lone 0xE9: mixed encodings. */
  assert_refused (HEADER "3671134506920002,3671130101100001,SITI RENÉ,JAKARTA,1992-06-05,"
                  "2,2,ISLAM,-,-,001,002,3671131004\n"
                  "3671131208100003,3671130101100001,AHMAD,TANGERANG,2010-08-12,1,1,ISLAM,-,"
                  "JL. \xe9,001,002,3671131004\n",
                  RK_INTAKE_ERROR_ENCODING, "line 3", "column 10");
}

static void
test_invalid_utf8_strict (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input =
    intake_test_stream (HEADER "3671134506920002,3671130101100001,SITI REN\xc9,JAKARTA,"
                        "1992-06-05,2,2,ISLAM,-,-,001,002,3671131004\n", -1);
  RkSiakImportStats stats;

  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  g_assert_false (rk_siak_import (db, input, RK_CSV_ENCODING_UTF8, "t", NULL, &stats, &error));
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "latin-1"));
  sqlite3_close (db);
}

static void
test_latin1 (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input =
    intake_test_stream (HEADER ROW1 "3671134506920002,3671130101100001,SITI REN\xc9,JAKARTA,"
                        "1992-06-05,2,2,ISLAM,-,JL. CIPADU \xb7 1,001,002,3671131004\n", -1);
  g_autoptr(RkResident) siti = NULL;
  RkSiakImportStats stats;

  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  g_assert_true (rk_siak_import (db, input, RK_CSV_ENCODING_AUTO, "t", NULL, &stats, &error));
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (stats.encoding, ==, RK_CSV_ENCODING_LATIN1);
  siti = rk_resident_lookup (db, "3671134506920002", &error);
  g_assert_cmpstr (siti->name, ==, "SITI REN\xc3\x89");
  g_assert_cmpstr (siti->address, ==, "JL. CIPADU \xc2\xb7 1");
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM siak_import "
                                          "WHERE encoding = 'latin-1'"), ==, 1);
  sqlite3_close (db);
}

static void
test_truncated (void)
{
  /* Cut inside a quoted field, and cut mid-row. */
  assert_refused (HEADER ROW2 "3671131208100003,3671130101100001,\"AHMAD SANT",
                  RK_INTAKE_ERROR_CSV, "line 3", "ends inside a quoted field");
  assert_refused (HEADER ROW2 "3671131208100003,3671130101100001,AHMAD SANT",
                  RK_INTAKE_ERROR_CSV, "line 3", "3 fields");
  assert_refused ("", RK_INTAKE_ERROR_CSV, "empty", NULL);
}

static void
test_bad_header (void)
{
  assert_refused ("NIK,NAMA\n", RK_INTAKE_ERROR_CSV, "column 2", "NAMA");
  assert_refused ("NIK,NO_KK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN,STAT_KWN,AGAMA,"
                  "JENIS_PKRJN,ALAMAT,NO_RT,NO_RW\n", RK_INTAKE_ERROR_CSV, "KODE_KEL", "missing");
}

static void
test_bad_values (void)
{
  assert_refused (HEADER ROW2 "3671131208100003,3671130101100001,AHMAD,TANGERANG,"
                  "2010-02-30,1,1,ISLAM,-,-,001,002,3671131004\n",
                  RK_INTAKE_ERROR_INVALID, "line 3, column 5 (TGL_LHR)", NULL);
  assert_refused (HEADER ROW2 "367113120810003,3671130101100001,AHMAD,TANGERANG,"
                  "2010-02-03,1,1,ISLAM,-,-,001,002,3671131004\n",
                  RK_INTAKE_ERROR_INVALID, "line 3, column 1 (NIK)", NULL);
  assert_refused (HEADER ROW2 "3671131208100003,3671130101100001,AHMAD,TANGERANG,"
                  "2010-02-03,X,1,ISLAM,-,-,001,002,3671131004\n",
                  RK_INTAKE_ERROR_INVALID, "JENIS_KLMIN", NULL);
  assert_refused (HEADER ROW2 "3671131208100003,3671130101100001,AHMAD,TANGERANG,"
                  "2010-02-03,1,KAWIN SIRI,ISLAM,-,-,001,002,3671131004\n",
                  RK_INTAKE_ERROR_INVALID, "STAT_KWN", NULL);
}

static GBytes *
generated (guint64 rows)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_JUNE, 2025);
  g_assert_true (rk_demo_population_write (out, rows, 7, &today, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_bulk_last_line_wins (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GBytes) csv = generated (7000);
  g_autoptr(GString) text = g_string_new_len (g_bytes_get_data (csv, NULL),
                                              (gssize) g_bytes_get_size (csv));
  g_autoptr(GError) error = NULL;
  g_autoptr(RkResident) budi = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  /* Past the incremental limit the rows are written sorted at the end:
   * the NIK repeated later must still win, and the indexes be whole. */
  g_string_append (text, ROW1 "3671130503900001,3671130101100001,BUDI UTOMO,TANGERANG,"
                         "1990-03-05,1,2,ISLAM,-,-,001,002,3671131004\n");
  g_assert_true (intake_test_import (db, text->str, (gssize) text->len, &error));
  g_assert_no_error (error);
  budi = rk_resident_lookup (db, "3671130503900001", &error);
  g_assert_cmpstr (budi->name, ==, "BUDI UTOMO");
  g_assert_cmpint (residents (db), ==,
                   intake_test_count (db, "SELECT rows FROM siak_import") - 1);
  hits = rk_resident_search (db, "Budi Utomo", NULL, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, >, 0);
  g_assert_cmpstr (((RkResidentMatch *) hits->pdata[0])->resident->name, ==, "BUDI UTOMO");
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM sqlite_master WHERE type = "
                                          "'index' AND name LIKE 'resident_%'"), ==, 3);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM pragma_integrity_check "
                                          "WHERE integrity_check != 'ok'"), ==, 0);
  sqlite3_close (db);
}

static void
test_disk_full (void)
{
  g_autofree char *dir = intake_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  sqlite3 *db = intake_test_open_db (path);
  g_autoptr(GBytes) csv = generated (20000);
  g_autoptr(GError) error = NULL;
  gint64 pages;
  g_autofree char *pragma = NULL;

  g_assert_true (intake_test_import (db, HEADER ROW1, -1, NULL));
  /* A disk that fills up: the database may not grow past 40 more pages. */
  pages = intake_test_count (db, "PRAGMA page_count");
  pragma = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 40);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (intake_test_import (db, g_bytes_get_data (csv, NULL),
                                      (gssize) g_bytes_get_size (csv), &error));
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_FULL);
  g_test_message ("%s", error->message);
  g_assert_cmpint (residents (db), ==, 1);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM siak_import"), ==, 1);
  sqlite3_close (db);
  intake_test_rmtree (dir);
}

static void
test_kill_during_import (void)
{
  g_autofree char *dir = intake_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GBytes) csv = generated (60000);
  sqlite3 *db = intake_test_open_db (path);
  g_autofree char *marker = g_build_filename (dir, "started", NULL);
  int status;
  pid_t pid;

  g_assert_true (intake_test_import (db, HEADER ROW1 ROW2, -1, NULL));
  sqlite3_close (db);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      sqlite3 *child_db = intake_test_open_db (path);

      g_file_set_contents (marker, "", 0, NULL);
      for (;;)
        intake_test_import (child_db, g_bytes_get_data (csv, NULL),
                            (gssize) g_bytes_get_size (csv), NULL);
    }
  while (!g_file_test (marker, G_FILE_TEST_EXISTS))
    g_usleep (1000);
  g_usleep (150 * 1000);
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));

  db = intake_test_open_db (path);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM pragma_integrity_check "
                                          "WHERE integrity_check != 'ok'"), ==, 0);
  /* Either the old two residents, or whole imports on top: never part. */
  {
    gint64 n = residents (db);
    gint64 imports = intake_test_count (db, "SELECT count(*) FROM siak_import");

    g_test_message ("after kill: %" G_GINT64_FORMAT " residents, %" G_GINT64_FORMAT
                    " imports", n, imports);
    if (imports == 1)
      g_assert_cmpint (n, ==, 2);
    else
      g_assert_cmpint (n, ==, intake_test_count (db, "SELECT rows FROM siak_import "
                                                     "ORDER BY id DESC LIMIT 1") + 2);
  }
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO resident_name (resident_name) "
                                     "VALUES ('integrity-check')", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  intake_test_rmtree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/intake/siak/good-file", test_good_file);
  g_test_add_func ("/intake/siak/reimport-updates-in-place", test_reimport_updates);
  g_test_add_func ("/intake/siak/bad-quoting", test_bad_quoting);
  g_test_add_func ("/intake/siak/wrong-column-count", test_wrong_column_count);
  g_test_add_func ("/intake/siak/invalid-utf8-mixed", test_invalid_utf8);
  g_test_add_func ("/intake/siak/invalid-utf8-strict", test_invalid_utf8_strict);
  g_test_add_func ("/intake/siak/latin1", test_latin1);
  g_test_add_func ("/intake/siak/truncated", test_truncated);
  g_test_add_func ("/intake/siak/bad-header", test_bad_header);
  g_test_add_func ("/intake/siak/bad-values", test_bad_values);
  g_test_add_func ("/intake/siak/bulk-last-line-wins", test_bulk_last_line_wins);
  g_test_add_func ("/intake/siak/disk-full", test_disk_full);
  g_test_add_func ("/intake/siak/kill-9", test_kill_during_import);
  return g_test_run ();
}
