/* Forgiving name search: old spellings, typos, missing spaces, birth
 * date, among a generated population so that the right one must win. */
#include <string.h>

#include "intake-test-util.h"
#include "rk-demo-population.h"
#include "rk-intake-error.h"
#include "rk-name-key.h"
#include "rk-resident.h"
#include "rk-siak-import.h"

#define HEADER "NIK,NO_KK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN,STAT_KWN,AGAMA," \
               "JENIS_PKRJN,ALAMAT,NO_RT,NO_RW,KODE_KEL\n"

/* Hand-made residents with NIK serials 9xxx, so they differ from the
 * generated ones. */
static const char people[] =
  HEADER
  "3671130503459001,3671130101109001,SOETRISNO HADIWIDJOJO,SOLO,1945-03-05,1,4,ISLAM,-,-,1,1,3671131001\n"
  "3671131207609002,3671130101109002,DJOKO SOESILO,TEGAL,1960-07-12,1,2,ISLAM,-,-,1,1,3671131001\n"
  "3671132001809003,3671130101109003,ACHMAD CHAIRUL TANJUNG,MEDAN,1980-01-20,1,2,ISLAM,-,-,1,1,3671131002\n"
  "3671134402859004,3671130101109004,NUR HAYATI,GARUT,1985-02-04,2,2,ISLAM,-,-,1,1,3671131003\n"
  "3671131111999005,3671130101109005,MUHAMMAD RIZKI PRATAMA,JAKARTA,1999-11-11,1,1,ISLAM,-,-,1,1,3671131003\n"
  "3671135506019006,3671130101109006,FATIMAH AZ-ZAHRA,BOGOR,2001-06-15,2,1,ISLAM,-,-,1,1,3671131005\n"
  "3671135506019007,3671130101109007,YULIANA TJANDRA,BOGOR,2001-06-15,2,1,KATHOLIK,-,-,1,1,3671131005\n";

static sqlite3 *
fixture_db (void)
{
  static sqlite3 *db;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;

  if (db != NULL)
    return db;
  db = intake_test_open_db (":memory:");
  out = g_memory_output_stream_new_resizable ();
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_JUNE, 2025);
  g_assert_true (rk_demo_population_write (out, 8000, 3, &today, NULL, &error));
  g_output_stream_close (out, NULL, NULL);
  csv = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (intake_test_import (db, g_bytes_get_data (csv, NULL),
                                     (gssize) g_bytes_get_size (csv), &error));
  g_assert_true (intake_test_import (db, people, -1, &error));
  g_assert_no_error (error);
  return db;
}

/* Asserts that @nik is the first hit for @query. */
static void
assert_first (const char *query, const char *born, const char *nik)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  GDate date;

  g_date_clear (&date, 1);
  if (born != NULL)
    g_assert_true (rk_date_parse (born, &date));
  hits = rk_resident_search (fixture_db (), query, born ? &date : NULL, 10, &error);
  g_assert_no_error (error);
  if (hits->len == 0)
    g_error ("%s: no hit", query);
  if (strcmp (((RkResidentMatch *) hits->pdata[0])->resident->nik, nik) != 0)
    g_error ("%s: first hit is %s (distance %u), not %s", query,
             ((RkResidentMatch *) hits->pdata[0])->resident->name,
             ((RkResidentMatch *) hits->pdata[0])->distance, nik);
}

static void
test_name_key (void)
{
  char a[RK_NAME_KEY_MAX], b[RK_NAME_KEY_MAX], joined[RK_NAME_KEY_MAX];

  rk_name_key ("Soetrisno Hadiwidjojo", a);
  rk_name_key ("Sutrisno Hadiwijoyo", b);
  g_assert_cmpstr (a, ==, b);
  rk_name_key ("Achmad", a);
  rk_name_key ("Ahmad", b);
  g_assert_cmpstr (a, ==, b);
  rk_name_key ("Nurhayati", a);
  rk_name_key ("NUR  HAYATI", b);
  g_assert_cmpstr (b, ==, "nur hayati");
  rk_name_key_join (b, joined);
  g_assert_cmpstr (a, ==, joined);
  rk_name_key ("Muhammad", a);
  rk_name_key ("Muhamad", b);
  g_assert_cmpstr (a, ==, b);
  rk_name_key ("Fatimah", a);
  rk_name_key ("Fatima", b);
  g_assert_cmpstr (a, ==, b);
  rk_name_key ("Tjandra", a);
  rk_name_key ("Candra", b);
  g_assert_cmpstr (a, ==, b);
  rk_name_key ("René", a);
  g_assert_cmpstr (a, ==, "rene");
  g_assert_cmpuint (rk_name_distance ("sutrisno", 8, "sutrsino", 8, FALSE, 5), ==, 1);
  g_assert_cmpuint (rk_name_distance ("hayati", 6, "nurhayati", 9, TRUE, 5), ==, 0);
  g_assert_cmpuint (rk_name_distance ("hayati", 6, "nurhayati", 9, FALSE, 5), ==, 3);
}

static void
test_old_spelling (void)
{
  assert_first ("Sutrisno Hadiwijoyo", NULL, "3671130503459001");
  assert_first ("Joko Susilo", NULL, "3671131207609002");
  assert_first ("Yuliana Candra", NULL, "3671135506019007");
}

static void
test_kh_and_ch (void)
{
  assert_first ("Ahmad Khairul Tanjung", NULL, "3671132001809003");
  assert_first ("Akhmad Hairul Tanjung", NULL, "3671132001809003");
}

static void
test_typos (void)
{
  assert_first ("Sutrsino Hadiwijoyo", NULL, "3671130503459001");   /* swap */
  assert_first ("Muhamad Riski Pratama", NULL, "3671131111999005");  /* z->s, doubled m */
  assert_first ("Muhammad Rizky Pratma", NULL, "3671131111999005");  /* y, dropped a */
}

static void
test_spaces (void)
{
  assert_first ("Nurhayati", "1985-02-04", "3671134402859004");
  assert_first ("Fatima Azzahra", NULL, "3671135506019006");
}

static void
test_birth_date (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  GDate date;

  assert_first ("Fatimah Zahra", "2001-06-15", "3671135506019006");
  assert_first ("Yuliana Tyandra", "2001-06-15", "3671135506019007");
  /* The birth date filters: nobody by this name was born on that day. */
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 16, 6, 2001);
  hits = rk_resident_search (fixture_db (), "Yuliana Tjandra", &date, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
}

static void
test_too_short (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = rk_resident_search (fixture_db (), "A.", NULL, 10, &error);

  g_assert_null (hits);
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/intake/search/name-key", test_name_key);
  g_test_add_func ("/intake/search/old-spelling", test_old_spelling);
  g_test_add_func ("/intake/search/kh-ch", test_kh_and_ch);
  g_test_add_func ("/intake/search/typos", test_typos);
  g_test_add_func ("/intake/search/missing-spaces", test_spaces);
  g_test_add_func ("/intake/search/birth-date", test_birth_date);
  g_test_add_func ("/intake/search/too-short", test_too_short);
  rc = g_test_run ();
  sqlite3_close (fixture_db ());
  return rc;
}
