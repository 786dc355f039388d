/* Station key: created 0600, reloaded, refused when loose; seal/open. */
#define _GNU_SOURCE
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rk-crypto.h"

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("rk-crypto-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir, const char *file)
{
  g_autofree char *p = g_build_filename (dir, file, NULL);
  g_unlink (p);
  g_rmdir (dir);
}

static void
test_key_created_private (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "station.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStationKey) key = NULL;
  g_autoptr(RkStationKey) again = NULL;
  g_autofree guint8 *sealed = NULL;
  g_autofree guint8 *opened = NULL;
  struct stat st;
  gsize sealed_len = 0;
  gsize opened_len = 0;

  key = rk_station_key_load_or_create (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, RK_STATION_KEY_BYTES);

  /* The reloaded key opens what the first one sealed. */
  sealed = rk_station_key_seal (key, (const guint8 *) "attachment", 10, &sealed_len);
  g_assert_cmpuint (sealed_len, ==, 10 + RK_SEAL_OVERHEAD);
  again = rk_station_key_load_or_create (path, &error);
  g_assert_no_error (error);
  opened = rk_station_key_open (again, sealed, sealed_len, &opened_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (opened, opened_len, "attachment", 10);
  remove_dir (dir, "station.key");
}

static void
test_key_loose_mode_refused (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "station.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStationKey) key = rk_station_key_load_or_create (path, &error);
  g_autoptr(RkStationKey) loose = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (chmod (path, 0644), ==, 0);
  loose = rk_station_key_load_or_create (path, &error);
  g_assert_null (loose);
  g_assert_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "0600"));
  remove_dir (dir, "station.key");
}

static void
test_key_short_refused (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "station.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStationKey) key = NULL;

  g_assert_true (g_file_set_contents_full (path, "short", 5, G_FILE_SET_CONTENTS_NONE, 0600,
                                           NULL));
  key = rk_station_key_load_or_create (path, &error);
  g_assert_null (key);
  g_assert_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_KEY);
  remove_dir (dir, "station.key");
}

static void
test_seal_tamper (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "station.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RkStationKey) key = rk_station_key_load_or_create (path, &error);
  g_autofree guint8 *sealed = NULL;
  g_autofree guint8 *opened = NULL;
  g_autofree guint8 *empty = NULL;
  gsize len = 0;
  gsize out_len = 99;

  sealed = rk_station_key_seal (key, (const guint8 *) "secret", 6, &len);
  /* Ciphertext does not contain the plaintext. */
  g_assert_null (memmem (sealed, len, "secret", 6));
  sealed[len - 1] ^= 1;
  opened = rk_station_key_open (key, sealed, len, &out_len, &error);
  g_assert_null (opened);
  g_assert_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_CORRUPT);
  g_assert_cmpuint (out_len, ==, 99);
  g_clear_error (&error);
  opened = rk_station_key_open (key, sealed, 10, &out_len, &error);
  g_assert_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Empty plaintext round-trips. */
  g_clear_pointer (&sealed, g_free);
  sealed = rk_station_key_seal (key, NULL, 0, &len);
  empty = rk_station_key_open (key, sealed, len, &out_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (out_len, ==, 0);
  remove_dir (dir, "station.key");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crypto/key/created-private", test_key_created_private);
  g_test_add_func ("/crypto/key/loose-mode-refused", test_key_loose_mode_refused);
  g_test_add_func ("/crypto/key/short-refused", test_key_short_refused);
  g_test_add_func ("/crypto/seal/tamper-detected", test_seal_tamper);
  return g_test_run ();
}
