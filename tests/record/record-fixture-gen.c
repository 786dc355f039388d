/* record-fixture-gen DIR TCN [--full] [--slaps]: writes a manifest and its
 * images (fixed seed) for the Python daemon tests and the benchmarks. */
#include <stdio.h>
#include <string.h>

#include "record-fixture.h"

int
main (int argc, char **argv)
{
  RecordFixtureOptions options = { .seed = 17 };
  g_autofree char *path = NULL;

  if (argc < 3)
    {
      fprintf (stderr, "usage: record-fixture-gen DIR TCN [--full] [--slaps] [--minutiae]\n");
      return 2;
    }
  options.tcn = argv[2];
  for (int i = 3; i < argc; i++)
    {
      if (strcmp (argv[i], "--full") == 0)
        options.full_size = TRUE;
      else if (strcmp (argv[i], "--slaps") == 0)
        options.with_slaps = TRUE;
      else if (strcmp (argv[i], "--minutiae") == 0)
        options.with_minutiae = TRUE;
    }
  g_mkdir_with_parents (argv[1], 0700);
  path = record_fixture_write (argv[1], &options);
  printf ("%s\n", path);
  return 0;
}
