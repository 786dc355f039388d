/* bench-wsq: the WSQ medians of `rekam-capture bench` as a standalone
 * benchmark (see capture/cli/cli-wsq-bench.c). --quick for a smoke run. */
#include <string.h>

#include "rekam-capture-cli.h"

int
main (int argc, char **argv)
{
  return capture_cli_wsq_bench (argc > 1 && strcmp (argv[1], "--quick") == 0);
}
