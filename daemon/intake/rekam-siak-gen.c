/* rekam-siak-gen: writes a generated SIAK extract (the demo population's
 * generator) for tests and benchmarks.
 *
 *   rekam-siak-gen [--rows N] [--seed S] [--today YYYY-MM-DD] [OUTPUT.csv]
 *
 * Defaults: 50,000 rows, seed 1, today's date; standard output when no
 * file is given. The same arguments give the same bytes. */
#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <stdio.h>
#include <stdlib.h>

#include "rk-demo-population.h"
#include "rk-intake-types.h"

int
main (int argc, char **argv)
{
  gint64 rows = 50000;
  gint seed = 1;
  g_autofree char *today_text = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("[OUTPUT.csv]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) output = NULL;
  RkDemoPopulationStats stats;
  GDate today;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT64, &rows, "Residents to write (default 50000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 1)", "S" },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_text, "The run date (default today)",
      "YYYY-MM-DD" },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Write a generated SIAK extract for Kecamatan "
                                "Larangan (36.71.13) in the layout of schemas/siak-extract.md.");
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 2 || rows < 1)
    {
      fprintf (stderr, "rekam-siak-gen: %s\n", error ? error->message : "bad arguments");
      return 2;
    }
  g_date_clear (&today, 1);
  if (today_text != NULL)
    {
      if (!rk_date_parse (today_text, &today))
        {
          fprintf (stderr, "rekam-siak-gen: --today wants YYYY-MM-DD\n");
          return 2;
        }
    }
  else
    g_date_set_time_t (&today, time (NULL));

  if (argc == 2)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);

      output = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL,
                                                &error));
      if (output == NULL)
        {
          fprintf (stderr, "rekam-siak-gen: %s\n", error->message);
          return 1;
        }
    }
  else
    output = g_unix_output_stream_new (1, FALSE);

  if (!rk_demo_population_write (output, (guint64) rows, (guint32) seed, &today, &stats, &error) ||
      !g_output_stream_close (output, NULL, &error))
    {
      fprintf (stderr, "rekam-siak-gen: %s\n", error->message);
      return 1;
    }
  fprintf (stderr, "rekam-siak-gen: %" G_GUINT64_FORMAT " residents in %" G_GUINT64_FORMAT
           " families; edge cases: %" G_GUINT64_FORMAT " married under 17, %" G_GUINT64_FORMAT
           " turning 17 next week, %" G_GUINT64_FORMAT " NIK/record mismatches\n",
           stats.rows, stats.families, stats.married_under_17, stats.turning_17_next_week,
           stats.nik_mismatch);
  return 0;
}
