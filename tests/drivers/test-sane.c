/* The scanner class through SANE's own `test` backend, enabled by a
 * dll.conf in the test's SANE_CONFIG_DIR (the system's is left alone). */
#include <string.h>

#include "rki-sane-scanner.h"
#include "test-helpers.h"

static RkiImage *
scan (RkiDevice *device, guint dpi, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;
  Wait w = { 0 };

  rki_scanner_scan (RKI_SCANNER (device), dpi, NULL, wait_cb, &w);
  r = wait_result (&w, 20000);
  return rki_scanner_scan_finish (RKI_SCANNER (device), r, error);
}

static void
test_scan (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = rki_sane_list_devices (&error);
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(RkiImage) low = NULL, high = NULL;
  RkiImageStats st;

  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char *const *) names, "test:0"));
  device = rki_sane_scanner_new ("test:0", "scanner0");
  open_sync (device);
  low = scan (device, 25, &error);
  g_assert_no_error (error);
  high = scan (device, 50, &error);
  g_assert_no_error (error);
  /* twice the resolution, twice the pixels per line (same page size) */
  g_assert_cmpuint (rki_image_get_width (high), >=, 2 * rki_image_get_width (low) - 2);
  g_assert_cmpuint (rki_image_get_width (high), <=, 2 * rki_image_get_width (low) + 2);
  g_assert_cmpuint (rki_image_get_ppi (high), ==, 50);
  g_assert_true (rki_image_get_stats (high, &st));
  g_assert_cmpfloat (st.stddev, >, 1.0); /* the test backend draws a pattern */
  rki_device_close (device);
}

static void
test_slow_scan_times_out (void)
{
  g_autoptr(RkiDevice) device = rki_sane_scanner_new ("test:0", "scanner0");
  g_autoptr(GError) error = NULL;
  g_autoptr(RkiImage) image = NULL;
  gint64 t0;

  open_sync (device);
  rki_device_set_timeout (device, 20);
  t0 = g_get_monotonic_time ();
  /* 600 dpi, 8 KiB and 20 ms per read: seconds of reading, far beyond the
   * 20 ms timeout even where the backend skips its delay */
  g_assert_null (scan (device, 600, &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 1500000);
  g_clear_error (&error);
  /* the timeout cancelled the read: the scanner is usable again soon */
  spin_ms (200);
  rki_device_set_timeout (device, 0);
  image = scan (device, 25, &error);
  g_assert_no_error (error);
  rki_device_close (device);
}

static void
test_unknown_device (void)
{
  g_autoptr(RkiDevice) device = rki_sane_scanner_new ("test:99", "scanner9");
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0 };

  rki_device_open (device, NULL, wait_cb, &w);
  r = wait_result (&w, 10000);
  g_assert_false (rki_device_open_finish (device, r, &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "scanner9"));
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("rekam-sane-XXXXXX", NULL);
  g_autofree char *dll = g_build_filename (dir, "dll.conf", NULL);
  int rc;

  g_autofree char *conf = g_build_filename (dir, "test.conf", NULL);

  g_assert_true (g_file_set_contents (dll, "test\n", -1, NULL));
  /* a pattern to look at, and at most 8 KiB per read with 20 ms per read,
   * so a big page is slow whatever buffer size the backend is asked for */
  g_assert_true (g_file_set_contents (conf, "number_of_devices 1\nmode Gray\ndepth 8\n"
                                            "test-picture \"Grid\"\nresolution 50.0\n"
                                            "read-limit true\nread-limit-size 8192\n"
                                            "read-delay true\nread-delay-duration 20000\n"
                                            "br_x 80.0\nbr_y 100.0\n", -1, NULL));
  /* no trailing ':' -> only our folder, not /etc/sane.d */
  g_setenv ("SANE_CONFIG_DIR", dir, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/drivers/sane/scan-test-backend", test_scan);
  g_test_add_func ("/drivers/sane/unknown-device", test_unknown_device);
  g_test_add_func ("/drivers/sane/slow-scan-times-out", test_slow_scan_times_out);
  rc = g_test_run ();
  g_unlink (dll);
  g_unlink (conf);
  g_rmdir (dir);
  return rc;
}
