#define _GNU_SOURCE /* memmem */
/* rekam-an2k end to end: build, validate, dump, keygen, envelope
 * seal/info/verify/open, and its exit codes on bad input. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "record-fixture.h"

static char *dir;

/* Runs the tool; returns its exit status, stdout in *ret_out. */
static int
run (char **ret_out, const char *first, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *tool = g_getenv ("REKAM_AN2K");
  va_list ap;
  int status = 0;

  g_ptr_array_add (args, (char *) tool);
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync (dir, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
    g_error ("spawn: %s", error->message);
  if (ret_out)
    *ret_out = g_strconcat (out, err, NULL);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_build_validate_dump (void)
{
  RecordFixtureOptions options = { .with_slaps = TRUE, .with_minutiae = TRUE, .seed = 21 };
  g_autofree char *manifest = record_fixture_write (dir, &options);
  g_autofree char *out = NULL;

  g_assert_cmpint (run (&out, "build", manifest, "-o", "t.an2", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (&out, "validate", "t.an2", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "conforms"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (&out, "dump", "t.an2", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1.002:0502"));
  g_assert_nonnull (strstr (out, "14.013:13\t# FGP"));
  g_assert_nonnull (strstr (out, "14.021:2<US>"));
  g_assert_nonnull (strstr (out, "10.999:<binary "));
  g_assert_nonnull (strstr (out, "8.008:<binary "));
  g_assert_nonnull (strstr (out, "9.137:1<US>"));
  /* every line is type.field:value */
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
    g_autoptr(GRegex) re = g_regex_new ("^[0-9]{1,2}\\.[0-9]{3}:", 0, 0, NULL);
    for (char **l = lines; *l && **l; l++)
      g_assert_true (g_regex_match (re, *l, 0, NULL));
  }
}

static void
test_validate_reports_fault (void)
{
  g_autofree char *path = g_build_filename (dir, "t.an2", NULL);
  g_autofree char *contents = NULL, *out = NULL;
  gsize length;
  char *at;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  /* make the birth date impossible: same length, so LEN stays right */
  at = memmem (contents, length, "2.014:19900105", 14);
  g_assert_nonnull (at);
  memcpy (at + 6, "19900231", 8);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  g_assert_cmpint (run (&out, "validate", "t.an2", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "record 1 (Type-2) field 2.014 DOB"));
  g_clear_pointer (&out, g_free);
  /* a structural fault: one byte cut */
  g_assert_true (g_file_set_contents (path, contents, (gssize) length - 1, NULL));
  g_assert_cmpint (run (&out, "validate", "t.an2", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "NOT CONFORMING"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (&out, "validate", "no-such-file", NULL), ==, 3);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (&out, "frobnicate", NULL), ==, 2);
}

static void
test_envelope_receiving_side (void)
{
  g_autofree char *out = NULL, *plain = NULL, *original = NULL;
  gsize plain_length, original_length;
  RecordFixtureOptions options = { .seed = 22 };
  g_autofree char *manifest = record_fixture_write (dir, &options);
  g_autofree char *opened_path = g_build_filename (dir, "opened.an2", NULL);
  g_autofree char *original_path = g_build_filename (dir, "e.an2", NULL);

  g_assert_cmpint (run (NULL, "build", manifest, "-o", "e.an2", NULL), ==, 0);
  g_assert_cmpint (run (NULL, "keygen", "ed25519", "station.key", NULL), ==, 0);
  g_assert_cmpint (run (NULL, "keygen", "x25519", "disdukcapil.key", NULL), ==, 0);
  g_assert_cmpint (run (&out, "envelope", "seal", "--station-key", "station.key", "--recipient-key",
                        "disdukcapil.key.pub", "--station-id", "367113-DESK1", "--record-id", "R1", "e.an2", "-o",
                        "e.env", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (&out, "envelope", "info", "e.env", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "record: R1"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (&out, "envelope", "verify", "--station-key", "station.key.pub", "--recipient-key",
                        "disdukcapil.key", "e.env", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "signature: valid"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (NULL, "envelope", "open", "--station-key", "station.key.pub", "--recipient-key",
                        "disdukcapil.key", "e.env", "-o", "opened.an2", NULL), ==, 0);
  g_assert_true (g_file_get_contents (opened_path, &plain, &plain_length, NULL));
  g_assert_true (g_file_get_contents (original_path, &original, &original_length, NULL));
  g_assert_cmpmem (plain, plain_length, original, original_length);
  g_assert_cmpint (run (NULL, "validate", "opened.an2", NULL), ==, 0);
  /* the wrong station key: rejected, exit 1 */
  g_assert_cmpint (run (NULL, "keygen", "ed25519", "other.key", NULL), ==, 0);
  g_assert_cmpint (run (&out, "envelope", "verify", "--station-key", "other.key.pub", "--recipient-key",
                        "disdukcapil.key", "e.env", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "REJECTED"));
}

static void
remove_all (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("REKAM_AN2K") == NULL)
    {
      g_printerr ("REKAM_AN2K not set\n");
      return 77;
    }
  dir = g_dir_make_tmp ("an2k-tool-XXXXXX", NULL);
  g_test_add_func ("/an2k-tool/build-validate-dump", test_build_validate_dump);
  g_test_add_func ("/an2k-tool/validate-reports-fault", test_validate_reports_fault);
  g_test_add_func ("/an2k-tool/envelope-receiving-side", test_envelope_receiving_side);
  result = g_test_run ();
  remove_all ();
  g_free (dir);
  return result;
}
