/* rekam-capture: the capture command-line tool for technicians,
 * integrators and benchmarks. This file only dispatches; each command
 * lives in its own file. */
#include <stdio.h>
#include <string.h>

#include "rekam-capture-cli.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
#ifdef CAPTURE_CLI_HAVE_FACE
  { "face", capture_cli_face, "face check [--birth-year YYYY] IMAGE... | face crop IMAGE OUT.jpg" },
#endif
#ifdef CAPTURE_CLI_HAVE_IRIS
  { "iris", capture_cli_iris, "iris ...                                 iris frame selection" },
#endif
#ifdef CAPTURE_CLI_HAVE_WSQ
  { "wsq", capture_cli_wsq, "wsq encode IN OUT.wsq [--bitrate 0.75] | wsq decode IN.wsq OUT.pgm" },
#endif
#ifdef CAPTURE_CLI_HAVE_SLAP
  { "slap", capture_cli_slap, "slap segment IMAGE --hand left|right|thumbs -o DIR" },
#endif
#ifdef CAPTURE_CLI_HAVE_SIGNATURE
  { "signature", capture_cli_signature, "signature render STROKES.json OUT.png" },
#endif
#ifdef CAPTURE_CLI_HAVE_DOCUMENT
  { "document", capture_cli_document, "document scan PAGE... -o OUT.pdf [--dpi 300]" },
#endif
  { "bench", capture_cli_bench, "bench [--quick]                          medians of the capture pipelines" },
};

bool
capture_cli_wants_help (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
      return true;
  return false;
}

static void
usage (FILE *out)
{
  fprintf (out, "Usage: rekam-capture COMMAND [ARGS...]\n\nCommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf (out, "  %s\n", commands[i].summary);
  fprintf (out, "\n'rekam-capture COMMAND --help' describes one command.\n");
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
  fprintf (stderr, "rekam-capture: unknown command '%s'\n", argv[1]);
  usage (stderr);
  return 2;
}
