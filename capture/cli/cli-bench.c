/* rekam-capture bench: the medians named in the capture issue. Each
 * pipeline measures itself; this file only runs them in turn. */
#include <stdio.h>
#include <string.h>

#include "rekam-capture-cli.h"

int
capture_cli_bench (int argc, char **argv)
{
  bool quick = false;
  if (capture_cli_wants_help (argc, argv))
    {
      printf ("Usage: rekam-capture bench [--quick]\n\n"
              "Prints the median time of each capture pipeline on one core:\n"
              "WSQ encode/decode of a 500x500 print at 0.75 bpp (with PSNR),\n"
              "slap segmentation with afis quality, document page cleaning,\n"
              "and the face/iris pipelines when they are built in.\n"
              "  --quick   fewer iterations (a smoke run)\n");
      return 0;
    }
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--quick") == 0)
        quick = true;
      else
        {
          fprintf (stderr, "bench: unknown option '%s'\n", argv[i]);
          return 2;
        }
    }
  int rc = 0;
#ifdef CAPTURE_CLI_HAVE_WSQ
  rc |= capture_cli_wsq_bench (quick);
#endif
  rc |= capture_cli_finger_bench (quick);
#ifdef CAPTURE_CLI_HAVE_FACE_BENCH
  rc |= capture_cli_face_bench (quick);
#endif
#ifdef CAPTURE_CLI_HAVE_IRIS_BENCH
  rc |= capture_cli_iris_bench (quick);
#endif
  (void) quick;
  return rc != 0 ? 1 : 0;
}
