/* The finger class through libfprint: the virtual_image driver listens on
 * FP_VIRTUAL_IMAGE; the test plays the scanner's sensor by sending images
 * over that socket (int32 width, int32 height, then the 8-bit pixels), as
 * libfprint's own tests/virtual-image.py does. */
#include <fprint.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gunixsocketaddress.h>
#include <string.h>

#include "rki-fprint-finger.h"
#include "test-helpers.h"

static char *socket_path;

/* One connection per opened device: libfprint warns when a second
 * client replaces the first. */
static GSocketConnection *conn;

static void
send_image (const guint8 *pixels, gint32 w, gint32 h)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *out;
  gint32 hdr[2] = { w, h };

  if (conn == NULL)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketAddress) addr = g_unix_socket_address_new (socket_path);
      conn = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (addr), NULL, &error);
      g_assert_no_error (error);
    }
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_assert_true (g_output_stream_write_all (out, hdr, sizeof hdr, NULL, NULL, &error));
  g_assert_true (g_output_stream_write_all (out, pixels, (gsize) w * h, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
close_device (RkiDevice *device)
{
  rki_device_close (device);
  spin_ms (100);
  if (conn != NULL)
    g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  g_clear_object (&conn);
}

static void
on_awaiting (RkiFinger *finger, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static RkiDevice *
virtual_device (FpContext **ret_context)
{
  g_autoptr(FpContext) context = fp_context_new ();
  g_autoptr(GPtrArray) devices = rki_fprint_finger_enumerate (G_OBJECT (context), "finger");

  for (guint i = 0; i < devices->len; i++)
    {
      RkiDevice *d = g_ptr_array_index (devices, i);
      if (g_strcmp0 (rki_device_get_label (d), "Virtual image device for debugging") == 0)
        {
          *ret_context = g_steal_pointer (&context);
          return g_object_ref (d);
        }
    }
  return NULL;
}

/* Captures one image through libfprint while the test feeds @pixels. */
static RkiImage *
capture_fed (RkiDevice *device, const guint8 *pixels, guint w, guint h)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  gboolean awaiting = FALSE;
  gulong id = g_signal_connect (device, "awaiting-finger", G_CALLBACK (on_awaiting), &awaiting);
  RkiImage *image;
  Wait w8 = { 0 };
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  rki_finger_capture (RKI_FINGER (device), NULL, wait_cb, &w8);
  while (!awaiting && g_get_monotonic_time () < end)
    spin_ms (5);
  g_assert_true (awaiting);
  send_image (pixels, (gint32) w, (gint32) h);
  r = wait_result (&w8, 5000);
  g_signal_handler_disconnect (device, id);
  image = rki_finger_capture_finish (RKI_FINGER (device), r, &error);
  g_assert_no_error (error);
  return image;
}

static void
test_synthetic (void)
{
  g_autoptr(FpContext) context = NULL;
  g_autoptr(RkiDevice) device = virtual_device (&context);
  g_autoptr(GBytes) ridges = make_ridges (256, 300);
  g_autoptr(RkiImage) image = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) checks = NULL;
  gsize len = 0;
  const guint8 *got;
  guint same = 0;

  g_assert_nonnull (device);
  g_assert_cmpstr (rki_device_get_driver (device), ==, "libfprint");
  open_sync (device);
  image = capture_fed (device, g_bytes_get_data (ridges, NULL), 256, 300);
  g_assert_cmpuint (rki_image_get_width (image), ==, 256);
  g_assert_cmpuint (rki_image_get_height (image), ==, 300);
  got = g_bytes_get_data (rki_image_get_bytes (image), &len);
  g_assert_cmpuint (len, ==, 256 * 300);
  for (gsize i = 0; i < len; i++)
    same += got[i] == ((const guint8 *) g_bytes_get_data (ridges, NULL))[i];
  /* libfprint hands the sensor's image through unchanged */
  g_assert_cmpuint (same, ==, len);

  /* the diagnostic runs through the same capture path */
  {
    Wait w = { 0 };
    gboolean awaiting = FALSE;
    gulong id = g_signal_connect (device, "awaiting-finger", G_CALLBACK (on_awaiting), &awaiting);
    GVariantIter iter;
    const char *name, *detail;
    gboolean passed, all = TRUE;
    rki_device_test (device, NULL, wait_cb, &w);
    while (!awaiting)
      spin_ms (5);
    send_image (g_bytes_get_data (ridges, NULL), 256, 300);
    r = wait_result (&w, 5000);
    g_signal_handler_disconnect (device, id);
    checks = rki_device_test_finish (device, r, &error);
    g_assert_no_error (error);
    g_variant_iter_init (&iter, checks);
    while (g_variant_iter_next (&iter, "(&sb&s)", &name, &passed, &detail))
      all = all && passed;
    g_assert_true (all);
  }
  close_device (device);
}

static void
test_cancel_while_waiting (void)
{
  g_autoptr(FpContext) context = NULL;
  g_autoptr(RkiDevice) device = virtual_device (&context);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0 };

  open_sync (device);
  rki_finger_capture (RKI_FINGER (device), cancellable, wait_cb, &w);
  spin_ms (100);
  g_cancellable_cancel (cancellable);
  r = wait_result (&w, 3000);
  g_assert_null (rki_finger_capture_finish (RKI_FINGER (device), r, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (rki_device_get_state (device), ==, RKI_DEVICE_STATE_IDLE);
  close_device (device);
}

static void
test_fvc (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("REKAM_SHARED_DATA") ? g_getenv ("REKAM_SHARED_DATA") : "../shared/data",
                                            "fingerprint", "fvc2002_db1_b", "101_1.tif", NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(FpContext) context = NULL;
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(RkiImage) image = NULL;
  g_autofree guint8 *gray = NULL;
  guint w, h;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("FVC2002 image %s absent", path);
      return;
    }
  pixbuf = gdk_pixbuf_new_from_file (path, NULL);
  g_assert_nonnull (pixbuf);
  w = (guint) gdk_pixbuf_get_width (pixbuf);
  h = (guint) gdk_pixbuf_get_height (pixbuf);
  gray = g_malloc ((gsize) w * h);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      gray[(gsize) y * w + x] = gdk_pixbuf_get_pixels (pixbuf)[(gsize) y * (guint) gdk_pixbuf_get_rowstride (pixbuf) +
                                                            (gsize) x * (guint) gdk_pixbuf_get_n_channels (pixbuf)];
  device = virtual_device (&context);
  open_sync (device);
  image = capture_fed (device, gray, w, h);
  g_assert_cmpuint (rki_image_get_width (image), ==, w);
  g_assert_cmpint (memcmp (g_bytes_get_data (rki_image_get_bytes (image), NULL), gray, (gsize) w * h), ==, 0);
  close_device (device);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("rekam-fprint-XXXXXX", NULL);
  int rc;

  socket_path = g_build_filename (dir, "virtual-image.socket", NULL);
  /* libfprint reads this when its context enumerates devices. */
  g_setenv ("FP_VIRTUAL_IMAGE", socket_path, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/drivers/fprint/synthetic-image", test_synthetic);
  g_test_add_func ("/drivers/fprint/cancel-while-waiting", test_cancel_while_waiting);
  g_test_add_func ("/drivers/fprint/fvc2002-image", test_fvc);
  rc = g_test_run ();
  g_unlink (socket_path);
  g_rmdir (dir);
  g_free (socket_path);
  return rc;
}
