/* rekam-afis: helpers shared by the fingerprint commands (file I/O lives
 * here, never in the library). */
#ifndef AFIS_CLI_COMMON_H
#define AFIS_CLI_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-finger.h"
#include "afis/afis-template.h"

/* Reads a whole file (at most @max bytes) into a new buffer. Returns 0 or
 * -1 with errno set (EFBIG when too large). */
int afis_cli_read_file (const char *path, size_t max, uint8_t **ret_data, size_t *ret_size);
/* Writes @size bytes to @path through a temporary file and rename. */
int afis_cli_write_file (const char *path, const uint8_t *data, size_t size);
/* Monotonic clock in seconds. */
double afis_cli_now (void);
/* CPU time of the calling thread in seconds: timings that a busy shared
 * machine disturbs less than wall-clock ones. */
double afis_cli_cpu_now (void);
/* CPU time of the whole process (all threads) in seconds. */
double afis_cli_process_cpu_now (void);
/* Loads an image file and extracts it at @ppi. Returns 0, or -1 with a
 * reason in @reason. */
int afis_cli_extract_file (const char *path, int ppi, AfisFingerprint *ret_print,
                           char *reason, size_t reason_size);
/* Parses a positive integer option value; -1 when invalid. */
long afis_cli_parse_long (const char *text, long min, long max);
/* Name of @path without folder and extension, into @out. */
void afis_cli_basename (const char *path, char *out, size_t out_size);
/* Reads and validates an ISO 19794-2 record file into a new AfisTemplate
 * (free()). Returns 0, or -1 with a reason. */
int afis_cli_load_record (const char *path, AfisTemplate **ret_template, char *reason,
                          size_t reason_size);
/* Search template of view @view of the record at @path. */
int afis_cli_load_search (const char *path, int view, AfisSearchTemplate *ret_search,
                          char *reason, size_t reason_size);
int afis_cli_compare_double (const void *a, const void *b);

#endif
