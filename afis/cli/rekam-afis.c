/* rekam-afis: the AFIS command-line tool for technicians and benchmarks.
 * This file only dispatches; each command lives in its own file. */
#include <stdio.h>
#include <string.h>

#include "rekam-afis-cli.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "extract", afis_cli_extract, "extract [--ppi N] IMAGE... -o DIR   write ISO 19794-2 templates" },
  { "match", afis_cli_match, "match A B                           similarity score of two templates" },
  { "score", afis_cli_score, "score                               score tab-separated template pairs from stdin" },
  { "identify", afis_cli_identify, "identify --gallery DIR PROBE...      ranked candidates" },
  { "eval", afis_cli_eval, "eval DIR...                         FVC-protocol accuracy and speed" },
  { "synth", afis_cli_synth, "synth -o DIR ...                    synthetic fingerprints" },
  { "bench", afis_cli_bench, "bench ...                           1:N search at scale" },
  { "iris", afis_cli_iris, "iris extract|match|score|identify|eval|bench ...   iris commands" },
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage: rekam-afis COMMAND [ARGS...]\n\nCommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf (out, "  %s\n", commands[i].summary);
  fprintf (out, "\n'rekam-afis COMMAND --help' describes one command.\n");
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      usage (stdout);
      return 0;
    }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);
  fprintf (stderr, "rekam-afis: unknown command '%s'\n", argv[1]);
  usage (stderr);
  return 2;
}
