/* rekam-afis iris: helpers shared by the iris commands. */
#ifndef CLI_IRIS_UTIL_H
#define CLI_IRIS_UTIL_H

#include <stddef.h>

#include "afis/afis-iris.h"

/* Monotonic clock in seconds. */
double cli_iris_now (void);

/* CPU time of the calling thread in seconds (immune to a loaded machine). */
double cli_iris_cpu_now (void);

/* Reads a template file; 0 on success, -1 with a message on stderr. */
int cli_iris_template_load (const char *path, AfisIrisTemplate *ret_template);

/* Writes a template file atomically enough for a CLI (tmp + rename). */
int cli_iris_template_save (const char *path, const AfisIrisTemplate *template_);

/* Reads a whole file of at most @max bytes into a malloc'd buffer. */
int cli_iris_file_read (const char *path, size_t max, unsigned char **ret_data,
                        size_t *ret_size);

/* The file name of @path without folder and extension, into @out. */
void cli_iris_stem (const char *path, char *out, size_t out_size);

/* Image file (by extension) we can decode? */
int cli_iris_is_image (const char *name);

/* Median of @n values (sorts them in place); 0 for n == 0. */
double cli_iris_median (double *values, size_t n);

/* Subcommands (argv[0] is the subcommand's name). */
int cli_iris_eval (int argc, char **argv);
int cli_iris_synth (int argc, char **argv);
int cli_iris_bench (int argc, char **argv);
int cli_iris_record (int argc, char **argv);

#endif
