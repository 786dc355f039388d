#include "rki-session.h"
#include "rki-error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct _RkiSession {
  char      *name;    /* for error messages */
  char      *device_class;
  char      *label;
  char      *serial;
  char      *firmware;
  gboolean   loop;
  gboolean   have_ranges;
  int        range_x, range_y, range_p;
  GArray    *records; /* RkiRecord */
};

static void
record_clear (gpointer data)
{
  RkiRecord *r = data;

  g_clear_pointer (&r->image, rki_image_unref);
  g_clear_pointer (&r->bytes, g_bytes_unref);
  g_clear_pointer (&r->response, g_bytes_unref);
  g_clear_pointer (&r->text, g_free);
}

void
rki_session_free (RkiSession *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->device_class);
  g_free (self->label);
  g_free (self->serial);
  g_free (self->firmware);
  g_array_unref (self->records);
  g_free (self);
}

GBytes *
rki_hex_decode (const char *hex, GError **error)
{
  gsize len = strlen (hex);
  g_autofree guint8 *out = NULL;

  if (len % 2 != 0 || len / 2 > 70000)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                   "hex string of %" G_GSIZE_FORMAT " digits: need an even count up to 140000", len);
      return NULL;
    }
  out = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]), lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "'%c%c' at offset %" G_GSIZE_FORMAT " is not a hex byte",
                       hex[2 * i], hex[2 * i + 1], 2 * i);
          return NULL;
        }
      out[i] = (guint8) (hi << 4 | lo);
    }
  return g_bytes_new_take (g_steal_pointer (&out), len / 2);
}

char *
rki_hex_encode (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = "0123456789ABCDEF"[p[i] >> 4];
      out[2 * i + 1] = "0123456789ABCDEF"[p[i] & 15];
    }
  out[len * 2] = '\0';
  return out;
}

static gboolean
parse_uint (const char *text, guint max, guint *ret_value)
{
  char *end = NULL;
  guint64 v;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *ret_value = (guint) v;
  return TRUE;
}

static gboolean
parse_int (const char *text, int *ret_value)
{
  char *end = NULL;
  gint64 v;

  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  v = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || *end != '\0' || v < G_MININT32 || v > G_MAXINT32)
    return FALSE;
  *ret_value = (int) v;
  return TRUE;
}

/* Loads "file:<path>" relative to @base_dir or decodes "base64:<data>". */
static GBytes *
load_source (const char *source, const char *base_dir, GError **error)
{
  if (g_str_has_prefix (source, "base64:"))
    {
      gsize len = 0;
      guchar *data;
      const char *b64 = source + 7;
      /* g_base64_decode does not reject junk; check the alphabet first. */
      for (const char *p = b64; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
          {
            g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                         "base64 data holds '%c'", *p);
            return NULL;
          }
      data = g_base64_decode (b64, &len);
      return g_bytes_new_take (data, len);
    }
  if (g_str_has_prefix (source, "file:"))
    {
      g_autofree char *path = g_path_is_absolute (source + 5)
                                ? g_strdup (source + 5)
                                : g_build_filename (base_dir ? base_dir : ".", source + 5, NULL);
      char *data = NULL;
      gsize len = 0;
      if (!g_file_get_contents (path, &data, &len, error))
        return NULL;
      return g_bytes_new_take (data, len);
    }
  g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
               "image source must start with base64: or file:");
  return NULL;
}

/* Reads one whitespace-separated header number of a PNM file. */
static gboolean
pnm_number (const guint8 *p, gsize len, gsize *pos, guint *ret_value)
{
  guint64 v = 0;
  gsize digits = 0;

  while (*pos < len && (g_ascii_isspace (p[*pos]) || p[*pos] == '#'))
    {
      if (p[*pos] == '#')
        while (*pos < len && p[*pos] != '\n')
          (*pos)++;
      else
        (*pos)++;
    }
  while (*pos < len && g_ascii_isdigit (p[*pos]) && digits < 9)
    {
      v = v * 10 + (guint64) (p[*pos] - '0');
      (*pos)++;
      digits++;
    }
  if (digits == 0 || digits == 9)
    return FALSE;
  *ret_value = (guint) v;
  return TRUE;
}

/* Decodes a binary PGM (P5) or PPM (P6) with maxval 255. */
static RkiImage *
pnm_decode (GBytes *file, guint ppi, GError **error)
{
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (file, &len);
  gsize pos = 2;
  guint w = 0, h = 0, maxval = 0, channels;
  g_autoptr(GBytes) pixels = NULL;

  if (len < 2 || p[0] != 'P' || (p[1] != '5' && p[1] != '6'))
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                   "not a binary PGM/PPM file (P5/P6)");
      return NULL;
    }
  channels = p[1] == '5' ? 1 : 3;
  if (!pnm_number (p, len, &pos, &w) || !pnm_number (p, len, &pos, &h) ||
      !pnm_number (p, len, &pos, &maxval) || maxval != 255 || pos >= len)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                   "PNM header unreadable or maxval not 255");
      return NULL;
    }
  pos++; /* the single whitespace after maxval */
  if (w == 0 || h == 0 || w > RKI_IMAGE_MAX_SIDE || h > RKI_IMAGE_MAX_SIDE ||
      len - pos < (gsize) w * h * channels)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                   "PNM %ux%u does not fit the file's %" G_GSIZE_FORMAT " bytes", w, h, len);
      return NULL;
    }
  pixels = g_bytes_new_from_bytes (file, pos, (gsize) w * h * channels);
  return rki_image_new (channels == 1 ? RKI_PIXEL_GRAY8 : RKI_PIXEL_RGB24, w, h, ppi, pixels, error);
}

static gboolean
parse_record (RkiSession *self, char **tok, guint ntok, const char *base_dir, RkiRecord *r,
              GError **error)
{
  const char *kind = tok[1];

#define NEED(n)                                                                              \
  if (ntok != (n))                                                                           \
    {                                                                                        \
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,                   \
                   "'%s' takes %u fields, found %u", kind, (guint) (n) - 2, ntok - 2);       \
      return FALSE;                                                                          \
    }

  if (strcmp (kind, "image") == 0)
    {
      RkiPixelFormat fmt;
      guint w, h, ppi;
      g_autoptr(GBytes) data = NULL;
      NEED (7);
      if (!rki_pixel_format_from_string (tok[2], &fmt) || !parse_uint (tok[3], RKI_IMAGE_MAX_SIDE, &w) ||
          !parse_uint (tok[4], RKI_IMAGE_MAX_SIDE, &h) || !parse_uint (tok[5], 100000, &ppi))
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "image needs <gray8|rgb24|yuyv|jpeg> <width> <height> <ppi>");
          return FALSE;
        }
      if ((data = load_source (tok[6], base_dir, error)) == NULL)
        return FALSE;
      r->kind = RKI_RECORD_IMAGE;
      return (r->image = rki_image_new (fmt, w, h, ppi, data, error)) != NULL;
    }
  if (strcmp (kind, "pnm") == 0)
    {
      guint ppi;
      g_autoptr(GBytes) data = NULL;
      NEED (4);
      if (!parse_uint (tok[2], 100000, &ppi))
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA, "bad ppi '%s'", tok[2]);
          return FALSE;
        }
      if ((data = load_source (tok[3], base_dir, error)) == NULL)
        return FALSE;
      r->kind = RKI_RECORD_IMAGE;
      return (r->image = pnm_decode (data, ppi, error)) != NULL;
    }
  if (strcmp (kind, "pen") == 0)
    {
      guint touch;
      NEED (6);
      if (!parse_int (tok[2], &r->x) || !parse_int (tok[3], &r->y) ||
          !parse_int (tok[4], &r->pressure) || !parse_uint (tok[5], 1, &touch))
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "pen needs <x> <y> <pressure> <0|1>");
          return FALSE;
        }
      r->kind = RKI_RECORD_PEN;
      r->touch = touch == 1;
      return TRUE;
    }
  if (strcmp (kind, "card-insert") == 0)
    {
      NEED (3);
      r->kind = RKI_RECORD_CARD_INSERT;
      return (r->bytes = rki_hex_decode (tok[2], error)) != NULL;
    }
  if (strcmp (kind, "card-remove") == 0 || strcmp (kind, "unplug") == 0 || strcmp (kind, "hang") == 0)
    {
      NEED (2);
      r->kind = kind[0] == 'c' ? RKI_RECORD_CARD_REMOVE : kind[0] == 'u' ? RKI_RECORD_UNPLUG : RKI_RECORD_HANG;
      return TRUE;
    }
  if (strcmp (kind, "apdu") == 0)
    {
      NEED (4);
      r->kind = RKI_RECORD_APDU;
      if ((r->bytes = rki_hex_decode (tok[2], error)) == NULL)
        return FALSE;
      if ((r->response = rki_hex_decode (tok[3], error)) == NULL)
        return FALSE;
      if (g_bytes_get_size (r->bytes) < 4 || g_bytes_get_size (r->response) < 2)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "apdu needs a command of 4+ bytes and a response of 2+ bytes");
          return FALSE;
        }
      return TRUE;
    }
  if (strcmp (kind, "ups") == 0)
    {
      NEED (5);
      if (!parse_int (tok[3], &r->charge) || !parse_int (tok[4], &r->runtime))
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "ups needs <words> <charge> <runtime>");
          return FALSE;
        }
      r->kind = RKI_RECORD_UPS;
      r->text = g_strdelimit (g_strdup (tok[2]), ",", ' ');
      return TRUE;
    }
  if (strcmp (kind, "fail") == 0)
    {
      if (ntok < 3)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA, "fail needs a message");
          return FALSE;
        }
      r->kind = RKI_RECORD_FAIL;
      r->text = g_strjoinv (" ", tok + 2);
      return TRUE;
    }
  g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA, "unknown record kind '%s'", kind);
  return FALSE;
#undef NEED
}

static gboolean
parse_line (RkiSession *self, char *line, const char *base_dir, GError **error)
{
  g_auto(GStrv) tok = NULL;
  guint ntok;

  g_strstrip (line);
  if (line[0] == '\0' || line[0] == '#')
    return TRUE;
  tok = g_strsplit_set (line, " \t", -1);
  /* collapse empty fields from repeated blanks */
  ntok = 0;
  for (guint i = 0; tok[i] != NULL; i++)
    if (tok[i][0] != '\0')
      tok[ntok++] = tok[i];
    else
      g_free (tok[i]);
  tok[ntok] = NULL;

  if (g_ascii_isdigit (tok[0][0]))
    {
      RkiRecord r = { 0 };
      if (ntok < 2 || !parse_uint (tok[0], 24u * 3600u * 1000u, &r.time_ms))
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "a record is '<ms> <kind> ...' with ms up to one day");
          return FALSE;
        }
      if (self->records->len >= RKI_SESSION_MAX_RECORDS)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "more than %u records", RKI_SESSION_MAX_RECORDS);
          return FALSE;
        }
      if (!parse_record (self, tok, ntok, base_dir, &r, error))
        {
          record_clear (&r);
          return FALSE;
        }
      g_array_append_val (self->records, r);
      return TRUE;
    }

  if (ntok >= 2 && (strcmp (tok[0], "label") == 0 || strcmp (tok[0], "serial") == 0 ||
                    strcmp (tok[0], "firmware") == 0))
    {
      char **field = tok[0][0] == 'l' ? &self->label : tok[0][0] == 's' ? &self->serial : &self->firmware;
      g_free (*field);
      *field = g_strjoinv (" ", tok + 1);
      return TRUE;
    }
  if (ntok == 2 && strcmp (tok[0], "class") == 0)
    {
      static const char *const classes[] = { "finger", "slap", "camera", "iris", "signature",
                                             "smartcard", "scanner", "ups" };
      for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
        if (strcmp (tok[1], classes[i]) == 0)
          {
            g_free (self->device_class);
            self->device_class = g_strdup (tok[1]);
            return TRUE;
          }
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA, "unknown device class '%s'", tok[1]);
      return FALSE;
    }
  if (ntok == 2 && strcmp (tok[0], "loop") == 0)
    {
      self->loop = strcmp (tok[1], "yes") == 0;
      return TRUE;
    }
  if (ntok == 4 && strcmp (tok[0], "ranges") == 0)
    {
      if (!parse_int (tok[1], &self->range_x) || !parse_int (tok[2], &self->range_y) ||
          !parse_int (tok[3], &self->range_p) || self->range_x <= 0 || self->range_y <= 0 ||
          self->range_p <= 0)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA, "ranges needs three positive numbers");
          return FALSE;
        }
      self->have_ranges = TRUE;
      return TRUE;
    }
  g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA, "unknown line '%.40s'", tok[0]);
  return FALSE;
}

RkiSession *
rki_session_parse (const char *text, gsize length, const char *base_dir, const char *name,
                   GError **error)
{
  g_autoptr(RkiSession) self = g_new0 (RkiSession, 1);
  gsize pos = 0;
  guint line_no = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  self->name = g_strdup (name ? name : "session");
  self->records = g_array_new (FALSE, TRUE, sizeof (RkiRecord));
  g_array_set_clear_func (self->records, record_clear);

  while (pos < length)
    {
      const char *nl = memchr (text + pos, '\n', length - pos);
      gsize end = nl ? (gsize) (nl - text) : length;
      g_autofree char *line = g_strndup (text + pos, end - pos);
      g_autoptr(GError) local = NULL;

      line_no++;
      if (memchr (text + pos, '\0', end - pos) != NULL)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "%s line %u: holds a NUL byte", self->name, line_no);
          return NULL;
        }
      pos = end + 1;
      if (line_no == 1)
        {
          if (!g_str_has_prefix (line, "rekam-session 1"))
            {
              g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                           "%s: first line must be 'rekam-session 1'", self->name);
              return NULL;
            }
          continue;
        }
      if (!g_utf8_validate (line, -1, NULL))
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "%s line %u: not UTF-8 text", self->name, line_no);
          return NULL;
        }
      if (!parse_line (self, line, base_dir, &local))
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA, "%s line %u: %s",
                       self->name, line_no, local->message);
          return NULL;
        }
    }
  if (line_no == 0)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA, "%s: empty file", self->name);
      return NULL;
    }
  if (self->device_class == NULL)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                   "%s: no 'class' line names the device class", self->name);
      return NULL;
    }
  return g_steal_pointer (&self);
}

RkiSession *
rki_session_load (const char *path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  gsize len = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  if ((guint64) g_file_info_get_size (info) > RKI_SESSION_MAX_BYTES)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                   "session %s is larger than %u bytes", path, RKI_SESSION_MAX_BYTES);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  return rki_session_parse (text, len, dir, path, error);
}

const char *rki_session_get_class (const RkiSession *self) { return self->device_class; }
const char *rki_session_get_label (const RkiSession *self) { return self->label; }
const char *rki_session_get_serial (const RkiSession *self) { return self->serial; }
const char *rki_session_get_firmware (const RkiSession *self) { return self->firmware; }
gboolean rki_session_get_loop (const RkiSession *self) { return self->loop; }
guint rki_session_get_n_records (const RkiSession *self) { return self->records->len; }

gboolean
rki_session_get_ranges (const RkiSession *self, int *ret_x, int *ret_y, int *ret_p)
{
  if (!self->have_ranges)
    return FALSE;
  *ret_x = self->range_x;
  *ret_y = self->range_y;
  *ret_p = self->range_p;
  return TRUE;
}

const RkiRecord *
rki_session_get_record (const RkiSession *self, guint index)
{
  g_return_val_if_fail (index < self->records->len, NULL);
  return &g_array_index (self->records, RkiRecord, index);
}

/* ---- writer ---- */

struct _RkiSessionWriter {
  GOutputStream *out;
  char          *path;
  gint64         start;
  guint          count;
};

void
rki_session_writer_free (RkiSessionWriter *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->out);
  g_free (self->path);
  g_free (self);
}

static gboolean
writer_puts (RkiSessionWriter *self, const char *text, GError **error)
{
  return g_output_stream_write_all (self->out, text, strlen (text), NULL, NULL, error);
}

RkiSessionWriter *
rki_session_writer_new (const char *path, const char *device_class, const char *label,
                        const char *serial, GError **error)
{
  g_autoptr(RkiSessionWriter) self = g_new0 (RkiSessionWriter, 1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *header = NULL;

  self->out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error));
  if (self->out == NULL)
    return NULL;
  self->path = g_strdup (path);
  self->start = g_get_monotonic_time ();
  header = g_strdup_printf ("rekam-session 1\nclass %s\nlabel %s\nserial %s\n", device_class,
                            label ? label : device_class, serial ? serial : "unknown");
  if (!writer_puts (self, header, error))
    return NULL;
  return g_steal_pointer (&self);
}

static guint
writer_ms (RkiSessionWriter *self)
{
  return (guint) ((g_get_monotonic_time () - self->start) / 1000);
}

gboolean
rki_session_writer_add_line (RkiSessionWriter *self, const char *kind_and_args, GError **error)
{
  g_autofree char *line = g_strdup_printf ("%u %s\n", writer_ms (self), kind_and_args);

  self->count++;
  return writer_puts (self, line, error);
}

gboolean
rki_session_writer_add_image (RkiSessionWriter *self, RkiImage *image, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (rki_image_get_bytes (image), &len);
  g_autofree char *b64 = g_base64_encode (data, len);
  g_autofree char *line = g_strdup_printf ("image %s %u %u %u base64:%s",
                                           rki_pixel_format_to_string (rki_image_get_format (image)),
                                           rki_image_get_width (image), rki_image_get_height (image),
                                           rki_image_get_ppi (image), b64);
  return rki_session_writer_add_line (self, line, error);
}

gboolean
rki_session_writer_add_header (RkiSessionWriter *self, const char *line, GError **error)
{
  g_autofree char *text = g_strconcat (line, "\n", NULL);

  return writer_puts (self, text, error);
}

guint
rki_session_writer_get_count (RkiSessionWriter *self)
{
  return self->count;
}

gboolean
rki_session_writer_close (RkiSessionWriter *self, GError **error)
{
  return g_output_stream_close (self->out, NULL, error);
}
