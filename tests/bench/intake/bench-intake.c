/* bench-intake: SIAK import and name search on a generated extract.
 *
 *   bench-intake [--rows N] [--runs R] [--queries Q] [--dir DIR]
 *
 * Defaults: 500,000 rows, 3 runs, 2,000 queries. Each run imports the
 * generated extract into a fresh store file (WAL, synchronous=FULL, the
 * intake migration) in one transaction. Prints medians over the runs,
 * against a baseline measured in the same run: parsing the same CSV
 * without writing (so the ratio shows what the store costs), and a
 * lookup by NIK (the cheapest query) beside the name search. */
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>

#include "rk-csv-reader.h"
#include "rk-demo-population.h"
#include "rk-intake-types.h"
#include "rk-name-key.h"
#include "rk-resident.h"
#include "rk-siak-import.h"

/* CPU seconds (user + system) of this process: the machine is shared, so
 * wall-clock rates are printed beside rates per CPU second. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (double *values, guint n, double p)
{
  guint index;

  qsort (values, n, sizeof *values, compare_double);
  index = (guint) (p * (n - 1) + 0.5);
  return values[index];
}

static sqlite3 *
open_store (const char *path)
{
  const char *source = g_getenv ("REKAM_SOURCE_DIR");
  g_autofree char *migration_path = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  migration_path = g_build_filename (source != NULL ? source : ".", "schemas", "migrations",
                                     "0002_intake.sql", NULL);
  if (!g_file_get_contents (migration_path, &sql, NULL, NULL))
    g_error ("cannot read %s (set REKAM_SOURCE_DIR)", migration_path);
  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                        "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("store: %s", sqlite3_errmsg (db));
  return db;
}

/* Misspells a name the way the search must forgive: one of a typo, an
 * old spelling, a dropped space. */
static char *
misspell (GRand *rand, const char *name)
{
  GString *s = g_string_new (name);
  guint kind = (guint) g_rand_int_range (rand, 0, 4);
  char *space = strchr (s->str, ' ');

  if (kind == 0 && s->len > 4)
    {
      /* swap two neighbours in the middle */
      gsize i = s->len / 2;
      char t = s->str[i];

      s->str[i] = s->str[i + 1];
      s->str[i + 1] = t;
    }
  else if (kind == 1 && strchr (s->str, 'U') != NULL)
    {
      gsize i = (gsize) (strchr (s->str, 'U') - s->str);

      g_string_erase (s, (gssize) i, 1);
      g_string_insert (s, (gssize) i, "OE");
    }
  else if (kind == 2 && space != NULL)
    g_string_erase (s, space - s->str, 1);
  else if (s->len > 5)
    s->str[s->len - 2] = s->str[s->len - 2] == 'A' ? 'E' : 'A';
  return g_string_free (s, FALSE);
}

int
main (int argc, char **argv)
{
  gint64 rows = 500000;
  gint runs = 3, queries = 2000;
  g_autofree char *dir_option = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  double *import_rate, *parse_rate, *import_cpu_rate;
  GDate today;
  g_autofree char *load = NULL;
  sqlite3 *db = NULL;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT64, &rows, "Rows in the extract", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Import runs", "R" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &queries, "Search queries", "Q" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_option, "Where the store goes", "DIR" },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1 || queries < 1)
    {
      fprintf (stderr, "bench-intake: %s\n", error ? error->message : "bad arguments");
      return 2;
    }
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_JUNE, 2025);
  if (!rk_demo_population_write (out, (guint64) rows, 1, &today, NULL, &error))
    g_error ("%s", error->message);
  g_output_stream_close (out, NULL, NULL);
  csv = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  dir = dir_option != NULL ? g_strdup (dir_option) : g_dir_make_tmp ("bench-intake-XXXXXX", NULL);
  path = g_build_filename (dir, "bench.db", NULL);
  {
    g_autofree char *loadavg = NULL;

    g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
    load = g_strndup (loadavg != NULL ? loadavg : "?", 4);
  }
  printf ("extract: %" G_GINT64_FORMAT " rows, %.1f MB, store in %s\n", rows,
          g_bytes_get_size (csv) / 1e6, dir);

  import_rate = g_new0 (double, runs);
  parse_rate = g_new0 (double, runs);
  import_cpu_rate = g_new0 (double, runs);
  for (gint run = 0; run < runs; run++)
    {
      g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (csv);
      g_autoptr(GInputStream) parse_input = g_memory_input_stream_new_from_bytes (csv);
      g_autoptr(RkCsvReader) reader = rk_csv_reader_new (parse_input, RK_CSV_ENCODING_AUTO);
      RkSiakImportStats stats;
      gint64 t0, t1;
      double c0, c1;
      guint64 parsed = 0;

      /* Baseline: parse and key every row, write nothing. */
      t0 = g_get_monotonic_time ();
      while (rk_csv_reader_next (reader, NULL))
        {
          char key[RK_NAME_KEY_MAX];

          if (rk_csv_reader_get_n_fields (reader) > 2)
            rk_name_key (rk_csv_reader_get_field (reader, 2, NULL), key);
          parsed++;
        }
      t1 = g_get_monotonic_time ();
      parse_rate[run] = (parsed - 1) / ((t1 - t0) / 1e6);

      if (db != NULL)
        sqlite3_close (db);
      g_unlink (path);
      {
        g_autofree char *wal = g_strconcat (path, "-wal", NULL);
        g_autofree char *shm = g_strconcat (path, "-shm", NULL);

        g_unlink (wal);
        g_unlink (shm);
      }
      db = open_store (path);
      t0 = g_get_monotonic_time ();
      c0 = cpu_seconds ();
      sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      if (!rk_siak_import (db, input, RK_CSV_ENCODING_AUTO, "bench", NULL, &stats, &error))
        g_error ("import: %s", error->message);
      if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        g_error ("commit: %s", sqlite3_errmsg (db));
      t1 = g_get_monotonic_time ();
      c1 = cpu_seconds ();
      import_rate[run] = stats.rows / ((t1 - t0) / 1e6);
      import_cpu_rate[run] = stats.rows / (c1 - c0);
      printf ("run %d: import %.0f rows/s wall (%.2f s), %.0f rows per CPU second; parse-only "
              "baseline %.0f rows/s\n", run + 1, import_rate[run], (t1 - t0) / 1e6,
              import_cpu_rate[run], parse_rate[run]);
    }
  {
    double import_median = percentile (import_rate, (guint) runs, 0.5);
    double parse_median = percentile (parse_rate, (guint) runs, 0.5);

    printf ("SIAK import: median %.0f rows/s wall, %.0f rows per CPU second, over %d runs "
            "(target >= 100000); parse-only baseline %.0f rows/s; import/baseline %.2f; "
            "load average at start %s\n", import_median,
            percentile (import_cpu_rate, (guint) runs, 0.5), runs, parse_median,
            import_median / parse_median, load);
  }

  /* Queries: misspelt names of random residents, half with birth date. */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (42);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) niks = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) births = g_ptr_array_new_with_free_func (g_free);
    sqlite3_stmt *stmt = NULL;
    double *name_ms = g_new0 (double, queries);
    double *born_ms = g_new0 (double, queries);
    double *nik_ms = g_new0 (double, queries);
    guint found_name = 0, found_born = 0, same_name = 0;
    g_autoptr(GPtrArray) true_names = g_ptr_array_new_with_free_func (g_free);

    sqlite3_prepare_v2 (db, "SELECT nik, name, birth_date FROM resident ORDER BY random() "
                            "LIMIT ?1", -1, &stmt, NULL);
    sqlite3_bind_int (stmt, 1, queries);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_ptr_array_add (niks, g_strdup_printf ("%016" G_GINT64_FORMAT,
                                                (gint64) sqlite3_column_int64 (stmt, 0)));
        g_ptr_array_add (names, misspell (rand, (const char *) sqlite3_column_text (stmt, 1)));
        g_ptr_array_add (true_names, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        g_ptr_array_add (births, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
      }
    sqlite3_finalize (stmt);
    for (guint i = 0; i < names->len; i++)
      {
        g_autoptr(GPtrArray) hits = NULL;
        g_autoptr(GPtrArray) born_hits = NULL;
        g_autoptr(RkResident) resident = NULL;
        GDate born;
        gint64 t0, t1, t2, t3;

        g_date_clear (&born, 1);
        rk_date_parse (births->pdata[i], &born);
        t0 = g_get_monotonic_time ();
        hits = rk_resident_search (db, names->pdata[i], NULL, 10, NULL);
        t1 = g_get_monotonic_time ();
        born_hits = rk_resident_search (db, names->pdata[i], &born, 10, NULL);
        t2 = g_get_monotonic_time ();
        resident = rk_resident_lookup (db, niks->pdata[i], NULL);
        t3 = g_get_monotonic_time ();
        name_ms[i] = (t1 - t0) / 1e3;
        born_ms[i] = (t2 - t1) / 1e3;
        nik_ms[i] = (t3 - t2) / 1e3;
        for (guint j = 0; hits != NULL && j < hits->len; j++)
          if (strcmp (((RkResidentMatch *) hits->pdata[j])->resident->nik, niks->pdata[i]) == 0)
            {
              found_name++;
              break;
            }
        /* Names repeat (many SITI RAHAYUs): also count a hit that has the
         * person's exact name, which is all a name alone can tell. */
        for (guint j = 0; hits != NULL && j < hits->len; j++)
          if (strcmp (((RkResidentMatch *) hits->pdata[j])->resident->name,
                      true_names->pdata[i]) == 0)
            {
              same_name++;
              break;
            }
        for (guint j = 0; born_hits != NULL && j < born_hits->len; j++)
          if (strcmp (((RkResidentMatch *) born_hits->pdata[j])->resident->nik,
                      niks->pdata[i]) == 0)
            {
              found_born++;
              break;
            }
      }
    if (g_getenv ("BENCH_INTAKE_SHOW_SLOW") != NULL)
      for (guint i = 0; i < names->len; i++)
        if (name_ms[i] > 15.0)
          printf ("slow: %.1f ms for \"%s\"\n", name_ms[i], (const char *) names->pdata[i]);
    printf ("name search (%u misspelt queries, %" G_GINT64_FORMAT " rows): p50 %.2f ms, "
            "p99 %.2f ms (target p99 < 20 ms); person in top 10: %.1f%%, their exact name in "
            "top 10: %.1f%%\n", names->len, rows,
            percentile (name_ms, names->len, 0.5), percentile (name_ms, names->len, 0.99),
            100.0 * found_name / names->len, 100.0 * same_name / names->len);
    printf ("name + birth date search: p50 %.2f ms, p99 %.2f ms; person in top 10: %.1f%%\n",
            percentile (born_ms, names->len, 0.5), percentile (born_ms, names->len, 0.99),
            100.0 * found_born / names->len);
    printf ("baseline NIK lookup (in process): p50 %.3f ms, p99 %.3f ms\n",
            percentile (nik_ms, names->len, 0.5), percentile (nik_ms, names->len, 0.99));
    g_free (name_ms);
    g_free (born_ms);
    g_free (nik_ms);
  }
  sqlite3_close (db);
  g_free (import_rate);
  g_free (parse_rate);
  g_free (import_cpu_rate);
  if (dir_option == NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return 0;
}
