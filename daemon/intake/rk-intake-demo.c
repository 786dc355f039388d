#include "rk-intake-demo.h"

#include <string.h>

#include "rk-application.h"
#include "rk-audit.h"
#include "rk-crypto.h"
#include "rk-demo-applications.h"
#include "rk-demo-population.h"
#include "rk-intake-error.h"
#include "rk-intake-routes.h"
#include "rk-siak-import.h"

static guint8 *
station_seal (gpointer daemon, const guint8 *plaintext, gsize len, gsize *ret_len)
{
  return rk_station_seal (daemon, plaintext, len, ret_len);
}

static gboolean
fill_population (RkStore *store, GError **error)
{
  sqlite3 *db = rk_store_get_db (store);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autofree char *detail = NULL;
  RkDemoPopulationStats population;
  RkSiakImportStats stats;
  GDate today;

  rk_intake_today (&today);
  if (!rk_demo_population_write (out, RK_INTAKE_DEMO_RESIDENTS, RK_INTAKE_DEMO_SEED, &today,
                                 &population, error) ||
      !g_output_stream_close (out, NULL, error))
    return FALSE;
  csv = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  input = g_memory_input_stream_new_from_bytes (csv);
  if (!rk_store_begin (store, error))
    return FALSE;
  if (!rk_siak_import (db, input, RK_CSV_ENCODING_UTF8, "demo", NULL, &stats, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  detail = g_strdup_printf ("{\"import_id\":%" G_GINT64_FORMAT ",\"rows\":%" G_GUINT64_FORMAT
                            ",\"demo\":true}", stats.import_id, stats.rows);
  if (rk_audit_append (store, rk_actor_system (), "siak.import", "siak", detail, error) == 0 ||
      !rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  g_message ("demo: %" G_GUINT64_FORMAT " residents of Kecamatan Larangan in %" G_GUINT64_FORMAT
             " families (%" G_GUINT64_FORMAT " married under 17, %" G_GUINT64_FORMAT
             " turning 17 next week, %" G_GUINT64_FORMAT " NIK/record mismatches)",
             population.rows, population.families, population.married_under_17,
             population.turning_17_next_week, population.nik_mismatch);
  return TRUE;
}

static gboolean
fill_applications (RkDaemon *daemon, RkStore *store, GError **error)
{
  sqlite3 *db = rk_store_get_db (store);
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) applicants = g_array_new (FALSE, TRUE, sizeof (RkDemoApplicant));
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autofree char *detail = NULL;
  static const char *const types[] = { "first_issue", "replacement", "change_of_data",
                                       "first_issue", "newcomer" };
  RkApplicationImportStats stats;
  guint i = 0;

  /* Twelve residents spread over the extract (fixed: the population is). */
  stmt = rk_intake_prepare (db, "SELECT printf ('%016d', nik), name, birth_date FROM resident "
                                "WHERE nik % 97 = 3 ORDER BY nik LIMIT 12", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RkDemoApplicant a;

      a.nik = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      a.name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      a.birth_date = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      a.case_type = types[i++ % G_N_ELEMENTS (types)];
      g_ptr_array_add (strings, (gpointer) a.nik);
      g_ptr_array_add (strings, (gpointer) a.name);
      g_ptr_array_add (strings, (gpointer) a.birth_date);
      g_array_append_val (applicants, a);
    }
  /* And one from someone the extract does not know: to be referred. */
  {
    RkDemoApplicant stranger = { "3671135203010007", "RATNA DEWI SARTIKA", "2001-03-12",
                                 "newcomer" };

    g_array_append_val (applicants, stranger);
  }
  zip = rk_demo_applications_zip ((RkDemoApplicant *) applicants->data, applicants->len, error);
  if (zip == NULL)
    return FALSE;
  if (!rk_store_begin (store, error))
    return FALSE;
  report = rk_application_import (db, zip, station_seal, daemon, "demo", &stats, error);
  detail = g_strdup_printf ("{\"applications\":%u,\"demo\":true}", stats.applications);
  if (report == NULL ||
      rk_audit_append (store, rk_actor_system (), "application.import", "applications", detail,
                       error) == 0 ||
      !rk_store_commit (store, error))
    {
      rk_store_rollback (store);
      return FALSE;
    }
  g_message ("demo: %u online applications imported", stats.applications);
  return TRUE;
}

gboolean
rk_intake_demo_fill (RkDaemon *daemon, GError **error)
{
  RkStore *store = rk_daemon_get_store (daemon);
  g_autoptr(RkIntakeStmt) stmt = NULL;
  gint64 started = g_get_monotonic_time ();
  gboolean have_residents, have_applications;

  stmt = rk_intake_prepare (rk_store_get_db (store),
                            "SELECT EXISTS (SELECT 1 FROM resident), "
                            "EXISTS (SELECT 1 FROM application)", error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return stmt == NULL ? FALSE : rk_intake_set_sqlite_error (error, rk_store_get_db (store),
                                                             "check demo data");
  have_residents = sqlite3_column_int (stmt, 0);
  have_applications = sqlite3_column_int (stmt, 1);
  /* An unfinished read would keep the bulk import from dropping indexes. */
  sqlite3_reset (stmt);
  if (!have_residents && !fill_population (store, error))
    return FALSE;
  if (!have_applications && !fill_applications (daemon, store, error))
    return FALSE;
  if (!have_residents || !have_applications)
    g_message ("demo: intake data ready in %.1f s", (g_get_monotonic_time () - started) / 1e6);
  return TRUE;
}
