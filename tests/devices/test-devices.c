/* rekamd's devices module over its real API (unix socket, libsoup):
 * listing, diagnostics, calibration kept per serial across restarts,
 * unplug mid-capture, the UPS policy, a blocking library that must not
 * stall the API, and WebSocket back-pressure. */
#include <math.h>

#include <sys/socket.h>

#include "devices-harness.h"
#include "rk-device-manager.h"
#include "rk-device-stream.h"

/* "<ms> image gray8 W H 500 base64:..." of a ridge pattern (or flat). */
static char *
gray_record (guint ms, guint w, guint h, gboolean ridges)
{
  g_autofree guint8 *px = g_malloc ((gsize) w * h);
  g_autofree char *b64 = NULL;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      px[(gsize) y * w + x] = ridges ? (guint8) (128 + 100 * sin (hypot (x - w / 2.0, y - h / 2.0) * 0.7)) : 236;
  b64 = g_base64_encode (px, (gsize) w * h);
  return g_strdup_printf ("%u image gray8 %u %u 500 base64:%s\n", ms, w, h, b64);
}

static char *
rgb_record (guint ms)
{
  guint8 px[32 * 32 * 3];
  g_autofree char *b64 = NULL;

  for (guint i = 0; i < 32 * 32; i++)
    {
      px[3 * i] = (guint8) (20 + i % 32);
      px[3 * i + 1] = 60;
      px[3 * i + 2] = 170;
    }
  b64 = g_base64_encode (px, sizeof px);
  return g_strdup_printf ("%u image rgb24 32 32 0 base64:%s\n", ms, b64);
}

static void
test_list_info_test (void)
{
  Harness h = { 0 };
  g_autofree char *rec = gray_record (50, 96, 96, TRUE);
  g_autofree char *session = g_strconcat ("rekam-session 1\nclass finger\nlabel Test scanner\nserial T-1\n", rec, NULL);
  g_autoptr(JsonNode) list = NULL, info = NULL, missing = NULL, report = NULL;
  g_autofree char *conf = NULL;
  JsonObject *d;
  guint status;

  h.dir = g_dir_make_tmp ("rekam-devices-XXXXXX", NULL);
  h.state = g_build_filename (h.dir, "state", NULL);
  h.socket = g_build_filename (h.dir, "sock", NULL);
  h.config = g_build_filename (h.dir, "rekamd.conf", NULL);
  harness_write (&h, "finger.session", session);
  conf = g_strdup_printf ("replay=%s/finger.session", h.dir);
  harness_start (&h, conf);

  list = harness_call (&h, "GET", "/v1/devices", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  d = find_in_list (list, "replay-finger0");
  g_assert_nonnull (d);
  g_assert_cmpstr (json_object_get_string_member (d, "serial"), ==, "T-1");
  g_assert_cmpstr (json_object_get_string_member (d, "driver"), ==, "replay");
  info = harness_call (&h, "GET", "/v1/devices/replay-finger0", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (info), "label"), ==, "Test scanner");
  missing = harness_call (&h, "GET", "/v1/devices/nothing9", NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_nonnull (strstr (error_message (missing), "nothing9"));
  report = harness_call (&h, "POST", "/v1/devices/replay-finger0/test", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (report), "passed"));
  harness_free (&h);
}

static void
test_calibration_kept_per_serial (void)
{
  Harness h = { 0 };
  GString *session = g_string_new ("rekam-session 1\nclass camera\nserial CAM-7\nloop yes\n");
  g_autoptr(JsonNode) cal = NULL, info = NULL, audit = NULL;
  g_autofree char *conf = NULL;
  guint status;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *r = rgb_record (i * 30);
      g_string_append (session, r);
    }
  h.dir = g_dir_make_tmp ("rekam-devices-XXXXXX", NULL);
  h.state = g_build_filename (h.dir, "state", NULL);
  h.socket = g_build_filename (h.dir, "sock", NULL);
  h.config = g_build_filename (h.dir, "rekamd.conf", NULL);
  harness_write (&h, "cam.session", session->str);
  g_string_free (session, TRUE);
  conf = g_strdup_printf ("replay=%s/cam.session", h.dir);
  harness_start (&h, conf);
  cal = harness_call (&h, "POST", "/v1/devices/replay-camera0/calibrate", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (cal), "serial"), ==, "CAM-7");
  harness_stop (&h);

  /* a new rekamd on the same store opens the camera with it */
  harness_start (&h, conf);
  spin_ms (100);
  info = harness_call (&h, "GET", "/v1/devices/replay-camera0", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (info), "calibrated"));
  harness_free (&h);
}

static void
test_unplug_mid_capture (void)
{
  Harness h = { 0 };
  g_autofree char *rec = gray_record (3000, 64, 64, TRUE);
  g_autofree char *session = g_strconcat ("rekam-session 1\nclass finger\nlabel Desk scanner\n"
                                          "200 unplug\n", rec, NULL);
  g_autoptr(JsonNode) reply = NULL, after = NULL;
  g_autofree char *conf = NULL;
  guint status;

  h.dir = g_dir_make_tmp ("rekam-devices-XXXXXX", NULL);
  h.state = g_build_filename (h.dir, "state", NULL);
  h.socket = g_build_filename (h.dir, "sock", NULL);
  h.config = g_build_filename (h.dir, "rekamd.conf", NULL);
  harness_write (&h, "f.session", session);
  conf = g_strdup_printf ("replay=%s/f.session", h.dir);
  harness_start (&h, conf);
  reply = harness_call (&h, "POST", "/v1/devices/replay-finger0/capture", NULL, &status);
  g_assert_cmpuint (status, ==, 410);
  g_assert_cmpstr (error_code (reply), ==, "device-removed");
  g_assert_nonnull (strstr (error_message (reply), "replay-finger0 (Desk scanner) was unplugged during capture"));
  after = harness_call (&h, "GET", "/v1/devices/replay-finger0", NULL, &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after), "state"), ==, "removed");
  harness_free (&h);
}

static void
test_hung_device_times_out (void)
{
  Harness h = { 0 };
  g_autofree char *rec = gray_record (10, 64, 64, TRUE);
  g_autofree char *session = g_strconcat ("rekam-session 1\nclass finger\n0 hang\n", rec, NULL);
  g_autofree char *conf = NULL;
  g_autoptr(JsonNode) reply = NULL, again = NULL;
  gint64 t0;
  guint status;

  h.dir = g_dir_make_tmp ("rekam-devices-XXXXXX", NULL);
  h.state = g_build_filename (h.dir, "state", NULL);
  h.socket = g_build_filename (h.dir, "sock", NULL);
  h.config = g_build_filename (h.dir, "rekamd.conf", NULL);
  harness_write (&h, "f.session", session);
  conf = g_strdup_printf ("replay=%s/f.session\ntimeout_ms=400", h.dir);
  harness_start (&h, conf);
  t0 = g_get_monotonic_time ();
  {
    /* the core logs each 5xx as a warning; this one is expected */
    GLogLevelFlags old = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    reply = harness_call (&h, "POST", "/v1/devices/replay-finger0/capture", NULL, &status);
    g_log_set_always_fatal (old);
  }
  g_assert_cmpuint (status, ==, 504);
  g_assert_cmpstr (error_code (reply), ==, "device-timeout");
  g_assert_nonnull (strstr (error_message (reply), "replay-finger0 did not answer capture within 400 ms"));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 3 * G_USEC_PER_SEC);
  /* the device is usable again: the next record answers */
  spin_ms (50);
  again = harness_call (&h, "POST", "/v1/devices/replay-finger0/capture", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  harness_free (&h);
}

static void
test_ups_low_battery (void)
{
  Harness h = { 0 };
  g_autofree char *rec = gray_record (1500, 64, 64, TRUE);
  g_autofree char *finger = g_strconcat ("rekam-session 1\nclass finger\n", rec, NULL);
  g_autofree char *conf = NULL;
  g_autoptr(JsonNode) refused = NULL, list = NULL, done = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *power;
  Reply inflight;
  guint status;

  h.dir = g_dir_make_tmp ("rekam-devices-XXXXXX", NULL);
  h.state = g_build_filename (h.dir, "state", NULL);
  h.socket = g_build_filename (h.dir, "sock", NULL);
  h.config = g_build_filename (h.dir, "rekamd.conf", NULL);
  harness_write (&h, "f.session", finger);
  harness_write (&h, "ups.session", "rekam-session 1\nclass ups\nlabel Test UPS\n"
                                    "200 ups OB 60 900\n600 ups OB,LB 8 90\n");
  conf = g_strdup_printf ("replay=%s/f.session;%s/ups.session\nups_poll_ms=50", h.dir, h.dir);
  harness_start (&h, conf);
  /* a capture in flight when the battery runs low */
  harness_send (&h, "POST", "/v1/devices/replay-finger0/capture", NULL, NULL, &inflight);
  spin_ms (900);
  list = harness_call (&h, "GET", "/v1/devices", NULL, &status);
  power = json_object_get_object_member (json_node_get_object (list), "power");
  g_assert_cmpstr (json_object_get_string_member (power, "source"), ==, "battery");
  g_assert_true (json_object_get_boolean_member (power, "captures_refused"));
  g_assert_cmpint (json_object_get_int_member (power, "in_flight"), ==, 1);
  /* new captures are refused with the reason (the core logs every 5xx
   * as a warning; that one is expected here) */
  {
    GLogLevelFlags old = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    refused = harness_call (&h, "POST", "/v1/devices/replay-finger0/capture", NULL, &status);
    g_log_set_always_fatal (old);
  }
  g_assert_cmpuint (status, ==, 503);
  g_assert_nonnull (strstr (error_message (refused), "UPS replay-ups0 reports low battery (8 %)"));
  /* ...while the one in flight finishes */
  harness_wait (&inflight, 5000);
  g_assert_cmpuint (inflight.status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (inflight.body, NULL),
                                             (gssize) g_bytes_get_size (inflight.body), NULL));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "width"), ==, 64);
  g_bytes_unref (inflight.body);
  harness_free (&h);
}

static gint
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
test_api_answers_while_scanner_blocks (void)
{
  Harness h = { 0 };
  g_autofree char *conf_dir = NULL;
  Reply scan;
  gint64 worst = 0, median;
  guint answered = 0;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  h.dir = g_dir_make_tmp ("rekam-devices-XXXXXX", NULL);
  h.state = g_build_filename (h.dir, "state", NULL);
  h.socket = g_build_filename (h.dir, "sock", NULL);
  h.config = g_build_filename (h.dir, "rekamd.conf", NULL);
  /* SANE's test backend, 25 ms per read: a 600 dpi page takes about two seconds */
  harness_write (&h, "dll.conf", "test\n");
  harness_write (&h, "test.conf", "number_of_devices 1\nmode Gray\ndepth 8\ntest-picture \"Grid\"\n"
                                  "read-delay true\nread-delay-duration 25000\nbr_x 80.0\nbr_y 100.0\n");
  g_setenv ("SANE_CONFIG_DIR", h.dir, TRUE);
  harness_start (&h, "sane=test:0");
  spin_ms (300);
  harness_send (&h, "POST", "/v1/devices/scanner0/capture", NULL, "{\"dpi\":600}", &scan);
  while (!scan.done)
    {
      Reply r;
      harness_send (&h, "GET", "/v1/devices", NULL, NULL, &r);
      harness_wait (&r, 5000);
      g_assert_cmpuint (r.status, ==, 200);
      g_bytes_unref (r.body);
      worst = MAX (worst, r.elapsed_us);
      g_array_append_val (times, r.elapsed_us);
      answered++;
      spin_ms (50);
    }
  g_assert_cmpuint (scan.status, ==, 200);
  g_bytes_unref (scan.body);
  g_array_sort (times, compare_int64);
  median = g_array_index (times, gint64, times->len / 2);
  g_test_message ("scan took %.1f s; %u list calls answered meanwhile, median %.1f ms, slowest %.1f ms",
                  scan.elapsed_us / 1e6, answered, median / 1e3, worst / 1e3);
  g_assert_cmpint (scan.elapsed_us, >, 1000000); /* the device really held the call */
  g_assert_cmpuint (answered, >=, 5);
  /* A blocked loop would hold every call for the whole scan; allow for a
   * loaded CI machine in the slowest one. */
  g_assert_cmpint (median, <, 200000);
  g_assert_cmpint (worst, <, scan.elapsed_us / 2);
  harness_free (&h);
  g_unsetenv ("SANE_CONFIG_DIR");
}

typedef struct {
  guint    binary;
  guint    text;
  gboolean ack;
  gboolean closed;
} WsLog;

static void
ws_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer user_data)
{
  WsLog *log = user_data;

  if (type == SOUP_WEBSOCKET_DATA_BINARY)
    {
      const guint8 *p = g_bytes_get_data (message, NULL);
      g_assert_cmpuint (g_bytes_get_size (message), >, 2);
      g_assert_true (p[0] == 0xFF && p[1] == 0xD8); /* a JPEG */
      log->binary++;
    }
  else
    log->text++;
  if (log->ack && soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (ws, "ack");
}

/* A WebSocket pair over a socketpair: the daemon's stream code on one
 * end (libsoup server side), the test's client on the other. */
static SoupWebsocketConnection *
ws_pair (RkiDevice *device, WsLog *log, SoupWebsocketConnection **ret_server)
{
  int sv[2];
  g_autoptr(GSocket) a = NULL, b = NULL;
  g_autoptr(GSocketConnection) ca = NULL, cb = NULL;
  g_autoptr(GUri) uri = g_uri_parse ("ws://localhost/v1/devices/x/stream", G_URI_FLAGS_NONE, NULL);
  SoupWebsocketConnection *client;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
  a = g_socket_new_from_fd (sv[0], NULL);
  b = g_socket_new_from_fd (sv[1], NULL);
  ca = g_socket_connection_factory_create_connection (a);
  cb = g_socket_connection_factory_create_connection (b);
  *ret_server = soup_websocket_connection_new (G_IO_STREAM (ca), uri, SOUP_WEBSOCKET_CONNECTION_SERVER, NULL, NULL, NULL);
  client = soup_websocket_connection_new (G_IO_STREAM (cb), uri, SOUP_WEBSOCKET_CONNECTION_CLIENT, NULL, NULL, NULL);
  g_signal_connect (client, "message", G_CALLBACK (ws_message), log);
  rk_device_stream_attach (device, *ret_server);
  return client;
}

static void
test_stream_back_pressure (void)
{
  Harness h = { 0 };
  GString *session = g_string_new ("rekam-session 1\nclass camera\nloop yes\n");
  g_autofree char *conf = NULL;
  WsLog slow = { 0 }, fast = { .ack = TRUE };
  SoupWebsocketConnection *ws_slow, *ws_fast, *srv_slow = NULL, *srv_fast = NULL;
  RkiDevice *camera;
  g_autoptr(JsonNode) list = NULL;
  guint status;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *r = rgb_record (i * 20);
      g_string_append (session, r);
    }
  h.dir = g_dir_make_tmp ("rekam-devices-XXXXXX", NULL);
  h.state = g_build_filename (h.dir, "state", NULL);
  h.socket = g_build_filename (h.dir, "sock", NULL);
  h.config = g_build_filename (h.dir, "rekamd.conf", NULL);
  harness_write (&h, "cam.session", session->str);
  g_string_free (session, TRUE);
  conf = g_strdup_printf ("replay=%s/cam.session", h.dir);
  harness_start (&h, conf);
  spin_ms (50);
  camera = rk_device_manager_lookup (rk_daemon_get_module_data (h.daemon, "devices"), "replay-camera0");
  g_assert_nonnull (camera);
  ws_slow = ws_pair (camera, &slow, &srv_slow);
  ws_fast = ws_pair (camera, &fast, &srv_fast);
  spin_ms (1000);
  /* 50 frames a second for a second: the acknowledging client sees most,
   * the silent one the hello and its window, nothing more */
  g_test_message ("fast client: %u frames %u texts, slow client: %u frames %u texts", fast.binary, fast.text, slow.binary, slow.text);
  g_assert_cmpuint (fast.binary, >=, 20);
  g_assert_cmpuint (slow.text, ==, 1);
  g_assert_cmpuint (slow.binary, ==, 4 - 1 + 1); /* window 4 (the hello was free) */
  list = harness_call (&h, "GET", "/v1/devices", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  soup_websocket_connection_close (ws_slow, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  soup_websocket_connection_close (ws_fast, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  spin_ms (100);
  g_object_unref (ws_slow);
  g_object_unref (ws_fast);
  g_object_unref (srv_slow);
  g_object_unref (srv_fast);
  harness_free (&h);
}

static void
test_replay_and_record_roundtrip (void)
{
  Harness h = { 0 };
  g_autofree char *rec = gray_record (10, 48, 40, TRUE);
  g_autofree char *session = g_strconcat ("rekam-session 1\nclass scanner\nserial S-2\n", rec, NULL);
  g_autoptr(JsonNode) added = NULL;
  Reply recorded;
  guint status;

  harness_start (&h, NULL);
  added = harness_call (&h, "POST", "/v1/devices/replay", NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  {
    Reply r;
    g_autoptr(JsonParser) p = json_parser_new ();
    harness_send (&h, "POST", "/v1/devices/replay", "text/plain", session, &r);
    harness_wait (&r, 5000);
    g_assert_cmpuint (r.status, ==, 201);
    g_assert_true (json_parser_load_from_data (p, g_bytes_get_data (r.body, NULL), (gssize) g_bytes_get_size (r.body), NULL));
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (p)), "id"), ==,
                     "replay-scanner0");
    g_bytes_unref (r.body);
    harness_send (&h, "POST", "/v1/devices/replay", "text/plain", "rekam-session 1\nclass toaster\n", &r);
    harness_wait (&r, 5000);
    g_assert_cmpuint (r.status, ==, 400);
    g_bytes_unref (r.body);
  }
  spin_ms (50);
  harness_send (&h, "POST", "/v1/devices/replay-scanner0/record", NULL, "{\"captures\":2}", &recorded);
  harness_wait (&recorded, 5000);
  g_assert_cmpuint (recorded.status, ==, 200);
  {
    const char *text = g_bytes_get_data (recorded.body, NULL);
    g_autofree char *copy = g_strndup (text, g_bytes_get_size (recorded.body));
    g_assert_true (g_str_has_prefix (copy, "rekam-session 1\nclass scanner\n"));
    g_assert_nonnull (strstr (copy, "serial S-2"));
    g_assert_nonnull (strstr (strstr (copy, " image gray8 48 40 500 ") + 1, " image gray8 48 40 500 "));
  }
  g_bytes_unref (recorded.body);
  harness_free (&h);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/devices/api/list-info-test", test_list_info_test);
  g_test_add_func ("/devices/api/calibration-kept-per-serial", test_calibration_kept_per_serial);
  g_test_add_func ("/devices/api/unplug-mid-capture", test_unplug_mid_capture);
  g_test_add_func ("/devices/api/ups-low-battery", test_ups_low_battery);
  g_test_add_func ("/devices/api/hung-device-times-out", test_hung_device_times_out);
  g_test_add_func ("/devices/api/answers-while-scanner-blocks", test_api_answers_while_scanner_blocks);
  g_test_add_func ("/devices/stream/back-pressure", test_stream_back_pressure);
  g_test_add_func ("/devices/api/replay-and-record", test_replay_and_record_roundtrip);
  return g_test_run ();
}
