#include "rk-demo-applications.h"

#include <archive.h>
#include <archive_entry.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rk-intake-error.h"

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
draw_form (cairo_t *cr, const char *title, const RkDemoApplicant *a, double width)
{
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.3);
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 16);
  cairo_move_to (cr, 20, 36);
  cairo_show_text (cr, title);
  cairo_set_font_size (cr, 11);
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_move_to (cr, 20, 64);
  cairo_show_text (cr, a->name);
  cairo_move_to (cr, 20, 82);
  cairo_show_text (cr, a->nik);
  cairo_move_to (cr, 20, 100);
  cairo_show_text (cr, "CONTOH / DEMO - bukan dokumen asli");
  cairo_rectangle (cr, 10, 10, width - 20, 100);
  cairo_stroke (cr);
}

static GBytes *
family_card_png (const RkDemoApplicant *a)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 420, 130);
  cairo_t *cr = cairo_create (surface);

  draw_form (cr, "KARTU KELUARGA", a, 420);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_bytes, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static GBytes *
form_pdf (const RkDemoApplicant *a)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, pdf, 420, 200);
  cairo_t *cr = cairo_create (surface);

  draw_form (cr, "FORMULIR F-1.07", a, 420);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

static char *
manifest_for (const char *id, const RkDemoApplicant *a, guint index)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char submitted[32];

  g_snprintf (submitted, sizeof submitted, "2025-06-01T%02u:%02u:00+07:00", 8 + index % 8,
              (index * 7) % 60);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema");
  json_builder_add_string_value (b, "rekam-application/1");
  json_builder_set_member_name (b, "application_id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "submitted_at");
  json_builder_add_string_value (b, submitted);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, index % 3 == 0 ? "email" : "whatsapp");
  json_builder_set_member_name (b, "case_type");
  json_builder_add_string_value (b, a->case_type);
  json_builder_set_member_name (b, "applicant");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nik");
  json_builder_add_string_value (b, a->nik);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, a->name);
  json_builder_set_member_name (b, "birth_date");
  json_builder_add_string_value (b, a->birth_date);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "document");
  json_builder_add_string_value (b, "kk_copy");
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, "kk.png");
  json_builder_set_member_name (b, "media_type");
  json_builder_add_string_value (b, "image/png");
  json_builder_end_object (b);
  if (strcmp (a->case_type, "first_issue") == 0)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "document");
      json_builder_add_string_value (b, "form_f107");
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, "f107.pdf");
      json_builder_set_member_name (b, "media_type");
      json_builder_add_string_value (b, "application/pdf");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static gboolean
add_entry (struct archive *a, const char *name, const void *data, gsize len, GError **error)
{
  struct archive_entry *entry = archive_entry_new ();
  gboolean ok;

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, (la_int64_t) len);
  ok = archive_write_header (a, entry) == ARCHIVE_OK &&
       archive_write_data (a, data, len) == (la_ssize_t) len;
  archive_entry_free (entry);
  if (!ok)
    g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_IO, "demo archive: %s",
                 archive_error_string (a));
  return ok;
}

static int
archive_open_cb (struct archive *a, void *data)
{
  return ARCHIVE_OK;
}

static la_ssize_t
archive_write_cb (struct archive *a, void *data, const void *buffer, size_t length)
{
  g_byte_array_append (data, buffer, (guint) length);
  return (la_ssize_t) length;
}

GBytes *
rk_demo_applications_zip (const RkDemoApplicant *applicants, guint n_applicants,
                          GError **error)
{
  g_autoptr(GByteArray) zip = g_byte_array_new ();
  struct archive *a = archive_write_new ();
  gboolean ok = TRUE;

  archive_write_set_format_zip (a);
  archive_write_open (a, zip, archive_open_cb, archive_write_cb, NULL);
  for (guint i = 0; ok && i < n_applicants; i++)
    {
      g_autofree char *id = g_strdup_printf ("DEMO-%04u", i + 1);
      g_autofree char *manifest = manifest_for (id, &applicants[i], i);
      g_autofree char *manifest_name = g_strdup_printf ("%s/manifest.json", id);
      g_autofree char *kk_name = g_strdup_printf ("%s/kk.png", id);
      g_autoptr(GBytes) kk = family_card_png (&applicants[i]);
      gsize len;
      const void *data;

      ok = add_entry (a, manifest_name, manifest, strlen (manifest), error);
      data = g_bytes_get_data (kk, &len);
      ok = ok && add_entry (a, kk_name, data, len, error);
      if (ok && strcmp (applicants[i].case_type, "first_issue") == 0)
        {
          g_autofree char *form_name = g_strdup_printf ("%s/f107.pdf", id);
          g_autoptr(GBytes) form = form_pdf (&applicants[i]);

          data = g_bytes_get_data (form, &len);
          ok = add_entry (a, form_name, data, len, error);
        }
    }
  archive_write_close (a);
  archive_write_free (a);
  if (!ok)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&zip));
}
