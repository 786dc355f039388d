#include "rk-csv-reader.h"

#include <string.h>

#include "rk-intake-error.h"

#define BUFFER_SIZE (64 * 1024)

struct _RkCsvReader {
  GInputStream  *input;
  RkCsvEncoding  encoding;
  gboolean       resolved;        /* AUTO decided (saw non-ASCII) */
  guint8        *buffer;
  gsize          pos, len;
  gboolean       eof;
  gboolean       started;         /* BOM handled */
  guint64        line;            /* physical line of the read position */
  guint64        record_line;
  GByteArray    *data;            /* the record's decoded fields, NUL-separated */
  gsize          offsets[RK_CSV_MAX_FIELDS + 1];
  guint          n_fields;
};

RkCsvReader *
rk_csv_reader_new (GInputStream *input, RkCsvEncoding encoding)
{
  RkCsvReader *reader = g_new0 (RkCsvReader, 1);

  reader->input = g_object_ref (input);
  reader->encoding = encoding;
  reader->buffer = g_malloc (BUFFER_SIZE);
  reader->line = 1;
  reader->data = g_byte_array_sized_new (1024);
  return reader;
}

void
rk_csv_reader_free (RkCsvReader *reader)
{
  if (reader == NULL)
    return;
  g_object_unref (reader->input);
  g_free (reader->buffer);
  g_byte_array_unref (reader->data);
  g_free (reader);
}

/* Returns the next byte, or -1 at the end, or -2 on a read error. */
static inline int
next_byte (RkCsvReader *reader, GError **error)
{
  if (G_UNLIKELY (reader->pos == reader->len))
    {
      gssize n;

      if (reader->eof)
        return -1;
      n = g_input_stream_read (reader->input, reader->buffer, BUFFER_SIZE, NULL, error);
      if (n < 0)
        return -2;
      if (n == 0)
        {
          reader->eof = TRUE;
          return -1;
        }
      reader->pos = 0;
      reader->len = (gsize) n;
    }
  return reader->buffer[reader->pos++];
}

static inline int
peek_byte (RkCsvReader *reader, GError **error)
{
  int c = next_byte (reader, error);

  if (c >= 0)
    reader->pos--;
  return c;
}

static gboolean
csv_error (RkCsvReader *reader, GError **error, const char *what)
{
  g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CSV,
               "line %" G_GUINT64_FORMAT ", column %u: %s", reader->line,
               reader->n_fields + 1, what);
  return FALSE;
}

/* Decodes the field just collected (bytes from offsets[n_fields] to the
 * end of data) in place: checks UTF-8, or converts Latin-1. */
static gboolean
finish_field (RkCsvReader *reader, gboolean non_ascii, GError **error)
{
  gsize start = reader->offsets[reader->n_fields];
  gsize len = reader->data->len - start;

  if (non_ascii)
    {
      if (reader->encoding == RK_CSV_ENCODING_AUTO)
        {
          if (g_utf8_validate_len ((const char *) reader->data->data + start, len, NULL))
            reader->encoding = RK_CSV_ENCODING_UTF8;
          else
            reader->encoding = RK_CSV_ENCODING_LATIN1;
          reader->resolved = TRUE;
        }
      if (reader->encoding == RK_CSV_ENCODING_UTF8 &&
          !g_utf8_validate_len ((const char *) reader->data->data + start, len, NULL))
        {
          g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_ENCODING,
                       "line %" G_GUINT64_FORMAT ", column %u: invalid UTF-8%s",
                       reader->record_line, reader->n_fields + 1,
                       reader->resolved ? " (earlier lines were UTF-8; the file mixes "
                       "encodings)" : " (give encoding=latin-1 if the file is ISO-8859-1)");
          return FALSE;
        }
      if (reader->encoding == RK_CSV_ENCODING_LATIN1)
        {
          g_autofree guint8 *copy = g_memdup2 (reader->data->data + start, len);

          g_byte_array_set_size (reader->data, start);
          for (gsize i = 0; i < len; i++)
            {
              guint8 b = copy[i];

              if (b < 0x80)
                g_byte_array_append (reader->data, &b, 1);
              else
                {
                  guint8 two[2] = { (guint8) (0xc0 | (b >> 6)), (guint8) (0x80 | (b & 0x3f)) };

                  g_byte_array_append (reader->data, two, 2);
                }
            }
          len = reader->data->len - start;
        }
    }
  if (len > RK_CSV_MAX_FIELD)
    return csv_error (reader, error, "field longer than 4096 bytes");
  g_byte_array_append (reader->data, (const guint8 *) "", 1);
  reader->n_fields++;
  reader->offsets[reader->n_fields] = reader->data->len;
  return TRUE;
}

gboolean
rk_csv_reader_next (RkCsvReader *reader, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_byte_array_set_size (reader->data, 0);
  reader->n_fields = 0;
  reader->offsets[0] = 0;

  if (!reader->started)
    {
      reader->started = TRUE;
      if (next_byte (reader, error) == 0xef)
        {
          if (next_byte (reader, error) != 0xbb || next_byte (reader, error) != 0xbf)
            return csv_error (reader, error, "broken UTF-8 byte order mark");
        }
      else if (reader->len > 0)
        reader->pos = 0;
      if (error != NULL && *error != NULL)
        return FALSE;
    }

  reader->record_line = reader->line;
  {
    int c = peek_byte (reader, error);

    if (c == -2)
      return FALSE;
    if (c == -1)
      return FALSE; /* clean end of input */
  }

  for (;;)
    {
      gboolean non_ascii = FALSE;
      int c;

      if (reader->n_fields == RK_CSV_MAX_FIELDS)
        return csv_error (reader, error, "more than 64 fields");
      c = next_byte (reader, error);
      if (c == '"')
        {
          guint64 open_line = reader->line;

          for (;;)
            {
              c = next_byte (reader, error);
              if (c == -2)
                return FALSE;
              if (c == -1)
                {
                  g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CSV,
                               "line %" G_GUINT64_FORMAT ", column %u: the file ends "
                               "inside a quoted field (truncated file or a missing "
                               "closing quote)", open_line, reader->n_fields + 1);
                  return FALSE;
                }
              if (c == '"')
                {
                  int d = peek_byte (reader, error);

                  if (d == '"')
                    {
                      reader->pos++;
                      g_byte_array_append (reader->data, (const guint8 *) "\"", 1);
                      continue;
                    }
                  break;
                }
              if (c == '\n')
                reader->line++;
              if (c == 0)
                return csv_error (reader, error, "NUL byte in the data");
              non_ascii |= c >= 0x80;
              {
                guint8 b = (guint8) c;

                g_byte_array_append (reader->data, &b, 1);
              }
            }
          c = next_byte (reader, error);
          if (c != ',' && c != '\n' && c != '\r' && c != -1)
            return c == -2 ? FALSE
                           : csv_error (reader, error,
                                        "text after the closing quote of a quoted field "
                                        "(a quote inside a field must be doubled)");
        }
      else
        {
          /* Unquoted: copy the run of ordinary bytes in one go. */
          while (c >= 0 && c != ',' && c != '\n' && c != '\r')
            {
              gsize start;

              if (c == '"')
                return csv_error (reader, error,
                                  "quote inside an unquoted field (quote the whole field "
                                  "and double the quote)");
              if (c == 0)
                return csv_error (reader, error, "NUL byte in the data");
              reader->pos--;
              start = reader->pos;
              while (reader->pos < reader->len)
                {
                  guint8 b = reader->buffer[reader->pos];

                  if (b == ',' || b == '\n' || b == '\r' || b == '"' || b == 0)
                    break;
                  non_ascii |= b >= 0x80;
                  reader->pos++;
                }
              g_byte_array_append (reader->data, reader->buffer + start, reader->pos - start);
              c = next_byte (reader, error);
            }
          if (c == -2)
            return FALSE;
        }
      if (!finish_field (reader, non_ascii, error))
        return FALSE;
      if (c == ',')
        continue;
      if (c == '\r')
        {
          if (peek_byte (reader, error) == '\n')
            reader->pos++;
          reader->line++;
        }
      else if (c == '\n')
        reader->line++;
      return TRUE;
    }
}

guint
rk_csv_reader_get_n_fields (RkCsvReader *reader)
{
  return reader->n_fields;
}

const char *
rk_csv_reader_get_field (RkCsvReader *reader, guint index, gsize *ret_len)
{
  g_return_val_if_fail (index < reader->n_fields, NULL);
  if (ret_len != NULL)
    *ret_len = reader->offsets[index + 1] - reader->offsets[index] - 1;
  return (const char *) reader->data->data + reader->offsets[index];
}

guint64
rk_csv_reader_get_line (RkCsvReader *reader)
{
  return reader->record_line;
}

RkCsvEncoding
rk_csv_reader_get_encoding (RkCsvReader *reader)
{
  return reader->encoding == RK_CSV_ENCODING_AUTO ? RK_CSV_ENCODING_UTF8 : reader->encoding;
}

const char *
rk_csv_encoding_to_string (RkCsvEncoding encoding)
{
  switch (encoding)
    {
    case RK_CSV_ENCODING_LATIN1:
      return "latin-1";
    case RK_CSV_ENCODING_AUTO:
      return "auto";
    case RK_CSV_ENCODING_UTF8:
    default:
      return "utf-8";
    }
}
