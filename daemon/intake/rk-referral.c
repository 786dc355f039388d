#include "rk-referral.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <string.h>

#include "rk-case.h"
#include "rk-intake-error.h"
#include "rk-nik.h"
#include "rk-siak-import.h"

static const struct {
  const char *code;
  const char *reason;   /* what happened, Bahasa Indonesia */
  const char *advice;   /* what to do next */
} reasons[] = {
  [RK_REFERRAL_NOT_IN_REGISTRY] = {
    "not_in_registry",
    "Data pemohon tidak ditemukan dalam data kependudukan (SIAK) Kecamatan Larangan.",
    "Silakan datang ke Disdukcapil Kota Tangerang dengan membawa Kartu Keluarga asli dan "
    "surat pengantar RT/RW untuk pemutakhiran data kependudukan. Setelah data tercatat, "
    "kembali ke kecamatan untuk perekaman e-KTP.",
  },
  [RK_REFERRAL_NO_NIK] = {
    "no_nik",
    "Pemohon belum memiliki NIK (Nomor Induk Kependudukan), sehingga e-KTP belum dapat "
    "diproses.",
    "Silakan isi formulir F-1.07 di kelurahan, lalu serahkan ke Disdukcapil Kota Tangerang "
    "beserta Kartu Keluarga dan akta kelahiran untuk penerbitan NIK. Setelah NIK terbit, "
    "kembali ke kecamatan untuk perekaman e-KTP.",
  },
  [RK_REFERRAL_NIK_MISMATCH] = {
    "nik_mismatch",
    "NIK pemohon tidak sesuai dengan data kependudukan (tanggal lahir atau jenis kelamin).",
    "Silakan datang ke Disdukcapil Kota Tangerang dengan membawa Kartu Keluarga asli dan "
    "akta kelahiran untuk perbaikan data. Setelah data diperbaiki, kembali ke kecamatan "
    "untuk perekaman e-KTP.",
  },
  [RK_REFERRAL_RECORD_INCORRECT] = {
    "record_incorrect",
    "Data kependudukan pemohon perlu diperbaiki sebelum perekaman e-KTP.",
    "Silakan datang ke Disdukcapil Kota Tangerang dengan membawa dokumen pendukung "
    "(Kartu Keluarga, akta kelahiran, atau akta perkawinan/perceraian) untuk perbaikan "
    "data, lalu kembali ke kecamatan.",
  },
};

const char *
rk_referral_reason_to_string (RkReferralReason reason)
{
  if ((guint) reason >= G_N_ELEMENTS (reasons))
    return "invalid";
  return reasons[reason].code;
}

RkReferralReason
rk_referral_reason_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (reasons); i++)
    if (strcmp (text, reasons[i].code) == 0)
      return (RkReferralReason) i;
  return RK_REFERRAL_INVALID;
}

const char *
rk_referral_reason_text (RkReferralReason reason)
{
  return (guint) reason < G_N_ELEMENTS (reasons) ? reasons[reason].reason : "";
}

const char *
rk_referral_advice_text (RkReferralReason reason)
{
  return (guint) reason < G_N_ELEMENTS (reasons) ? reasons[reason].advice : "";
}

gint64
rk_referral_create (sqlite3 *db, gint64 case_id, const char *nik, const char *name,
                    RkReferralReason reason, const char *note, const char *operator_name,
                    GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autofree char *case_nik = NULL;
  g_autofree char *now = rk_intake_now_iso ();

  g_return_val_if_fail (error == NULL || *error == NULL, 0);
  if ((guint) reason >= G_N_ELEMENTS (reasons))
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                           "reason must be not_in_registry, no_nik, nik_mismatch or "
                           "record_incorrect");
      return 0;
    }
  if (name == NULL || *name == '\0' || strlen (name) > 200 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                           "the referred person's name (for the slip) is required, up to 200 "
                           "bytes of UTF-8");
      return 0;
    }
  if (case_id > 0)
    {
      case_nik = rk_case_get_nik (db, case_id, error);
      if (case_nik == NULL)
        return 0;
      if (nik == NULL)
        nik = case_nik;
      if (!rk_case_set_state (db, case_id, "referred", error))
        return 0;
    }
  if (reason == RK_REFERRAL_NO_NIK)
    nik = NULL;
  if (nik != NULL && (strlen (nik) != RK_NIK_LENGTH || strspn (nik, "0123456789") != 16))
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                           "a NIK is 16 digits (leave it out for someone without one)");
      return 0;
    }
  stmt = rk_intake_prepare (db, "INSERT INTO referral (case_id, nik, name, reason, note, "
                                "created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            error);
  if (stmt == NULL)
    return 0;
  if (case_id > 0)
    sqlite3_bind_int64 (stmt, 1, case_id);
  if (nik != NULL)
    sqlite3_bind_text (stmt, 2, nik, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reasons[reason].code, -1, SQLITE_STATIC);
  if (note != NULL)
    sqlite3_bind_text (stmt, 5, note, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, operator_name, -1, SQLITE_STATIC);
  if (!rk_intake_step_done (db, stmt, "record referral", error))
    return 0;
  return sqlite3_last_insert_rowid (db);
}

typedef struct {
  gint64  id;
  gint64  case_id;
  char   *nik;
  char   *name;
  char   *reason;
  char   *note;
  char   *created_at;
  char   *created_by;
} Referral;

static void
referral_clear (Referral *r)
{
  g_free (r->nik);
  g_free (r->name);
  g_free (r->reason);
  g_free (r->note);
  g_free (r->created_at);
  g_free (r->created_by);
}

static gboolean
referral_load (sqlite3 *db, gint64 id, Referral *ret, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;

  stmt = rk_intake_prepare (db, "SELECT id, case_id, nik, name, reason, note, created_at, "
                                "created_by FROM referral WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND,
                   "no referral %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  ret->id = sqlite3_column_int64 (stmt, 0);
  ret->case_id = sqlite3_column_int64 (stmt, 1);
  ret->nik = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  ret->name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  ret->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  ret->note = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  ret->created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  ret->created_by = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  return TRUE;
}

JsonNode *
rk_referral_to_json (sqlite3 *db, gint64 referral_id, GError **error)
{
  Referral r = { 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonNode *node;

  if (!referral_load (db, referral_id, &r, error))
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, r.id);
  json_builder_set_member_name (builder, "case_id");
  if (r.case_id > 0)
    json_builder_add_int_value (builder, r.case_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "nik");
  if (r.nik != NULL)
    json_builder_add_string_value (builder, r.nik);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, r.name);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, r.reason);
  json_builder_set_member_name (builder, "note");
  if (r.note != NULL)
    json_builder_add_string_value (builder, r.note);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, r.created_at);
  json_builder_set_member_name (builder, "created_by");
  json_builder_add_string_value (builder, r.created_by);
  json_builder_set_member_name (builder, "slip");
  {
    g_autofree char *path = g_strdup_printf ("/v1/referrals/%" G_GINT64_FORMAT "/slip", r.id);

    json_builder_add_string_value (builder, path);
  }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  referral_clear (&r);
  return node;
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Draws @text from (@x, *@y) wrapped to @width; advances *@y. */
static void
draw_wrapped (cairo_t *cr, const char *text, double x, double *y, double width,
              double line_height)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GString) attempt = g_string_new (line->str);
      cairo_text_extents_t extents;

      if (attempt->len > 0)
        g_string_append_c (attempt, ' ');
      g_string_append (attempt, words[i]);
      cairo_text_extents (cr, attempt->str, &extents);
      if (extents.x_advance > width && line->len > 0)
        {
          cairo_move_to (cr, x, *y);
          cairo_show_text (cr, line->str);
          *y += line_height;
          g_string_assign (line, words[i]);
        }
      else
        g_string_assign (line, attempt->str);
    }
  if (line->len > 0)
    {
      cairo_move_to (cr, x, *y);
      cairo_show_text (cr, line->str);
      *y += line_height;
    }
}

static void
label_value (cairo_t *cr, const char *label, const char *value, double *y)
{
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_move_to (cr, 36, *y);
  cairo_show_text (cr, label);
  cairo_move_to (cr, 140, *y);
  cairo_show_text (cr, ": ");
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_show_text (cr, value);
  *y += 16;
}

GBytes *
rk_referral_slip_pdf (sqlite3 *db, gint64 referral_id, GError **error)
{
  /* A5 portrait in points. */
  const double width = 419.5, height = 595.3;
  Referral r = { 0 };
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  RkReferralReason reason;
  double y = 48;
  char number[32];
  g_autofree char *date = NULL;

  if (!referral_load (db, referral_id, &r, error))
    return NULL;
  reason = rk_referral_reason_from_string (r.reason);
  g_snprintf (number, sizeof number, "R-%06" G_GINT64_FORMAT, r.id);
  date = g_strndup (r.created_at, 10);

  surface = cairo_pdf_surface_create_for_stream (append_bytes, pdf, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  "Surat Rujukan ke Disdukcapil");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Rekam");
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0, 0, 0);

  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 11);
  cairo_move_to (cr, 36, y);
  cairo_show_text (cr, "PEMERINTAH KOTA TANGERANG");
  y += 14;
  cairo_move_to (cr, 36, y);
  cairo_show_text (cr, "KECAMATAN LARANGAN");
  y += 10;
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, 36, y);
  cairo_line_to (cr, width - 36, y);
  cairo_stroke (cr);
  y += 26;
  cairo_set_font_size (cr, 13);
  cairo_move_to (cr, 36, y);
  cairo_show_text (cr, "SURAT RUJUKAN KE DISDUKCAPIL");
  y += 16;
  cairo_set_font_size (cr, 9);
  label_value (cr, "Nomor", number, &y);
  label_value (cr, "Tanggal", date, &y);
  y += 8;
  label_value (cr, "Nama", r.name, &y);
  label_value (cr, "NIK", r.nik != NULL ? r.nik : "(belum memiliki NIK)", &y);
  label_value (cr, "Kode alasan", r.reason, &y);
  y += 12;

  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_move_to (cr, 36, y);
  cairo_show_text (cr, "Alasan");
  y += 14;
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  draw_wrapped (cr, rk_referral_reason_text (reason), 36, &y, width - 72, 13);
  if (r.note != NULL && *r.note != '\0')
    {
      g_autofree char *note = g_strdup_printf ("Catatan petugas: %s", r.note);

      draw_wrapped (cr, note, 36, &y, width - 72, 13);
    }
  y += 10;
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_move_to (cr, 36, y);
  cairo_show_text (cr, "Saran");
  y += 14;
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  draw_wrapped (cr, rk_referral_advice_text (reason), 36, &y, width - 72, 13);

  y = height - 120;
  cairo_move_to (cr, width - 200, y);
  cairo_show_text (cr, "Petugas,");
  y += 56;
  cairo_move_to (cr, width - 200, y);
  cairo_show_text (cr, r.created_by);
  cairo_set_font_size (cr, 7);
  cairo_move_to (cr, 36, height - 28);
  cairo_show_text (cr, "Bawalah surat ini ke Disdukcapil. Dicetak oleh stasiun perekaman "
                       "e-KTP Kecamatan Larangan.");

  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  referral_clear (&r);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_IO, "drawing the slip failed: %s",
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}
