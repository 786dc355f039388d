/* Base classes and replay backends: each behaviour the classes promise
 * (one task in flight, timeouts, unplug, streams, calibrations), played
 * from session files written by the tests. */
#include <math.h>
#include <string.h>

#include "rki-camera.h"
#include "rki-finger.h"
#include "rki-replay.h"
#include "rki-scanner.h"
#include "rki-signature.h"
#include "rki-slap.h"
#include "rki-smartcard.h"
#include "rki-ups.h"
#include "test-helpers.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("rekam-drivers-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  /* Let finished GTasks and sources go before the leak checker looks. */
  spin_ms (5);
}

/* A PGM file of the ridge pattern, as a replay image source. */
static void
write_pgm (const char *dir, const char *name, guint w, guint h)
{
  g_autoptr(GBytes) px = make_ridges (w, h);
  g_autofree char *hdr = g_strdup_printf ("P5\n%u %u\n255\n", w, h);
  GString *s = g_string_new (hdr);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_string_append_len (s, g_bytes_get_data (px, NULL), (gssize) g_bytes_get_size (px));
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  g_string_free (s, TRUE);
}

static RkiDevice *
replay_device (Fixture *f, const char *text, const char *id)
{
  g_autofree char *path = write_temp_session (f->dir, "session.txt", text);
  g_autoptr(GError) error = NULL;
  RkiDevice *device = rki_replay_device_new (path, id, &error);

  g_assert_no_error (error);
  return device;
}

static void
test_session_errors (Fixture *f, gconstpointer data)
{
  static const struct { const char *text; const char *needle; } cases[] = {
    { "hello\n", "first line" },
    { "rekam-session 1\n", "no 'class' line" },
    { "rekam-session 1\nclass toaster\n", "unknown device class 'toaster'" },
    { "rekam-session 1\nclass finger\n10 image gray8 2 2 500 base64:AAA!\n", "line 3" },
    { "rekam-session 1\nclass finger\n10 image gray8 4 4 500 base64:AAAA\n", "needs 16 bytes, got 3" },
    { "rekam-session 1\nclass finger\n10 pnm 500 file:missing.pgm\n", "missing.pgm" },
    { "rekam-session 1\nclass signature\n5 pen 1 2\n", "'pen' takes 4 fields, found 2" },
    { "rekam-session 1\nclass smartcard\n0 card-insert 3B8\n", "even count" },
    { "rekam-session 1\nclass smartcard\n0 apdu 00A4 9000\n", "line 3" },
    { "rekam-session 1\nclass ups\n99999999999 ups OL 1 1\n", "one day" },
    { "rekam-session 1\nclass ups\n0 teleport\n", "unknown record kind 'teleport'" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RkiSession) s = rki_session_parse (cases[i].text, strlen (cases[i].text), f->dir,
                                                   "t.txt", &error);
      g_assert_null (s);
      g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %u: '%s' lacks '%s'", i, error->message, cases[i].needle);
    }
}

static void
test_finger_capture (Fixture *f, gconstpointer data)
{
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RkiImage) image = NULL;
  g_autoptr(GVariant) info = NULL;
  Wait w = { 0 };
  const char *serial = NULL;

  write_pgm (f->dir, "f1.pgm", 200, 240);
  device = replay_device (f, "rekam-session 1\nclass finger\nlabel Test finger\nserial FP-1\n"
                             "20 pnm 500 file:f1.pgm\n", "finger0");
  g_assert_cmpstr (rki_device_get_class_name (device), ==, "finger");
  open_sync (device);
  rki_finger_capture (RKI_FINGER (device), NULL, wait_cb, &w);
  g_assert_cmpint (rki_device_get_state (device), ==, RKI_DEVICE_STATE_BUSY);
  r = wait_result (&w, 2000);
  image = rki_finger_capture_finish (RKI_FINGER (device), r, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rki_image_get_width (image), ==, 200);
  g_assert_cmpuint (rki_image_get_height (image), ==, 240);
  g_assert_cmpuint (rki_image_get_ppi (image), ==, 500);
  g_assert_cmpint (rki_device_get_state (device), ==, RKI_DEVICE_STATE_IDLE);
  info = rki_device_get_info (device);
  g_assert_true (g_variant_lookup (info, "serial", "&s", &serial));
  g_assert_cmpstr (serial, ==, "FP-1");
}

static void
test_busy_rejected (Fixture *f, gconstpointer data)
{
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RkiImage) image = NULL;
  Wait w1 = { 0 }, w2 = { 0 };

  write_pgm (f->dir, "f1.pgm", 100, 100);
  device = replay_device (f, "rekam-session 1\nclass finger\n300 pnm 500 file:f1.pgm\n", "finger0");
  open_sync (device);
  rki_finger_capture (RKI_FINGER (device), NULL, wait_cb, &w1);
  rki_finger_capture (RKI_FINGER (device), NULL, wait_cb, &w2);
  r2 = wait_result (&w2, 1000);
  g_assert_null (rki_finger_capture_finish (RKI_FINGER (device), r2, &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "finger0"));
  g_clear_error (&error);
  r1 = wait_result (&w1, 2000);
  image = rki_finger_capture_finish (RKI_FINGER (device), r1, &error);
  g_assert_no_error (error);
}

static void
test_hang_times_out (Fixture *f, gconstpointer data)
{
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(GAsyncResult) r = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RkiImage) image = NULL;
  Wait w = { 0 }, w2 = { 0 };
  gint64 t0;

  write_pgm (f->dir, "f1.pgm", 100, 100);
  device = replay_device (f, "rekam-session 1\nclass scanner\n0 hang\n10 pnm 300 file:f1.pgm\n", "scan0");
  open_sync (device);
  rki_device_set_timeout (device, 300);
  t0 = g_get_monotonic_time ();
  rki_scanner_scan (RKI_SCANNER (device), 0, NULL, wait_cb, &w);
  r = wait_result (&w, 3000);
  g_assert_null (rki_scanner_scan_finish (RKI_SCANNER (device), r, &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "scan0"));
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 290000);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 2000000);
  /* The device recovers: the next request gets the next record. */
  spin_ms (20);
  rki_scanner_scan (RKI_SCANNER (device), 0, NULL, wait_cb, &w2);
  r2 = wait_result (&w2, 3000);
  g_clear_error (&error);
  image = rki_scanner_scan_finish (RKI_SCANNER (device), r2, &error);
  g_assert_no_error (error);
}

static void
test_unplug_mid_capture (Fixture *f, gconstpointer data)
{
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(GAsyncResult) r = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0 }, w2 = { 0 };

  write_pgm (f->dir, "f1.pgm", 100, 100);
  device = replay_device (f, "rekam-session 1\nclass slap\nlabel Test slap\n100 unplug\n"
                             "2000 pnm 500 file:f1.pgm\n", "slap0");
  open_sync (device);
  rki_slap_capture (RKI_SLAP (device), RKI_SLAP_LEFT_FOUR, NULL, wait_cb, &w);
  r = wait_result (&w, 1500);
  g_assert_null (rki_slap_capture_finish (RKI_SLAP (device), r, &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_REMOVED);
  g_assert_nonnull (strstr (error->message, "slap0 (Test slap) was unplugged during capture"));
  g_assert_cmpint (rki_device_get_state (device), ==, RKI_DEVICE_STATE_REMOVED);
  g_clear_error (&error);
  rki_slap_capture (RKI_SLAP (device), RKI_SLAP_THUMBS, NULL, wait_cb, &w2);
  r2 = wait_result (&w2, 500);
  g_assert_null (rki_slap_capture_finish (RKI_SLAP (device), r2, &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_REMOVED);
}

static void
count_frame (RkiCamera *camera, RkiImage *frame, gpointer user_data)
{
  RkiImage **last = user_data;
  g_clear_pointer (last, rki_image_unref);
  *last = rki_image_ref (frame);
}

/* A 64x64 RGB frame of a blue backdrop with a grey square in the middle. */
static char *
blue_frame_b64 (void)
{
  guint8 px[64 * 64 * 3];
  for (guint i = 0; i < 64 * 64; i++)
    {
      guint x = i % 64, y = i / 64;
      gboolean face = x > 20 && x < 44 && y > 16 && y < 48;
      px[3 * i] = face ? 150 : 30;
      px[3 * i + 1] = face ? 120 : 60;
      px[3 * i + 2] = face ? 100 : 160;
    }
  return g_base64_encode (px, sizeof px);
}

static void
test_camera_stream_and_calibration (Fixture *f, gconstpointer data)
{
  g_autofree char *b64 = blue_frame_b64 ();
  g_autofree char *text = g_strdup_printf ("rekam-session 1\nclass camera\nserial CAM-1\nloop yes\n"
                                           "0 image rgb24 64 64 0 base64:%s\n"
                                           "33 image rgb24 64 64 0 base64:%s\n", b64, b64);
  g_autoptr(RkiDevice) device = replay_device (f, text, "cam0");
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) cal = NULL;
  RkiImage *last = NULL;
  RkiImageStats before, after;
  const char *backdrop = NULL;
  double gain_b = 0;
  Wait w = { 0 };

  open_sync (device);
  g_signal_connect (device, "frame", G_CALLBACK (count_frame), &last);
  g_assert_true (rki_camera_start_stream (RKI_CAMERA (device), &error));
  spin_ms (250);
  /* about 30 frames per second, looping over two records */
  g_assert_cmpuint (rki_camera_get_frame_count (RKI_CAMERA (device)), >=, 4);
  g_assert_nonnull (last);
  g_assert_true (rki_image_get_stats (last, &before));

  rki_device_calibrate (device, NULL, wait_cb, &w);
  r = wait_result (&w, 2000);
  cal = rki_device_calibrate_finish (device, r, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (cal, "backdrop", "&s", &backdrop));
  g_assert_cmpstr (backdrop, ==, "blue");
  g_assert_true (g_variant_lookup (cal, "gain-b", "d", &gain_b));
  g_assert_cmpfloat (gain_b, ==, 1.0); /* the backdrop's own channel is left alone */
  g_assert_true (rki_device_get_calibration (device) != NULL);
  spin_ms (100);
  /* The stored calibration now shapes every frame: exposure pulls the
   * luma toward the target. */
  g_assert_true (rki_image_get_stats (last, &after));
  g_assert_cmpfloat (fabs (after.mean - 118), <, fabs (before.mean - 118));
  rki_camera_stop_stream (RKI_CAMERA (device));
  g_clear_pointer (&last, rki_image_unref);
}

static void
test_iris_checks (Fixture *f, gconstpointer data)
{
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) checks = NULL;
  GVariantIter iter;
  const char *name, *detail;
  gboolean passed;
  guint n = 0;
  Wait w = { 0 };

  write_pgm (f->dir, "eye.pgm", 160, 120);
  device = replay_device (f, "rekam-session 1\nclass iris\nloop yes\n0 pnm 0 file:eye.pgm\n", "iris0");
  g_assert_cmpstr (rki_device_get_class_name (device), ==, "iris");
  open_sync (device);
  rki_device_test (device, NULL, wait_cb, &w);
  r = wait_result (&w, 2000);
  checks = rki_device_test_finish (device, r, &error);
  g_assert_no_error (error);
  g_variant_iter_init (&iter, checks);
  while (g_variant_iter_next (&iter, "(&sb&s)", &name, &passed, &detail))
    {
      n++;
      if (g_str_equal (name, "focus") || g_str_equal (name, "illumination"))
        g_assert_true (passed);
    }
  g_assert_cmpuint (n, ==, 4);
}

typedef struct {
  guint  samples;
  double last_x, last_y;
} PenLog;

static void
on_pen (RkiSignature *pad, double x, double y, double p, gboolean touch, gint64 t, gpointer user_data)
{
  PenLog *log = user_data;
  log->samples++;
  log->last_x = x;
  log->last_y = y;
}

static void
test_signature_corner_taps (Fixture *f, gconstpointer data)
{
  g_autoptr(RkiDevice) device = replay_device (
    f, "rekam-session 1\nclass signature\nranges 10000 8000 1023\n"
       "10 pen 1000 1000 400 1\n20 pen 1000 1000 0 0\n"
       "30 pen 9000 1000 400 1\n40 pen 9000 1000 0 0\n"
       "50 pen 9000 7000 400 1\n60 pen 9000 7000 0 0\n"
       "70 pen 1000 7000 400 1\n80 pen 1000 7000 0 0\n"
       "100 pen 5000 4000 500 1\n", "pad0");
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) cal = NULL;
  gint32 x_min = 0, y_max = 0;
  PenLog log = { 0 };
  Wait w = { 0 };

  open_sync (device);
  g_signal_connect (device, "pen", G_CALLBACK (on_pen), &log);
  rki_device_calibrate (device, NULL, wait_cb, &w);
  r = wait_result (&w, 2000);
  cal = rki_device_calibrate_finish (device, r, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (cal, "x-min", "i", &x_min));
  g_assert_true (g_variant_lookup (cal, "y-max", "i", &y_max));
  g_assert_cmpint (x_min, ==, 1000);
  g_assert_cmpint (y_max, ==, 7000);
  /* Applied: the pad's middle sample maps to the middle of the taps' box. */
  g_assert_true (rki_signature_start_stream (RKI_SIGNATURE (device), &error));
  spin_ms (200);
  g_assert_cmpfloat (fabs (log.last_x - 0.5), <, 0.01);
  g_assert_cmpfloat (fabs (log.last_y - 0.5), <, 0.01);
  rki_signature_stop_stream (RKI_SIGNATURE (device));
}

static void
test_signature_flood (Fixture *f, gconstpointer data)
{
  GString *s = g_string_new ("rekam-session 1\nclass signature\nranges 1000 1000 100\n");
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PenLog log = { 0 };
  const guint n = 20000;

  /* 20000 samples inside 50 ms: the class must deliver every one. */
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%u pen %u %u 50 1\n", i / 400, i % 1000, (i * 7) % 1000);
  path = write_temp_session (f->dir, "flood.txt", s->str);
  g_string_free (s, TRUE);
  device = rki_replay_device_new (path, "pad0", &error);
  g_assert_no_error (error);
  open_sync (device);
  g_signal_connect (device, "pen", G_CALLBACK (on_pen), &log);
  g_assert_true (rki_signature_start_stream (RKI_SIGNATURE (device), &error));
  spin_ms (400);
  g_assert_cmpuint (log.samples, ==, n);
  rki_signature_stop_stream (RKI_SIGNATURE (device));
}

typedef struct {
  guint    changes;
  gboolean present;
} CardLog;

static void
on_card (RkiSmartcard *card, gboolean present, GBytes *atr, gpointer user_data)
{
  CardLog *log = user_data;
  log->changes++;
  log->present = present;
}

static void
test_smartcard_apdu_and_pull (Fixture *f, gconstpointer data)
{
  g_autoptr(RkiDevice) device = replay_device (
    f, "rekam-session 1\nclass smartcard\n10 card-insert 3B80800101\n"
       "0 apdu 00A4040002A000 9000\n800 apdu 00B0000010 6282\n300 card-remove\n", "sc0");
  static const guint8 select[] = { 0x00, 0xA4, 0x04, 0x00, 0x02, 0xA0, 0x00 };
  static const guint8 read[] = { 0x00, 0xB0, 0x00, 0x00, 0x10 };
  g_autoptr(GBytes) apdu1 = g_bytes_new_static (select, sizeof select);
  g_autoptr(GBytes) apdu2 = g_bytes_new_static (read, sizeof read);
  g_autoptr(GBytes) rsp = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;
  CardLog log = { 0 };
  Wait w1 = { 0 }, w2 = { 0 };

  g_signal_connect (device, "card-changed", G_CALLBACK (on_card), &log);
  open_sync (device);
  spin_ms (50);
  g_assert_true (log.present);
  rki_smartcard_transmit (RKI_SMARTCARD (device), apdu1, NULL, wait_cb, &w1);
  r1 = wait_result (&w1, 1000);
  rsp = rki_smartcard_transmit_finish (RKI_SMARTCARD (device), r1, &error);
  g_assert_no_error (error);
  hex = rki_hex_encode (rsp);
  g_assert_cmpstr (hex, ==, "9000");
  /* The second answer takes 800 ms; the card leaves at 300 ms. */
  rki_smartcard_transmit (RKI_SMARTCARD (device), apdu2, NULL, wait_cb, &w2);
  r2 = wait_result (&w2, 2000);
  g_assert_null (rki_smartcard_transmit_finish (RKI_SMARTCARD (device), r2, &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NO_MEDIA);
  g_assert_nonnull (strstr (error->message, "card removed from reader sc0"));
  g_assert_false (log.present);
  g_assert_cmpuint (log.changes, ==, 2);
}

static void
on_ups (RkiUps *ups, const RkiUpsStatus *status, gpointer user_data)
{
  GString *log = user_data;
  g_string_append_printf (log, "[%s]", status->status);
}

static void
test_ups_monitor (Fixture *f, gconstpointer data)
{
  g_autoptr(RkiDevice) device = replay_device (
    f, "rekam-session 1\nclass ups\n100 ups OB 80 900\n250 ups OB,LB 9 60\n", "ups0");
  g_autoptr(GString) log = g_string_new (NULL);

  g_signal_connect (device, "status-changed", G_CALLBACK (on_ups), log);
  open_sync (device);
  rki_ups_set_monitor_interval (RKI_UPS (device), 30);
  spin_ms (450);
  g_assert_cmpstr (log->str, ==, "[OL][OB][OB LB]");
  g_assert_true (rki_ups_get_last_status (RKI_UPS (device))->low_battery);
  g_assert_cmpint (rki_ups_get_last_status (RKI_UPS (device))->charge, ==, 9);
  rki_device_close (device);
  spin_ms (50);
}

static void
test_finger_calibrate_blank (Fixture *f, gconstpointer data)
{
  g_autofree char *flat = NULL;
  g_autofree char *text = NULL;
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(GAsyncResult) r = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) cal = NULL;
  guint8 px[100 * 100];

  memset (px, 235, sizeof px);
  flat = g_base64_encode (px, sizeof px);
  write_pgm (f->dir, "f1.pgm", 100, 100);
  /* first a blank platen, then a finger left on it */
  text = g_strdup_printf ("rekam-session 1\nclass finger\n0 image gray8 100 100 500 base64:%s\n"
                          "0 pnm 500 file:f1.pgm\n", flat);
  device = replay_device (f, text, "finger0");
  open_sync (device);
  {
    Wait w = { 0 };
    double bg = 0;
    rki_device_calibrate (device, NULL, wait_cb, &w);
    r = wait_result (&w, 1000);
    cal = rki_device_calibrate_finish (device, r, &error);
    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (cal, "background-mean", "d", &bg));
    g_assert_cmpfloat (bg, ==, 235.0);
  }
  {
    Wait w = { 0 };
    rki_device_calibrate (device, NULL, wait_cb, &w);
    r2 = wait_result (&w, 1000);
    g_assert_null (rki_device_calibrate_finish (device, r2, &error));
    g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "platen not blank"));
  }
}

static void
test_session_writer_roundtrip (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "rec.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RkiSessionWriter) writer = rki_session_writer_new (path, "finger", "Rec", "S-1", &error);
  g_autoptr(GBytes) px = make_ridges (50, 40);
  g_autoptr(RkiImage) image = rki_image_new (RKI_PIXEL_GRAY8, 50, 40, 500, px, &error);
  g_autoptr(RkiSession) session = NULL;

  g_assert_no_error (error);
  g_assert_true (rki_session_writer_add_image (writer, image, &error));
  g_assert_true (rki_session_writer_add_line (writer, "pen 1 2 3 1", &error));
  g_assert_true (rki_session_writer_close (writer, &error));
  session = rki_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rki_session_get_n_records (session), ==, 2);
  g_assert_true (g_bytes_equal (rki_image_get_bytes (rki_session_get_record (session, 0)->image), px));
  g_assert_cmpstr (rki_session_get_serial (session), ==, "S-1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/drivers/session/errors-name-the-line", test_session_errors);
  ADD ("/drivers/session/writer-roundtrip", test_session_writer_roundtrip);
  ADD ("/drivers/finger/replay-capture", test_finger_capture);
  ADD ("/drivers/finger/calibrate-blank-platen", test_finger_calibrate_blank);
  ADD ("/drivers/device/busy-rejected", test_busy_rejected);
  ADD ("/drivers/device/hang-times-out", test_hang_times_out);
  ADD ("/drivers/device/unplug-mid-capture", test_unplug_mid_capture);
  ADD ("/drivers/camera/stream-and-calibration", test_camera_stream_and_calibration);
  ADD ("/drivers/iris/test-focus-illumination", test_iris_checks);
  ADD ("/drivers/signature/corner-taps", test_signature_corner_taps);
  ADD ("/drivers/signature/flood", test_signature_flood);
  ADD ("/drivers/smartcard/apdu-and-card-pulled", test_smartcard_apdu_and_pull);
  ADD ("/drivers/ups/monitor", test_ups_monitor);
  return g_test_run ();
}
