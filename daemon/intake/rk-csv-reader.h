/* A streaming RFC 4180 reader: comma-separated, fields optionally quoted
 * with "" as an escaped quote, CRLF or LF line ends, line breaks allowed
 * inside quotes. Fields come out as NUL-terminated UTF-8.
 *
 * Errors name the physical line and the field (column, 1-based) and say
 * what was wrong; the reader is not usable after an error. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  RK_CSV_ENCODING_AUTO,    /* UTF-8 until a byte sequence is not; if the
                              file was pure ASCII so far, switch to Latin-1 */
  RK_CSV_ENCODING_UTF8,    /* invalid UTF-8 is an error */
  RK_CSV_ENCODING_LATIN1,  /* every byte is ISO-8859-1 */
} RkCsvEncoding;

#define RK_CSV_MAX_FIELD  4096   /* bytes of one field, after decoding */
#define RK_CSV_MAX_FIELDS 64

typedef struct _RkCsvReader RkCsvReader;

RkCsvReader  *rk_csv_reader_new (GInputStream *input /* transfer none */,
                                 RkCsvEncoding encoding);
void          rk_csv_reader_free (RkCsvReader *reader);

/* Reads the next record. Returns TRUE with a record, FALSE at the end of
 * the input (error unset) or on an error (RK_INTAKE_ERROR_CSV,
 * _ENCODING or _IO). A UTF-8 byte order mark at the start is skipped;
 * empty lines are records of one empty field (callers reject them). */
gboolean      rk_csv_reader_next (RkCsvReader *reader, GError **error);

guint         rk_csv_reader_get_n_fields (RkCsvReader *reader);
/* Valid until the next call to _next (transfer none). */
const char   *rk_csv_reader_get_field (RkCsvReader *reader, guint index,
                                       gsize *ret_len);
/* Physical line on which the current record starts (1-based). */
guint64       rk_csv_reader_get_line (RkCsvReader *reader);
/* The encoding in use: AUTO resolves to UTF8 or LATIN1 as the input shows. */
RkCsvEncoding rk_csv_reader_get_encoding (RkCsvReader *reader);
const char   *rk_csv_encoding_to_string (RkCsvEncoding encoding);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkCsvReader, rk_csv_reader_free)

G_END_DECLS
