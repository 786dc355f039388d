/* Online applications: manifests judged like python3-jsonschema judges
 * them, archives imported whole or not at all, every unsafe entry
 * refused, attachments sealed, open cases joined. */
#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "intake-test-util.h"
#include "rk-application.h"
#include "rk-case.h"
#include "rk-intake-error.h"

#define JPEG "\xff\xd8\xff\xe0 not really a picture"
#define PDF  "%PDF-1.4 not really a document"

typedef struct {
  const char *name;
  const char *data;     /* NULL: a symlink to "../../etc/passwd" */
  gsize       size;     /* 0: strlen (data) */
} Entry;

static const char manifest_a[] =
  "{\"schema\":\"rekam-application/1\",\"application_id\":\"WA-0001\","
  "\"submitted_at\":\"2025-06-01T08:15:00+07:00\",\"channel\":\"whatsapp\","
  "\"case_type\":\"first_issue\",\"applicant\":{\"nik\":\"3671134101080001\","
  "\"name\":\"Ani\",\"birth_date\":\"2008-01-01\"},\"attachments\":["
  "{\"document\":\"kk_copy\",\"file\":\"kk.jpg\",\"media_type\":\"image/jpeg\"},"
  "{\"document\":\"form_f107\",\"file\":\"f107.pdf\",\"media_type\":\"application/pdf\"}]}";

static const char manifest_b[] =
  "{\"schema\":\"rekam-application/1\",\"application_id\":\"WA-0002\","
  "\"submitted_at\":\"2025-06-01T09:00:00Z\",\"channel\":\"email\","
  "\"case_type\":\"replacement\",\"applicant\":{\"nik\":\"3671130503900001\","
  "\"name\":\"Budi\",\"birth_date\":\"1990-03-05\"},\"attachments\":["
  "{\"document\":\"old_ktp_or_police_report\",\"file\":\"lapor.pdf\","
  "\"media_type\":\"application/pdf\"}]}";

static GBytes *
make_archive (gboolean zip, const Entry *entries)
{
  struct archive *a = archive_write_new ();
  g_autofree guint8 *buffer = g_malloc (64 * 1024 * 1024);
  size_t used = 0;

  if (zip)
    archive_write_set_format_zip (a);
  else
    archive_write_set_format_pax_restricted (a);
  g_assert_cmpint (archive_write_open_memory (a, buffer, 64 * 1024 * 1024, &used), ==,
                   ARCHIVE_OK);
  for (const Entry *e = entries; e->name != NULL; e++)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize size = e->data == NULL ? 0 : e->size ? e->size : strlen (e->data);

      archive_entry_set_pathname (entry, e->name);
      if (e->data == NULL)
        {
          archive_entry_set_filetype (entry, AE_IFLNK);
          archive_entry_set_symlink (entry, "../../etc/passwd");
        }
      else
        {
          archive_entry_set_filetype (entry, AE_IFREG);
          archive_entry_set_size (entry, (la_int64_t) size);
        }
      archive_entry_set_perm (entry, 0644);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      if (size > 0)
        g_assert_cmpint (archive_write_data (a, e->data, size), ==, (la_ssize_t) size);
      archive_entry_free (entry);
    }
  archive_write_close (a);
  archive_write_free (a);
  return g_bytes_new (buffer, used);
}

/* Stands in for the station key: reverses and tags the bytes, enough to
 * see that nothing is stored as given. */
static guint8 *
test_seal (gpointer user_data, const guint8 *plaintext, gsize len, gsize *ret_len)
{
  guint8 *out = g_malloc (len + 4);

  memcpy (out, "SEAL", 4);
  for (gsize i = 0; i < len; i++)
    out[4 + i] = plaintext[len - 1 - i] ^ 0x5a;
  *ret_len = len + 4;
  return out;
}

static JsonNode *
import (sqlite3 *db, GBytes *archive, RkApplicationImportStats *stats, GError **error)
{
  JsonNode *report;

  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  report = rk_application_import (db, archive, test_seal, NULL, "op1", stats, error);
  sqlite3_exec (db, report != NULL ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
  return report;
}

static void
assert_nothing_imported (sqlite3 *db)
{
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM application"), ==, 0);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM application_attachment"), ==, 0);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM intake_case"), ==, 0);
}

static void
assert_refused (gboolean zip, const Entry *entries, gint code, const char *needle)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GBytes) archive = make_archive (zip, entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = import (db, archive, NULL, &error);

  g_assert_null (report);
  g_assert_error (error, RK_INTAKE_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
  assert_nothing_imported (db);
  sqlite3_close (db);
}

static void
test_manifests_like_jsonschema (void)
{
  const char *source = g_getenv ("REKAM_SOURCE_DIR");

  for (guint good = 0; good < 2; good++)
    {
      g_autofree char *dir = g_build_filename (source, "tests", "intake", "manifests",
                                               good ? "good" : "bad", NULL);
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;
      guint n = 0;

      g_assert_nonnull (d);
      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_autofree char *text = NULL;
          g_autoptr(GError) error = NULL;
          gsize len;
          gboolean valid;

          g_assert_true (g_file_get_contents (path, &text, &len, NULL));
          valid = rk_application_validate_manifest (text, len, &error);
          if (valid != (gboolean) good)
            g_error ("%s/%s: rekamd's validator says %s", good ? "good" : "bad", name,
                     valid ? "valid" : error->message);
          if (!valid)
            {
              g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_MANIFEST);
              g_test_message ("%s: %s", name, error->message);
            }
          n++;
        }
      g_assert_cmpuint (n, >=, 3);
    }
}

static void
test_import_and_join (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  const Entry entries[] = {
    { "WA-0001/manifest.json", manifest_a, 0 },
    { "WA-0001/kk.jpg", JPEG, 0 },
    { "WA-0001/f107.pdf", PDF, 0 },
    { "WA-0002/manifest.json", manifest_b, 0 },
    { "WA-0002/lapor.pdf", PDF, 0 },
    { NULL },
  };
  g_autoptr(GBytes) zip = make_archive (TRUE, entries);
  g_autoptr(GBytes) tar = make_archive (FALSE, entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) again = NULL;
  RkApplicationImportStats stats = { 0 };
  gint64 open_case;

  /* Budi already has a case open at the counter: the application joins. */
  open_case = rk_case_open (db, "3671130503900001", RK_CASE_TYPE_REPLACEMENT, "counter", "op1",
                            NULL, &error);
  report = import (db, zip, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applications, ==, 2);
  g_assert_cmpuint (stats.cases_opened, ==, 1);
  g_assert_cmpuint (stats.cases_joined, ==, 1);
  g_assert_cmpuint (stats.attachments, ==, 3);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM intake_case"), ==, 2);
  g_assert_cmpint (intake_test_count (db, "SELECT case_id FROM application "
                                          "WHERE external_id = 'WA-0002'"), ==, open_case);
  /* Stored sealed, with the plaintext's size and digest. */
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM application_attachment "
                                          "WHERE CAST (substr (sealed, 1, 4) AS TEXT) = 'SEAL' "
                                          "AND length (sealed) = size + 4"), ==, 3);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM application "
                                          "WHERE instr (manifest, 'Ani') > 0"), ==, 0);
  /* The same batch again (as a tar this time): skipped, nothing doubled. */
  stats = (RkApplicationImportStats) { 0 };
  again = import (db, tar, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.already_imported, ==, 2);
  g_assert_cmpuint (stats.applications, ==, 0);
  g_assert_cmpint (intake_test_count (db, "SELECT count(*) FROM application"), ==, 2);
  sqlite3_close (db);
}

static void
test_path_traversal (void)
{
  const Entry dotdot[] = {
    { "WA-0001/manifest.json", manifest_a, 0 },
    { "WA-0001/kk.jpg", JPEG, 0 },
    { "WA-0001/f107.pdf", PDF, 0 },
    { "WA-0001/../../evil.sh", "#!/bin/sh\n", 0 },
    { NULL },
  };
  const Entry absolute[] = {
    { "/etc/cron.d/evil", "x", 0 },
    { NULL },
  };
  const Entry deep[] = {
    { "WA-0001/sub/manifest.json", manifest_a, 0 },
    { NULL },
  };

  assert_refused (TRUE, dotdot, RK_INTAKE_ERROR_ARCHIVE, "WA-0001/../../evil.sh");
  assert_refused (FALSE, dotdot, RK_INTAKE_ERROR_ARCHIVE, "evil.sh");
  assert_refused (TRUE, absolute, RK_INTAKE_ERROR_ARCHIVE, "/etc/cron.d/evil");
  assert_refused (TRUE, deep, RK_INTAKE_ERROR_ARCHIVE, "WA-0001/sub/manifest.json");
}

static void
test_symlink (void)
{
  const Entry entries[] = {
    { "WA-0001/manifest.json", manifest_a, 0 },
    { "WA-0001/kk.jpg", NULL, 0 },
    { NULL },
  };

  assert_refused (FALSE, entries, RK_INTAKE_ERROR_ARCHIVE, "symbolic link");
}

static void
test_oversized (void)
{
  gsize size = RK_APPLICATION_MAX_ENTRY + 1;
  g_autofree char *big = g_malloc0 (size);
  const Entry entries[] = {
    { "WA-0001/manifest.json", manifest_a, 0 },
    { "WA-0001/kk.jpg", big, size },
    { NULL },
  };

  big[0] = '\xff';
  assert_refused (TRUE, entries, RK_INTAKE_ERROR_ARCHIVE, "larger than 20 MiB");
}

static void
test_bad_content (void)
{
  const Entry wrong_type[] = {
    { "WA-0001/manifest.json", manifest_a, 0 },
    { "WA-0001/kk.jpg", PDF, 0 },
    { "WA-0001/f107.pdf", PDF, 0 },
    { NULL },
  };
  const Entry missing_file[] = {
    { "WA-0001/manifest.json", manifest_a, 0 },
    { "WA-0001/kk.jpg", JPEG, 0 },
    { NULL },
  };
  const Entry bad_manifest[] = {
    { "WA-0001/manifest.json", "{\"schema\":\"rekam-application/1\"}", 0 },
    { NULL },
  };
  const Entry no_manifest[] = {
    { "WA-0001/kk.jpg", JPEG, 0 },
    { NULL },
  };
  /* One good application and one bad: the good one is not kept either. */
  const Entry mixed[] = {
    { "WA-0001/manifest.json", manifest_a, 0 },
    { "WA-0001/kk.jpg", JPEG, 0 },
    { "WA-0001/f107.pdf", PDF, 0 },
    { "WA-0002/manifest.json", "{not json", 0 },
    { NULL },
  };

  assert_refused (TRUE, wrong_type, RK_INTAKE_ERROR_MANIFEST, "is not the image/jpeg");
  assert_refused (TRUE, missing_file, RK_INTAKE_ERROR_MANIFEST, "f107.pdf");
  assert_refused (TRUE, bad_manifest, RK_INTAKE_ERROR_MANIFEST, "application_id");
  assert_refused (TRUE, no_manifest, RK_INTAKE_ERROR_ARCHIVE, "no manifest.json");
  assert_refused (TRUE, mixed, RK_INTAKE_ERROR_MANIFEST, "WA-0002");
}

static void
test_not_an_archive (void)
{
  sqlite3 *db = intake_test_open_db (":memory:");
  g_autoptr(GBytes) junk = g_bytes_new_static ("hello, this is not a zip", 24);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = import (db, junk, NULL, &error);

  g_assert_null (report);
  g_assert_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_ARCHIVE);
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/intake/application/manifests-like-jsonschema",
                   test_manifests_like_jsonschema);
  g_test_add_func ("/intake/application/import-and-join", test_import_and_join);
  g_test_add_func ("/intake/application/path-traversal", test_path_traversal);
  g_test_add_func ("/intake/application/symlink", test_symlink);
  g_test_add_func ("/intake/application/oversized", test_oversized);
  g_test_add_func ("/intake/application/bad-content", test_bad_content);
  g_test_add_func ("/intake/application/not-an-archive", test_not_an_archive);
  return g_test_run ();
}
