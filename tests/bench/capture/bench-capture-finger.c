/* bench-capture-finger: slap segmentation and document cleaning medians
 * of `rekam-capture bench` (see capture/cli/cli-finger-bench.c). */
#include <string.h>

#include "rekam-capture-cli.h"

int
main (int argc, char **argv)
{
  return capture_cli_finger_bench (argc > 1 && strcmp (argv[1], "--quick") == 0);
}
