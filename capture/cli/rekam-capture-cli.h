/* rekam-capture: the commands, one file each, dispatched by rekam-capture.c.
 *
 * Each command gets argv with argv[0] = its own name ("wsq", "face"...)
 * and returns the process exit status: 0 success, 1 the work failed (a bad
 * file, a rejected capture), 2 a usage error. Every command answers
 * --help on stdout with exit 0.
 *
 * Face and iris (capture-face's files cli/cli-face.c and cli/cli-iris.c)
 * are linked when those files exist; CMake then defines
 * CAPTURE_CLI_HAVE_FACE / CAPTURE_CLI_HAVE_IRIS. Their benchmark hooks are
 * called by `rekam-capture bench` when their sources.cmake appends
 * CAPTURE_CLI_HAVE_FACE_BENCH / CAPTURE_CLI_HAVE_IRIS_BENCH to
 * CAPTURE_CLI_DEFINITIONS. */
#ifndef REKAM_CAPTURE_CLI_H
#define REKAM_CAPTURE_CLI_H

#include <stdbool.h>

int capture_cli_wsq (int argc, char **argv);
int capture_cli_signature (int argc, char **argv);
int capture_cli_slap (int argc, char **argv);
int capture_cli_document (int argc, char **argv);
int capture_cli_bench (int argc, char **argv);
/* WSQ medians for `bench` (cli-wsq-bench.c). */
int capture_cli_wsq_bench (bool quick);
/* Slap segmentation and document page medians (cli-finger-bench.c). */
int capture_cli_finger_bench (bool quick);

/* capture-face: `face check ...`, `face crop ...` (cli/cli-face.c). */
int capture_cli_face (int argc, char **argv);
/* capture-face: `iris ...` (cli/cli-iris.c). */
int capture_cli_iris (int argc, char **argv);

/* Benchmark hooks: print one line per median ("name: median X ms ...") to
 * stdout. @quick is true for a short smoke run (fewer iterations). Return
 * 0 on success. */
int capture_cli_face_bench (bool quick);
int capture_cli_iris_bench (bool quick);

/* Shared by the commands: true when argv holds --help or -h. */
bool capture_cli_wants_help (int argc, char **argv);

#endif
