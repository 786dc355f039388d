/* Manifest -> ANSI/NIST-ITL transaction (profile EKTP-ENROL). */
#include "rk-an2k-build.h"

#include <string.h>

#ifdef REKAM_HAVE_CAPTURE_WSQ
#include "capture/capture-wsq.h"
#endif

G_DEFINE_QUARK (rk-an2k-build-error-quark, rk_an2k_build_error)

#define MAX_IMAGE_BYTES (64u << 20)
#define FINGER_PPI 500

typedef struct {
  const char *base_dir;
  const char *src;   /* source agency for every image record (ORI) */
  char date[9];      /* capture date YYYYMMDD */
  unsigned next_idc;
} BuildContext;

/* An image file read and recognised. */
typedef struct {
  GBytes *bytes;
  const char *cga;   /* WSQ20, JPEGB, PNG, NONE */
  unsigned width;
  unsigned height;
  unsigned components; /* 1 gray, 3 colour */
  gsize offset;      /* start of pixel data (PGM) */
} Image;

static void
image_clear (Image *image)
{
  g_clear_pointer (&image->bytes, g_bytes_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Image, image_clear)

static gboolean
fail (GError **error, RkAn2kBuildError code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, RkAn2kBuildError code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, RK_AN2K_BUILD_ERROR, code, message);
  return FALSE;
}

static guint
be16 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
}

/* WSQ: walk markers to SOF (FFA2): Lf(2) A(1) B(1) Y(2) X(2)... */
static gboolean
parse_wsq (const guint8 *d, gsize n, Image *image)
{
  gsize i = 2;

  if (n < 4 || d[0] != 0xFF || d[1] != 0xA0 || d[n - 2] != 0xFF || d[n - 1] != 0xA1)
    return FALSE;
  while (i + 4 <= n)
    {
      guint marker, length;
      if (d[i] != 0xFF)
        return FALSE;
      marker = d[i + 1];
      length = be16 (d + i + 2);
      if (marker == 0xA2)
        {
          if (i + 2 + 8 > n || length < 8)
            return FALSE;
          image->height = be16 (d + i + 6);
          image->width = be16 (d + i + 8);
          return TRUE;
        }
      if (length < 2)
        return FALSE;
      i += 2 + length;
    }
  return FALSE;
}

/* JPEG: walk markers to a SOFn; P(1) Y(2) X(2) Nf(1). */
static gboolean
parse_jpeg (const guint8 *d, gsize n, Image *image)
{
  gsize i = 2;

  if (n < 4 || d[0] != 0xFF || d[1] != 0xD8)
    return FALSE;
  while (i + 4 <= n)
    {
      guint marker, length;
      if (d[i] != 0xFF)
        return FALSE;
      marker = d[i + 1];
      if (marker == 0xFF)
        {
          i++;
          continue;
        }
      length = be16 (d + i + 2);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        {
          if (i + 2 + 8 > n)
            return FALSE;
          image->height = be16 (d + i + 5);
          image->width = be16 (d + i + 7);
          image->components = d[i + 9];
          return image->width > 0 && image->height > 0;
        }
      if (length < 2)
        return FALSE;
      i += 2 + length;
    }
  return FALSE;
}

static gboolean
parse_png (const guint8 *d, gsize n, Image *image)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A };

  if (n < 33 || memcmp (d, signature, 8) != 0 || memcmp (d + 12, "IHDR", 4) != 0)
    return FALSE;
  image->width = (guint) ((d[16] << 24) | (d[17] << 16) | (d[18] << 8) | d[19]);
  image->height = (guint) ((d[20] << 24) | (d[21] << 16) | (d[22] << 8) | d[23]);
  image->components = (d[25] == 0 || d[25] == 4) ? 1 : 3;
  return d[24] == 8 && image->width > 0 && image->height > 0;
}

/* PGM P5 8-bit: "P5" ws width ws height ws maxval single-ws data. */
static gboolean
parse_pgm (const guint8 *d, gsize n, Image *image)
{
  gsize i = 2;
  guint values[3];

  if (n < 8 || d[0] != 'P' || d[1] != '5')
    return FALSE;
  for (int k = 0; k < 3; k++)
    {
      guint64 v = 0;
      while (i < n && (g_ascii_isspace (d[i]) || d[i] == '#'))
        {
          if (d[i] == '#')
            while (i < n && d[i] != '\n')
              i++;
          else
            i++;
        }
      if (i >= n || !g_ascii_isdigit (d[i]))
        return FALSE;
      while (i < n && g_ascii_isdigit (d[i]) && v < 1000000)
        v = v * 10 + (guint) (d[i++] - '0');
      values[k] = (guint) v;
    }
  if (i >= n || !g_ascii_isspace (d[i]) || values[2] != 255)
    return FALSE;
  i++;
  image->width = values[0];
  image->height = values[1];
  image->components = 1;
  image->offset = i;
  return image->width > 0 && image->height > 0 && (guint64) values[0] * values[1] == n - i;
}

/* Reads and recognises an image; what lists the formats accepted. */
static gboolean
load_image (BuildContext *context, const char *member, const char *file, const char *allowed, Image *image,
            GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local = NULL;
  const guint8 *d;

  if (g_path_is_absolute (file) || context->base_dir == NULL)
    path = g_strdup (file);
  else
    path = g_build_filename (context->base_dir, file, NULL);
  if (!g_file_get_contents (path, &contents, &length, &local))
    return fail (error, RK_AN2K_BUILD_ERROR_IMAGE, "%s: cannot read %s: %s", member, file, local->message);
  if (length > MAX_IMAGE_BYTES)
    return fail (error, RK_AN2K_BUILD_ERROR_IMAGE, "%s: %s is larger than %u bytes", member, file,
                 MAX_IMAGE_BYTES);
  d = (const guint8 *) contents;
  memset (image, 0, sizeof *image);
  if (strchr (allowed, 'W') && parse_wsq (d, length, image))
    image->cga = "WSQ20";
  else if (strchr (allowed, 'J') && parse_jpeg (d, length, image))
    image->cga = "JPEGB";
  else if (strchr (allowed, 'P') && parse_png (d, length, image))
    image->cga = "PNG";
  else if (strchr (allowed, 'G') && parse_pgm (d, length, image))
    image->cga = "NONE";
  else
    return fail (error, RK_AN2K_BUILD_ERROR_IMAGE, "%s: %s is not a %s file", member, file,
                 g_str_equal (allowed, "J") ? "JPEG"
                 : g_str_equal (allowed, "WG") ? "WSQ or 8-bit PGM"
                 : g_str_equal (allowed, "PG") ? "PNG or 8-bit PGM" : "8-bit PGM");
  if (image->width < 10 || image->height < 10 || image->width > 65535 || image->height > 65535)
    return fail (error, RK_AN2K_BUILD_ERROR_IMAGE, "%s: %s is %ux%u, outside 10..65535", member, file,
                 image->width, image->height);
  image->bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return TRUE;
}

#ifdef REKAM_HAVE_CAPTURE_WSQ
/* A raw 8-bit finger image becomes WSQ at 0.75 bpp (CGA WSQ20), as the
 * profile asks; already-encoded WSQ files are kept as they are. */
static gboolean
encode_wsq (const char *member, Image *image, GError **error)
{
  gsize length;
  const guint8 *pixels = g_bytes_get_data (image->bytes, &length);
  CaptureImage gray = { .pixels = (uint8_t *) pixels + image->offset, .width = (int) image->width,
                        .height = (int) image->height, .stride = image->width, .channels = 1 };
  uint8_t *data = NULL;
  size_t size = 0;
  CaptureStatus status;

  if (!g_str_equal (image->cga, "NONE"))
    return TRUE;
  status = capture_wsq_encode (&gray, CAPTURE_WSQ_DEFAULT_BITRATE, 500, &data, &size);
  if (status != CAPTURE_OK)
    return fail (error, RK_AN2K_BUILD_ERROR_IMAGE, "%s: WSQ encoding failed: %s", member,
                 capture_strerror (status));
  g_bytes_unref (image->bytes);
  image->bytes = g_bytes_new_with_free_func (data, size, free, data);
  image->offset = 0;
  image->cga = "WSQ20";
  return TRUE;
}
#endif

static const guint8 *
image_data (const Image *image, gsize *ret_length)
{
  gsize length;
  const guint8 *d = g_bytes_get_data (image->bytes, &length);

  *ret_length = length - image->offset;
  return d + image->offset;
}

/* --- manifest accessors ---------------------------------------------- */

static const char *
get_string (JsonObject *object, const char *where, const char *name, gboolean required, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s is missing", where, name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s must be a string", where, name);
      return NULL;
    }
  return json_node_get_string (node);
}

/* Returns -1 (and sets error) when wrong, def when absent and optional. */
static gint64
get_int (JsonObject *object, const char *where, const char *name, gboolean required, gint64 min, gint64 max,
         gint64 def, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL)
    {
      if (required)
        {
          fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s is missing", where, name);
          return -1;
        }
      return def;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s must be an integer", where, name);
      return -1;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s must be within %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
            where, name, min, max);
      return -1;
    }
  return value;
}

/* Rejects members the schema does not know, naming the first one. */
static gboolean
check_members (JsonObject *object, const char *where, const char *const *known, GError **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (known, l->data))
      return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s is not a known member", where,
                   (const char *) l->data);
  return TRUE;
}

static JsonObject *
get_object (JsonObject *object, const char *where, const char *name, gboolean required, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      if (required)
        fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s is missing", where, name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s must be an object", where, name);
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
get_array (JsonObject *object, const char *where, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s must be an array", where, name);
      return NULL;
    }
  return json_node_get_array (node);
}

static gboolean
set_ok (an2k_status status, GError **error)
{
  if (status == AN2K_OK)
    return TRUE;
  return fail (error, RK_AN2K_BUILD_ERROR_INTERNAL, "cannot set a field: %s", an2k_strerror (status));
}

/* Dates in the manifest: "YYYY-MM-DD" or "YYYYMMDD" -> "YYYYMMDD". */
static gboolean
normalise_date (const char *where, const char *name, const char *text, char ret[9], GError **error)
{
  size_t n = strlen (text), k = 0;

  for (size_t i = 0; i < n && k < 8; i++)
    {
      if (g_ascii_isdigit (text[i]))
        ret[k++] = text[i];
      else if (text[i] != '-' || (i != 4 && i != 7))
        break;
    }
  ret[k] = '\0';
  if (k != 8 || !(n == 8 || n == 10))
    return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.%s must be a date YYYY-MM-DD", where, name);
  return TRUE;
}

/* --- records --------------------------------------------------------- */

static gboolean
build_type1 (an2k_transaction *transaction, JsonObject *root, BuildContext *context, GError **error)
{
  static const char *const known[] = { "tcn", "ori", "dai", "date", "gmt", "priority", "agency_names", NULL };
  JsonObject *object = get_object (root, "manifest", "transaction", TRUE, error);
  an2k_record *record = an2k_transaction_add_record (transaction, 1);
  const char *tcn, *ori, *dai, *date, *gmt;
  gint64 priority;
  char dat[9];

  if (object == NULL || !check_members (object, "transaction", known, error))
    return FALSE;
  if ((tcn = get_string (object, "transaction", "tcn", TRUE, error)) == NULL
      || (ori = get_string (object, "transaction", "ori", TRUE, error)) == NULL
      || (dai = get_string (object, "transaction", "dai", TRUE, error)) == NULL
      || (date = get_string (object, "transaction", "date", TRUE, error)) == NULL)
    return FALSE;
  if (!normalise_date ("transaction", "date", date, dat, error))
    return FALSE;
  gmt = get_string (object, "transaction", "gmt", FALSE, error);
  priority = get_int (object, "transaction", "priority", FALSE, 1, 9, 0, error);
  if (priority < 0)
    return FALSE;
  context->src = ori;
  if (!set_ok (an2k_record_set_text (record, 2, "0502"), error)
      || !set_ok (an2k_record_set_text (record, 4, "EKTP"), error)
      || !set_ok (an2k_record_set_text (record, 5, dat), error)
      || !set_ok (an2k_record_set_text (record, 7, dai), error)
      || !set_ok (an2k_record_set_text (record, 8, ori), error)
      || !set_ok (an2k_record_set_text (record, 9, tcn), error)
      || !set_ok (an2k_record_set_text (record, 11, "00.00"), error)
      || !set_ok (an2k_record_set_text (record, 12, "00.00"), error))
    return FALSE;
  if (priority > 0 && !set_ok (an2k_record_set_uint (record, 6, (unsigned long) priority), error))
    return FALSE;
  if (gmt && !set_ok (an2k_record_set_text (record, 14, gmt), error))
    return FALSE;
  /* Names are UTF-8: declare it (CSI 3 = UTF-8) so readers do not assume ASCII. */
  if (!set_ok (an2k_record_set_text (record, 15, "3" AN2K_US_S "UTF-8"), error))
    return FALSE;
  return TRUE;
}

typedef struct {
  const char *member;
  unsigned field;
  gboolean required;
  gboolean is_int;
  gboolean is_date;
} DemographicMember;

static const DemographicMember demographic_members[] = {
  { "nik", 10, TRUE, FALSE, FALSE },
  { "nkk", 11, FALSE, FALSE, FALSE },
  { "name", 12, TRUE, FALSE, FALSE },
  { "birth_place", 13, FALSE, FALSE, FALSE },
  { "birth_date", 14, TRUE, FALSE, TRUE },
  { "sex", 15, TRUE, FALSE, FALSE },
  { "blood_type", 16, FALSE, FALSE, FALSE },
  { "address", 17, FALSE, FALSE, FALSE },
  { "region_code", 19, TRUE, FALSE, FALSE },
  { "religion", 20, FALSE, TRUE, FALSE },
  { "marital_status", 21, TRUE, TRUE, FALSE },
  { "occupation", 22, FALSE, FALSE, FALSE },
  { "citizenship", 23, TRUE, FALSE, FALSE },
  { "application_type", 30, TRUE, FALSE, FALSE },
  { "case_id", 31, TRUE, FALSE, FALSE },
};

static gboolean
build_type2 (an2k_transaction *transaction, JsonObject *root, BuildContext *context, GError **error)
{
  static const char *const known[] = { "nik", "nkk", "name", "birth_place", "birth_date", "sex", "blood_type",
                                       "address", "rt", "rw", "region_code", "religion", "marital_status",
                                       "occupation", "citizenship", "application_type", "case_id", NULL };
  JsonObject *object = get_object (root, "manifest", "demographics", TRUE, error);
  an2k_record *record;
  const char *rt, *rw;

  if (object == NULL || !check_members (object, "demographics", known, error))
    return FALSE;
  record = an2k_transaction_add_record (transaction, 2);
  if (!set_ok (an2k_record_set_uint (record, 2, context->next_idc++), error)
      || !set_ok (an2k_record_set_text (record, 3, "1"), error))
    return FALSE;
  for (size_t i = 0; i < G_N_ELEMENTS (demographic_members); i++)
    {
      const DemographicMember *m = &demographic_members[i];
      if (m->is_int)
        {
          gint64 value = get_int (object, "demographics", m->member, m->required, 1, 9, 0, error);
          if (value < 0)
            return FALSE;
          if (value > 0 && !set_ok (an2k_record_set_uint (record, m->field, (unsigned long) value), error))
            return FALSE;
        }
      else
        {
          g_autoptr(GError) local = NULL;
          const char *value = get_string (object, "demographics", m->member, m->required, &local);
          char date[9];
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (value == NULL)
            continue;
          if (m->is_date)
            {
              if (!normalise_date ("demographics", m->member, value, date, error))
                return FALSE;
              value = date;
            }
          if (!set_ok (an2k_record_set_text (record, m->field, value), error))
            return FALSE;
        }
    }
  rt = get_string (object, "demographics", "rt", FALSE, error);
  rw = get_string (object, "demographics", "rw", FALSE, error);
  if ((rt == NULL) != (rw == NULL))
    return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "demographics.rt and demographics.rw go together");
  if (rt && !set_ok (an2k_record_set_printf (record, 18, "%s" AN2K_US_S "%s", rt, rw), error))
    return FALSE;
  return TRUE;
}

static gboolean
set_image_fields (an2k_record *record, const Image *image, unsigned slc, unsigned scale, gboolean with_bpx,
                  GError **error)
{
  gsize length;
  const guint8 *data = image_data (image, &length);

  return set_ok (an2k_record_set_uint (record, 6, image->width), error)
         && set_ok (an2k_record_set_uint (record, 7, image->height), error)
         && set_ok (an2k_record_set_uint (record, 8, slc), error)
         && set_ok (an2k_record_set_uint (record, 9, scale), error)
         && set_ok (an2k_record_set_uint (record, 10, scale), error)
         && set_ok (an2k_record_set_text (record, 11, image->cga), error)
         && (!with_bpx || set_ok (an2k_record_set_uint (record, 12, 8), error))
         && set_ok (an2k_record_set_field (record, 999, data, length), error);
}

static gboolean
build_face (an2k_transaction *transaction, JsonObject *root, BuildContext *context, GError **error)
{
  static const char *const known[] = { "file", NULL };
  JsonObject *object = get_object (root, "manifest", "face", TRUE, error);
  g_auto(Image) image = { 0 };
  an2k_record *record;
  const char *file;

  if (object == NULL || !check_members (object, "face", known, error)
      || (file = get_string (object, "face", "file", TRUE, error)) == NULL
      || !load_image (context, "face.file", file, "J", &image, error))
    return FALSE;
  record = an2k_transaction_add_record (transaction, 10);
  if (!set_ok (an2k_record_set_uint (record, 2, context->next_idc++), error)
      || !set_ok (an2k_record_set_text (record, 3, "FACE"), error)
      || !set_ok (an2k_record_set_text (record, 4, context->src), error)
      || !set_ok (an2k_record_set_text (record, 5, context->date), error)
      /* SLC 0: no calibrated resolution, THPS:TVPS gives the aspect 1:1 */
      || !set_image_fields (record, &image, 0, 1, FALSE, error)
      || !set_ok (an2k_record_set_text (record, 12, image.components == 1 ? "GRAY" : "YCC"), error)
      /* SAP 13: ISO/IEC 19794-5 full frontal */
      || !set_ok (an2k_record_set_text (record, 13, "13"), error)
      || !set_ok (an2k_record_set_text (record, 20, "F"), error))
    return FALSE;
  return TRUE;
}

/* A Type-14 for one finger or slap; returns FALSE with error set. */
static gboolean
build_finger (an2k_transaction *transaction, JsonObject *object, const char *where, gboolean slap,
              BuildContext *context, GError **error)
{
  static const char *const known_finger[] = { "position", "file", "quality", "missing", "impression", NULL };
  static const char *const known_slap[] = { "position", "file", "segments", "missing", "impression", NULL };
  g_auto(Image) image = { 0 };
  an2k_record *record;
  const char *file, *missing;
  gint64 position, quality, impression;
  GString *list = NULL;

  if (!check_members (object, where, slap ? known_slap : known_finger, error))
    return FALSE;
  position = get_int (object, where, "position", TRUE, slap ? 13 : 1, slap ? 15 : 10, 0, error);
  impression = get_int (object, where, "impression", FALSE, 0, 29, 0, error);
  if (position < 0 || impression < 0)
    return FALSE;
  file = get_string (object, where, "file", FALSE, error);
  record = an2k_transaction_add_record (transaction, 14);
  if (!set_ok (an2k_record_set_uint (record, 2, context->next_idc++), error)
      || !set_ok (an2k_record_set_uint (record, 3, (unsigned long) impression), error)
      || !set_ok (an2k_record_set_text (record, 4, context->src), error)
      || !set_ok (an2k_record_set_text (record, 5, context->date), error)
      || !set_ok (an2k_record_set_uint (record, 13, (unsigned long) position), error))
    return FALSE;
  if (file != NULL)
    {
      g_autofree char *member = g_strdup_printf ("%s.file", where);
      if (!load_image (context, member, file, "WG", &image, error))
        return FALSE;
#ifdef REKAM_HAVE_CAPTURE_WSQ
      if (!encode_wsq (member, &image, error))
        return FALSE;
#endif
      if (!set_image_fields (record, &image, 1, FINGER_PPI, TRUE, error))
        return FALSE;
    }

  if (!slap)
    {
      missing = get_string (object, where, "missing", FALSE, error);
      if (missing != NULL && !set_ok (an2k_record_set_printf (record, 18, "%" G_GINT64_FORMAT AN2K_US_S "%s",
                                                              position, missing), error))
        return FALSE;
      if (file == NULL && missing == NULL)
        return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s needs a file or a missing code (XX, UP)", where);
      quality = get_int (object, where, "quality", FALSE, 0, 255, -2, error);
      if (quality == -1)
        return FALSE;
      /* FQM: NFIQ 2 (0-100); vendor 000F (NIST) product 1, see the profile */
      if (quality >= 0 && file != NULL
          && !set_ok (an2k_record_set_printf (record, 24, "%" G_GINT64_FORMAT AN2K_US_S "%" G_GINT64_FORMAT
                                              AN2K_US_S "000F" AN2K_US_S "1", position, quality), error))
        return FALSE;
      return TRUE;
    }

  /* slap: segments and missing fingers */
  {
    JsonArray *segments = get_array (object, where, "segments", error);
    JsonArray *missing_list;
    if (segments == NULL && error && *error)
      return FALSE;
    list = g_string_new (NULL);
    for (guint i = 0; segments && i < json_array_get_length (segments); i++)
      {
        JsonNode *node = json_array_get_element (segments, i);
        g_autofree char *w = g_strdup_printf ("%s.segments[%u]", where, i);
        static const char *const known_segment[] = { "finger", "left", "right", "top", "bottom", NULL };
        JsonObject *s;
        gint64 v[5];
        if (!JSON_NODE_HOLDS_OBJECT (node))
          {
            g_string_free (list, TRUE);
            return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s must be an object", w);
          }
        s = json_node_get_object (node);
        if (!check_members (s, w, known_segment, error)
            || (v[0] = get_int (s, w, "finger", TRUE, 1, 10, 0, error)) < 0
            || (v[1] = get_int (s, w, "left", TRUE, 0, 99999, 0, error)) < 0
            || (v[2] = get_int (s, w, "right", TRUE, 0, 99999, 0, error)) < 0
            || (v[3] = get_int (s, w, "top", TRUE, 0, 99999, 0, error)) < 0
            || (v[4] = get_int (s, w, "bottom", TRUE, 0, 99999, 0, error)) < 0)
          {
            g_string_free (list, TRUE);
            return FALSE;
          }
        g_string_append_printf (list, "%s%" G_GINT64_FORMAT AN2K_US_S "%" G_GINT64_FORMAT AN2K_US_S
                                "%" G_GINT64_FORMAT AN2K_US_S "%" G_GINT64_FORMAT AN2K_US_S "%" G_GINT64_FORMAT,
                                i ? AN2K_RS_S : "", v[0], v[1], v[2], v[3], v[4]);
      }
    if (list->len > 0 && !set_ok (an2k_record_set_field (record, 21, list->str, list->len), error))
      {
        g_string_free (list, TRUE);
        return FALSE;
      }
    g_string_truncate (list, 0);
    missing_list = get_array (object, where, "missing", error);
    if (missing_list == NULL && error && *error)
      {
        g_string_free (list, TRUE);
        return FALSE;
      }
    for (guint i = 0; missing_list && i < json_array_get_length (missing_list); i++)
      {
        JsonNode *node = json_array_get_element (missing_list, i);
        g_autofree char *w = g_strdup_printf ("%s.missing[%u]", where, i);
        static const char *const known_missing[] = { "finger", "code", NULL };
        JsonObject *m;
        gint64 finger;
        const char *code;
        if (!JSON_NODE_HOLDS_OBJECT (node))
          {
            g_string_free (list, TRUE);
            return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s must be an object", w);
          }
        m = json_node_get_object (node);
        if (!check_members (m, w, known_missing, error)
            || (finger = get_int (m, w, "finger", TRUE, 1, 10, 0, error)) < 0
            || (code = get_string (m, w, "code", TRUE, error)) == NULL)
          {
            g_string_free (list, TRUE);
            return FALSE;
          }
        g_string_append_printf (list, "%s%" G_GINT64_FORMAT AN2K_US_S "%s", i ? AN2K_RS_S : "", finger, code);
      }
    if (list->len > 0 && !set_ok (an2k_record_set_field (record, 18, list->str, list->len), error))
      {
        g_string_free (list, TRUE);
        return FALSE;
      }
    g_string_free (list, TRUE);
  }
  return TRUE;
}

static gboolean
build_fingers (an2k_transaction *transaction, JsonObject *root, BuildContext *context, GError **error)
{
  JsonArray *fingers = get_array (root, "manifest", "fingers", error);
  JsonArray *slaps;

  if (fingers == NULL)
    return error && *error ? FALSE : fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "manifest.fingers is missing");
  for (int pass = 0; pass < 2; pass++)
    {
      JsonArray *array = pass == 0 ? fingers : (slaps = get_array (root, "manifest", "slaps", error));
      if (array == NULL)
        {
          if (error && *error)
            return FALSE;
          continue;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          g_autofree char *where = g_strdup_printf ("%s[%u]", pass == 0 ? "fingers" : "slaps", i);
          if (!JSON_NODE_HOLDS_OBJECT (node))
            return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s must be an object", where);
          if (!build_finger (transaction, json_node_get_object (node), where, pass == 1, context, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
build_irises (an2k_transaction *transaction, JsonObject *root, BuildContext *context, GError **error)
{
  static const char *const known[] = { "eye", "file", "quality", "missing", NULL };
  JsonArray *irises = get_array (root, "manifest", "irises", error);

  if (irises == NULL)
    return !(error && *error);
  for (guint i = 0; i < json_array_get_length (irises); i++)
    {
      JsonNode *node = json_array_get_element (irises, i);
      g_autofree char *where = g_strdup_printf ("irises[%u]", i);
      g_auto(Image) image = { 0 };
      JsonObject *object;
      an2k_record *record;
      const char *eye, *file, *missing;
      gint64 quality;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s must be an object", where);
      object = json_node_get_object (node);
      if (!check_members (object, where, known, error)
          || (eye = get_string (object, where, "eye", TRUE, error)) == NULL)
        return FALSE;
      if (!g_str_equal (eye, "right") && !g_str_equal (eye, "left"))
        return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s.eye must be \"right\" or \"left\"", where);
      file = get_string (object, where, "file", FALSE, error);
      missing = get_string (object, where, "missing", FALSE, error);
      quality = get_int (object, where, "quality", FALSE, 0, 100, -2, error);
      if (quality == -1)
        return FALSE;
      record = an2k_transaction_add_record (transaction, 17);
      if (!set_ok (an2k_record_set_uint (record, 2, context->next_idc++), error)
          || !set_ok (an2k_record_set_text (record, 3, g_str_equal (eye, "right") ? "1" : "2"), error)
          || !set_ok (an2k_record_set_text (record, 4, context->src), error)
          || !set_ok (an2k_record_set_text (record, 5, context->date), error))
        return FALSE;
      if (file != NULL)
        {
          g_autofree char *member = g_strdup_printf ("%s.file", where);
          if (!load_image (context, member, file, "PG", &image, error)
              || !set_image_fields (record, &image, 0, 1, TRUE, error)
              || !set_ok (an2k_record_set_text (record, 13, "GRAY"), error))
            return FALSE;
          if (quality >= 0
              && !set_ok (an2k_record_set_printf (record, 24, "%" G_GINT64_FORMAT AN2K_US_S "FFFF" AN2K_US_S "1",
                                                  quality), error))
            return FALSE;
        }
      else if (missing == NULL)
        return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s needs a file or a missing code (MA, UC)", where);
      if (missing && !set_ok (an2k_record_set_text (record, 28, missing), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
build_signature (an2k_transaction *transaction, JsonObject *root, BuildContext *context, GError **error)
{
  static const char *const known[] = { "file", NULL };
  JsonObject *object = get_object (root, "manifest", "signature", FALSE, error);
  g_auto(Image) image = { 0 };
  an2k_record *record;
  const char *file;
  gsize length;
  const guint8 *data;

  if (object == NULL)
    return !(error && *error);
  if (!check_members (object, "signature", known, error)
      || (file = get_string (object, "signature", "file", TRUE, error)) == NULL
      || !load_image (context, "signature.file", file, "G", &image, error))
    return FALSE;
  data = image_data (&image, &length);
  record = an2k_transaction_add_record (transaction, 8);
  /* SIG 0 subject; SRT 0 scanned uncompressed; ISR 0 minimum resolution */
  return set_ok (an2k_record_set_uint (record, 2, context->next_idc++), error)
         && set_ok (an2k_record_set_text (record, 3, "0"), error)
         && set_ok (an2k_record_set_text (record, 4, "0"), error)
         && set_ok (an2k_record_set_text (record, 5, "0"), error)
         && set_ok (an2k_record_set_uint (record, 6, image.width), error)
         && set_ok (an2k_record_set_uint (record, 7, image.height), error)
         && set_ok (an2k_record_set_field (record, 8, data, length), error);
}

/* ISO/IEC 19794-2:2005 record -> INCITS 378 block of a Type-9. */
static gboolean
build_minutiae (an2k_transaction *transaction, JsonObject *root, BuildContext *context, GError **error)
{
  static const char *const known[] = { "file", NULL };
  JsonArray *array = get_array (root, "manifest", "minutiae", error);

  if (array == NULL)
    return !(error && *error);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *where = g_strdup_printf ("minutiae[%u]", i);
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GString) fmd = g_string_new (NULL);
      g_autoptr(GError) local = NULL;
      gsize length;
      const guint8 *d;
      const char *file;
      an2k_record *record;
      guint width, height, xres, n_minutiae, position, impression, quality;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "%s must be an object", where);
      if (!check_members (json_node_get_object (node), where, known, error)
          || (file = get_string (json_node_get_object (node), where, "file", TRUE, error)) == NULL)
        return FALSE;
      path = g_path_is_absolute (file) || !context->base_dir ? g_strdup (file)
                                                             : g_build_filename (context->base_dir, file, NULL);
      if (!g_file_get_contents (path, &contents, &length, &local))
        return fail (error, RK_AN2K_BUILD_ERROR_IMAGE, "%s.file: %s", where, local->message);
      d = (const guint8 *) contents;
      if (length < 28 || memcmp (d, "FMR\0 20\0", 8) != 0 || d[22] < 1)
        return fail (error, RK_AN2K_BUILD_ERROR_IMAGE, "%s.file: not an ISO/IEC 19794-2:2005 record", where);
      width = be16 (d + 14);
      height = be16 (d + 16);
      xres = be16 (d + 18);
      position = d[24];
      impression = d[25] & 0x0F;
      quality = d[26];
      n_minutiae = d[27];
      if (length < 28 + 6 * (gsize) n_minutiae || position > 10)
        return fail (error, RK_AN2K_BUILD_ERROR_IMAGE, "%s.file: truncated finger view", where);
      for (guint m = 0; m < n_minutiae; m++)
        {
          const guint8 *p = d + 28 + 6 * m;
          guint type_bits = p[0] >> 6, x = be16 (p) & 0x3FFF, y = be16 (p + 2) & 0x3FFF;
          /* ISO angle unit 360/256 degrees; INCITS 378 uses 2 degrees */
          guint theta = (guint) ((p[4] * 360u / 256u + 1u) / 2u) % 180u;
          guint type = type_bits == 1 ? 1 : type_bits == 2 ? 2 : 0;
          g_string_append_printf (fmd, "%s%u" AN2K_US_S "%u" AN2K_US_S "%u" AN2K_US_S "%u" AN2K_US_S "%u"
                                  AN2K_US_S "%u", m ? AN2K_RS_S : "", m + 1, x, y, theta, type, p[5]);
        }
      record = an2k_transaction_add_record (transaction, 9);
      if (!set_ok (an2k_record_set_uint (record, 2, context->next_idc++), error)
          || !set_ok (an2k_record_set_uint (record, 3, impression == 1 ? 1 : 0), error)
          || !set_ok (an2k_record_set_text (record, 4, "U"), error)
          /* CBEFF owner 27 (INCITS M1), format type 513 (INCITS 378) */
          || !set_ok (an2k_record_set_text (record, 126, "27" AN2K_US_S "513"), error)
          || !set_ok (an2k_record_set_printf (record, 127, "%u" AN2K_US_S "%u", d[12] >> 4, be16 (d + 12) & 0x0FFF),
                      error)
          || !set_ok (an2k_record_set_uint (record, 128, width), error)
          || !set_ok (an2k_record_set_uint (record, 129, height), error)
          || !set_ok (an2k_record_set_text (record, 130, "2"), error)
          || !set_ok (an2k_record_set_uint (record, 131, xres), error)
          || !set_ok (an2k_record_set_uint (record, 132, be16 (d + 20)), error)
          || !set_ok (an2k_record_set_uint (record, 133, d[25] >> 4), error)
          || !set_ok (an2k_record_set_uint (record, 134, position), error)
          || !set_ok (an2k_record_set_printf (record, 135, "%u" AN2K_US_S "FFFF" AN2K_US_S "1", quality), error)
          || !set_ok (an2k_record_set_uint (record, 136, n_minutiae), error)
          || (n_minutiae > 0 && !set_ok (an2k_record_set_field (record, 137, fmd->str, fmd->len), error)))
        return FALSE;
    }
  return TRUE;
}

char *
rk_an2k_fault_to_string (const an2k_fault *fault, const an2k_profile *profile)
{
  const char *mnemonic = NULL;
  g_autofree char *where = NULL;

  if (fault->field > 0)
    mnemonic = an2k_profile_get_mnemonic (profile, fault->record_type, fault->field);
  if (fault->record_index >= 0 && fault->field > 0)
    where = g_strdup_printf ("record %d (Type-%u) field %u.%03u%s%s", fault->record_index, fault->record_type,
                             fault->record_type, fault->field, mnemonic ? " " : "", mnemonic ? mnemonic : "");
  else if (fault->record_index >= 0)
    where = g_strdup_printf ("record %d (Type-%u)", fault->record_index, fault->record_type);
  else if (fault->field > 0)
    where = g_strdup_printf ("field %u.%03u%s%s", fault->record_type, fault->field, mnemonic ? " " : "",
                             mnemonic ? mnemonic : "");
  else
    where = g_strdup ("transaction");
  return g_strdup_printf ("%s: %s", where, fault->message);
}

an2k_transaction *
rk_an2k_build_from_json (JsonNode *manifest, const char *base_dir, GError **error)
{
  static const char *const known[] = { "transaction", "capture_date", "demographics", "face", "fingers",
                                       "slaps", "irises", "signature", "minutiae", NULL };
  g_autoptr(an2k_transaction) transaction = an2k_transaction_new ();
  BuildContext context = { .base_dir = base_dir, .next_idc = 1 };
  JsonObject *root;
  const char *capture_date;

  g_return_val_if_fail (manifest != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!JSON_NODE_HOLDS_OBJECT (manifest))
    {
      fail (error, RK_AN2K_BUILD_ERROR_MANIFEST, "the manifest must be a JSON object");
      return NULL;
    }
  root = json_node_get_object (manifest);
  if (!check_members (root, "manifest", known, error))
    return NULL;
  if (!build_type1 (transaction, root, &context, error))
    return NULL;
  capture_date = get_string (root, "manifest", "capture_date", FALSE, error);
  if (capture_date != NULL)
    {
      if (!normalise_date ("manifest", "capture_date", capture_date, context.date, error))
        return NULL;
    }
  else
    {
      char tmp[9];
      if (!an2k_record_get_text (an2k_transaction_get_record (transaction, 0), 5, tmp, sizeof tmp))
        return NULL;
      memcpy (context.date, tmp, 9);
    }
  if (!build_type2 (transaction, root, &context, error) || !build_face (transaction, root, &context, error)
      || !build_fingers (transaction, root, &context, error) || !build_irises (transaction, root, &context, error)
      || !build_signature (transaction, root, &context, error)
      || !build_minutiae (transaction, root, &context, error))
    return NULL;

  /* encoding fills in LEN and CNT; the check then sees the final form */
  {
    g_autoptr(GBytes) bytes = rk_an2k_encode_checked (transaction, error);
    if (bytes == NULL)
      return NULL;
  }
  return g_steal_pointer (&transaction);
}

an2k_transaction *
rk_an2k_build_from_file (const char *manifest_path, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *base_dir = NULL;

  g_return_val_if_fail (manifest_path != NULL, NULL);
  if (!json_parser_load_from_file (parser, manifest_path, error))
    return NULL;
  base_dir = g_path_get_dirname (manifest_path);
  return rk_an2k_build_from_json (json_parser_get_root (parser), base_dir, error);
}

GBytes *
rk_an2k_encode_checked (an2k_transaction *transaction, GError **error)
{
  g_autoptr(an2k_profile) profile = NULL;
  an2k_fault fault = { 0 };
  uint8_t *data = NULL;
  size_t length = 0;

  g_return_val_if_fail (transaction != NULL, NULL);
  if (an2k_profile_new_default (&profile) != AN2K_OK)
    {
      fail (error, RK_AN2K_BUILD_ERROR_INTERNAL, "the compiled-in profile does not parse");
      return NULL;
    }
  if (an2k_transaction_encode (transaction, &data, &length, &fault) != AN2K_OK)
    {
      g_autofree char *text = rk_an2k_fault_to_string (&fault, profile);
      fail (error, RK_AN2K_BUILD_ERROR_PROFILE, "%s", text);
      return NULL;
    }
  /* check after encoding: LEN and CNT are now filled in */
  if (an2k_profile_check (profile, transaction, &fault) != AN2K_OK)
    {
      g_autofree char *text = rk_an2k_fault_to_string (&fault, profile);
      free (data);
      fail (error, RK_AN2K_BUILD_ERROR_PROFILE, "%s", text);
      return NULL;
    }
  return g_bytes_new_with_free_func (data, length, free, data);
}
