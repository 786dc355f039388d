#include "rk-devices-routes.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rk-audit.h"
#include "rk-device-stream.h"
#include "rk-store.h"
#include "rki-camera.h"
#include "rki-finger.h"
#include "rki-scanner.h"
#include "rki-session.h"
#include "rki-signature.h"
#include "rki-slap.h"
#include "rki-smartcard.h"
#include "rki-ups.h"

#define RECORD_MAX_SECONDS 600
#define RECORD_MAX_CAPTURES 100
#define REPLAY_MAX_BYTES (64u * 1024u * 1024u)

/* One API call waiting on a device. */
typedef struct {
  RkApiRequest    *request;
  RkDeviceManager *manager;
  RkiDevice       *device;
  /* record */
  RkiSessionWriter *writer;
  char            *path;
  guint            captures_left;
  guint            timer_id;
  gboolean         holds_stream;
  guint            dpi;
  RkiSlapPosition  position;
} Call;

static Call *
call_new (RkApiRequest *request, RkDeviceManager *manager, RkiDevice *device)
{
  Call *c = g_new0 (Call, 1);

  c->request = rk_api_request_ref (request);
  c->manager = manager;
  c->device = g_object_ref (device);
  rk_device_manager_hold (manager);
  return c;
}

static void
call_free (Call *c)
{
  rk_device_manager_release (c->manager);
  g_clear_handle_id (&c->timer_id, g_source_remove);
  if (c->writer != NULL)
    rki_session_writer_free (c->writer);
  if (c->path != NULL)
    g_unlink (c->path);
  g_free (c->path);
  g_object_unref (c->device);
  rk_api_request_unref (c->request);
  g_free (c);
}

static RkiDevice *
find_device (RkApiRequest *request, RkDeviceManager *manager)
{
  const char *id = rk_api_request_get_param (request, "id");
  RkiDevice *device = rk_device_manager_lookup (manager, id);
  g_autoptr(GError) error = NULL;

  if (device == NULL)
    {
      g_set_error (&error, RK_API_ERROR, RK_API_ERROR_NOT_FOUND, "no device '%s'", id);
      rk_api_request_respond_error (request, error);
    }
  return device;
}

/* ---- GET ---- */

static void
handle_list (RkApiRequest *request, gpointer user_data)
{
  RkDeviceManager *manager = user_data;
  g_autoptr(GPtrArray) list = rk_device_manager_list (manager);
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();
  JsonArray *arr = json_array_new ();

  for (guint i = 0; i < list->len; i++)
    json_array_add_element (arr, rk_device_manager_device_json (manager, g_ptr_array_index (list, i)));
  json_object_set_array_member (obj, "devices", arr);
  json_object_set_member (obj, "power", rk_device_manager_power_json (manager));
  json_node_take_object (root, obj);
  rk_api_request_respond_json (request, 200, root);
}

static void
handle_get (RkApiRequest *request, gpointer user_data)
{
  RkDeviceManager *manager = user_data;
  RkiDevice *device = find_device (request, manager);

  if (device != NULL)
    rk_api_request_respond_json (request, 200, rk_device_manager_device_json (manager, device));
}

/* ---- test ---- */

static void
test_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Call *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) checks = rki_device_test_finish (RKI_DEVICE (source), result, &error);
  g_autoptr(JsonBuilder) b = NULL;
  GVariantIter iter;
  const char *name, *detail;
  gboolean passed, all = TRUE;

  if (checks == NULL)
    {
      rk_api_request_respond_error (c->request, error);
      call_free (c);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, rki_device_get_id (c->device));
  json_builder_set_member_name (b, "checks");
  json_builder_begin_array (b);
  g_variant_iter_init (&iter, checks);
  while (g_variant_iter_next (&iter, "(&sb&s)", &name, &passed, &detail))
    {
      all = all && passed;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "passed");
      json_builder_add_boolean_value (b, passed);
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, detail);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "passed");
  json_builder_add_boolean_value (b, all);
  json_builder_end_object (b);
  rk_api_request_respond_builder (c->request, 200, b);
  call_free (c);
}

static void
handle_test (RkApiRequest *request, gpointer user_data)
{
  RkDeviceManager *manager = user_data;
  RkiDevice *device = find_device (request, manager);
  g_autoptr(GError) error = NULL;

  if (device == NULL)
    return;
  if (!rk_device_manager_may_capture (manager, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  rki_device_test (device, rk_api_request_get_cancellable (request), test_cb,
                   call_new (request, manager, device));
}

/* ---- calibrate ---- */

static void
calibrate_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Call *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) cal = rki_device_calibrate_finish (RKI_DEVICE (source), result, &error);
  g_autoptr(JsonBuilder) b = NULL;

  if (cal == NULL ||
      !rk_device_manager_save_calibration (c->manager, c->device, rk_api_request_get_actor (c->request), cal,
                                           &error))
    {
      rk_api_request_respond_error (c->request, error);
      call_free (c);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, rki_device_get_id (c->device));
  json_builder_set_member_name (b, "serial");
  json_builder_add_string_value (b, rki_device_get_serial (c->device));
  json_builder_set_member_name (b, "calibration");
  json_builder_add_value (b, json_gvariant_serialize (cal));
  json_builder_end_object (b);
  rk_api_request_respond_builder (c->request, 200, b);
  call_free (c);
}

static void
handle_calibrate (RkApiRequest *request, gpointer user_data)
{
  RkDeviceManager *manager = user_data;
  RkiDevice *device = find_device (request, manager);
  g_autoptr(GError) error = NULL;

  if (device == NULL)
    return;
  if (!rk_device_manager_may_capture (manager, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  rki_device_calibrate (device, rk_api_request_get_cancellable (request), calibrate_cb,
                        call_new (request, manager, device));
}

/* ---- capture ---- */

static void
respond_image (Call *c, RkiImage *image)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (rki_image_get_bytes (image), &len);
  g_autofree char *header = NULL;
  g_autofree char *b64 = NULL;
  RkiPixelFormat fmt = rki_image_get_format (image);

  /* Raw images go out as binary PNM (lossless, trivially decoded by the
   * capture pipelines); JPEG as it came. */
  if (fmt == RKI_PIXEL_GRAY8 || fmt == RKI_PIXEL_RGB24)
    {
      GString *pnm = g_string_new (NULL);
      g_string_printf (pnm, "P%c\n%u %u\n255\n", fmt == RKI_PIXEL_GRAY8 ? '5' : '6',
                       rki_image_get_width (image), rki_image_get_height (image));
      g_string_append_len (pnm, (const char *) data, (gssize) len);
      b64 = g_base64_encode ((const guchar *) pnm->str, pnm->len);
      g_string_free (pnm, TRUE);
    }
  else
    b64 = g_base64_encode (data, len);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, rki_device_get_id (c->device));
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, fmt == RKI_PIXEL_GRAY8 ? "pgm" : fmt == RKI_PIXEL_RGB24 ? "ppm"
                                    : fmt == RKI_PIXEL_JPEG ? "jpeg" : "yuyv");
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, rki_image_get_width (image));
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, rki_image_get_height (image));
  json_builder_set_member_name (b, "ppi");
  json_builder_add_int_value (b, rki_image_get_ppi (image));
  json_builder_set_member_name (b, "image");
  json_builder_add_string_value (b, b64);
  json_builder_end_object (b);
  rk_api_request_respond_builder (c->request, 200, b);
}

static RkiImage *
finish_any_capture (RkiDevice *device, GAsyncResult *result, GError **error)
{
  if (RKI_IS_FINGER (device))
    return rki_finger_capture_finish (RKI_FINGER (device), result, error);
  if (RKI_IS_SLAP (device))
    return rki_slap_capture_finish (RKI_SLAP (device), result, error);
  if (RKI_IS_SCANNER (device))
    return rki_scanner_scan_finish (RKI_SCANNER (device), result, error);
  return rki_camera_capture_finish (RKI_CAMERA (device), result, error);
}

static void
capture_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Call *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RkiImage) image = finish_any_capture (RKI_DEVICE (source), result, &error);

  if (image == NULL)
    rk_api_request_respond_error (c->request, error);
  else
    {
      rk_device_stream_publish_image (c->device, image);
      respond_image (c, image);
    }
  call_free (c);
}

/* Starts one capture on any image class; FALSE (with @error) for classes
 * that do not capture images. */
static gboolean
start_capture (Call *c, GAsyncReadyCallback callback, GError **error)
{
  GCancellable *cancellable = rk_api_request_get_cancellable (c->request);

  if (RKI_IS_FINGER (c->device))
    rki_finger_capture (RKI_FINGER (c->device), cancellable, callback, c);
  else if (RKI_IS_SLAP (c->device))
    rki_slap_capture (RKI_SLAP (c->device), c->position, cancellable, callback, c);
  else if (RKI_IS_SCANNER (c->device))
    rki_scanner_scan (RKI_SCANNER (c->device), c->dpi, cancellable, callback, c);
  else if (RKI_IS_CAMERA (c->device))
    rki_camera_capture (RKI_CAMERA (c->device), cancellable, callback, c);
  else
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                   "device %s is a %s: it does not capture images", rki_device_get_id (c->device),
                   rki_device_get_class_name (c->device));
      return FALSE;
    }
  return TRUE;
}

static const RkJsonField capture_fields[] = {
  { "position", RK_JSON_STRING, FALSE, FALSE },
  { "dpi", RK_JSON_INT, FALSE, FALSE },
  { NULL }
};

/* Reads the optional capture options into @c; FALSE after responding. */
static gboolean
read_capture_options (RkApiRequest *request, Call *c)
{
  g_autoptr(GError) error = NULL;
  JsonObject *obj = rk_api_request_get_json (request, capture_fields, &error);
  const char *position;
  gint64 dpi;

  if (obj == NULL)
    {
      rk_api_request_respond_error (request, error);
      return FALSE;
    }
  position = rk_json_get_string (obj, "position");
  c->position = RKI_SLAP_RIGHT_FOUR;
  if (position != NULL && !rki_slap_position_from_string (position, &c->position))
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "position",
                              "position must be left-four, right-four or thumbs");
      rk_api_request_respond_error (request, error);
      return FALSE;
    }
  dpi = rk_json_get_int (obj, "dpi", 0);
  if (dpi < 0 || dpi > 4800)
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "dpi", "dpi must be 0..4800");
      rk_api_request_respond_error (request, error);
      return FALSE;
    }
  c->dpi = (guint) dpi;
  return TRUE;
}

static void
handle_capture (RkApiRequest *request, gpointer user_data)
{
  RkDeviceManager *manager = user_data;
  RkiDevice *device = find_device (request, manager);
  g_autoptr(GError) error = NULL;
  Call *c;

  if (device == NULL)
    return;
  if (!rk_device_manager_may_capture (manager, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  c = call_new (request, manager, device);
  if (!read_capture_options (request, c))
    {
      call_free (c);
      return;
    }
  if (!start_capture (c, capture_cb, &error))
    {
      rk_api_request_respond_error (request, error);
      call_free (c);
    }
}

/* ---- apdu ---- */

static void
apdu_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Call *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) rsp = rki_smartcard_transmit_finish (RKI_SMARTCARD (source), result, &error);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *hex = NULL;

  if (rsp == NULL)
    {
      rk_api_request_respond_error (c->request, error);
      call_free (c);
      return;
    }
  hex = rki_hex_encode (rsp);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "response");
  json_builder_add_string_value (b, hex);
  json_builder_set_member_name (b, "sw");
  json_builder_add_string_value (b, hex + strlen (hex) - 4);
  json_builder_end_object (b);
  rk_api_request_respond_builder (c->request, 200, b);
  call_free (c);
}

static const RkJsonField apdu_fields[] = {
  { "apdu", RK_JSON_STRING, TRUE, FALSE },
  { NULL }
};

static void
handle_apdu (RkApiRequest *request, gpointer user_data)
{
  RkDeviceManager *manager = user_data;
  RkiDevice *device = find_device (request, manager);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) apdu = NULL;
  JsonObject *obj;

  if (device == NULL)
    return;
  if ((obj = rk_api_request_get_json (request, apdu_fields, &error)) == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  if (!RKI_IS_SMARTCARD (device))
    {
      g_set_error (&error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                   "device %s is not a smartcard reader", rki_device_get_id (device));
      rk_api_request_respond_error (request, error);
      return;
    }
  apdu = rki_hex_decode (rk_json_get_string (obj, "apdu"), &error);
  if (apdu == NULL)
    {
      rk_api_request_respond_error_field (request, error, "apdu");
      return;
    }
  rki_smartcard_transmit (RKI_SMARTCARD (device), apdu, rk_api_request_get_cancellable (request), apdu_cb,
                          call_new (request, manager, device));
}

/* ---- record ---- */

static void
record_finish (Call *c, GError *error)
{
  g_autoptr(GError) owned = error;
  g_autofree char *text = NULL;
  gsize len = 0;

  g_clear_handle_id (&c->timer_id, g_source_remove);
  if (c->holds_stream)
    {
      if (RKI_IS_CAMERA (c->device))
        rki_camera_stop_stream (RKI_CAMERA (c->device));
      else if (RKI_IS_SIGNATURE (c->device))
        rki_signature_stop_stream (RKI_SIGNATURE (c->device));
      c->holds_stream = FALSE;
    }
  g_signal_handlers_disconnect_by_data (c->device, c);
  if (owned == NULL)
    (void) rki_session_writer_close (c->writer, &owned);
  if (owned == NULL)
    (void) g_file_get_contents (c->path, &text, &len, &owned);
  if (owned != NULL)
    rk_api_request_respond_error (c->request, owned);
  else
    {
      g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&text), len);
      rk_api_request_respond_bytes (c->request, 200, "text/plain", body);
    }
  call_free (c);
}

static void
record_frame (RkiCamera *camera, RkiImage *frame, gpointer user_data)
{
  Call *c = user_data;
  g_autoptr(GError) error = NULL;

  if (!rki_session_writer_add_image (c->writer, frame, &error))
    g_warning ("recording %s: %s", rki_device_get_id (c->device), error->message);
}

static void
record_pen (RkiSignature *pad, double x, double y, double p, gboolean touch, gint64 t, gpointer user_data)
{
  Call *c = user_data;
  g_autofree char *line = NULL;

  /* normalised samples are stored in a 0..10000 raw range */
  line = g_strdup_printf ("pen %d %d %d %d", (int) (x * 10000), (int) (y * 10000), (int) (p * 1023), touch);
  (void) rki_session_writer_add_line (c->writer, line, NULL);
}

static void
record_card (RkiSmartcard *card, gboolean present, GBytes *atr, gpointer user_data)
{
  Call *c = user_data;
  g_autofree char *hex = atr ? rki_hex_encode (atr) : NULL;
  g_autofree char *line = present && hex && *hex ? g_strdup_printf ("card-insert %s", hex)
                                                  : g_strdup ("card-remove");
  (void) rki_session_writer_add_line (c->writer, line, NULL);
}

static void
record_ups (RkiUps *ups, const RkiUpsStatus *st, gpointer user_data)
{
  Call *c = user_data;
  g_autofree char *words = g_strdelimit (g_strdup (st->status), " ", ',');
  g_autofree char *line = g_strdup_printf ("ups %s %d %d", *words ? words : "OL", st->charge, st->runtime);
  (void) rki_session_writer_add_line (c->writer, line, NULL);
}

static void
record_removed (RkiDevice *device, gpointer user_data)
{
  Call *c = user_data;
  (void) rki_session_writer_add_line (c->writer, "unplug", NULL);
}

static gboolean
record_timeout (gpointer user_data)
{
  Call *c = user_data;

  c->timer_id = 0;
  record_finish (c, NULL);
  return G_SOURCE_REMOVE;
}

static void
record_capture_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Call *c = user_data;
  GError *error = NULL;
  g_autoptr(RkiImage) image = finish_any_capture (RKI_DEVICE (source), result, &error);

  if (image == NULL || !rki_session_writer_add_image (c->writer, image, &error))
    {
      record_finish (c, error);
      return;
    }
  if (--c->captures_left == 0 || !start_capture (c, record_capture_cb, &error))
    record_finish (c, error);
}

static const RkJsonField record_fields[] = {
  { "seconds", RK_JSON_INT, FALSE, FALSE },
  { "captures", RK_JSON_INT, FALSE, FALSE },
  { NULL }
};

static void
handle_record (RkApiRequest *request, gpointer user_data)
{
  RkDeviceManager *manager = user_data;
  RkiDevice *device = find_device (request, manager);
  g_autoptr(GError) error = NULL;
  JsonObject *obj;
  gint64 seconds, captures;
  Call *c;
  g_autofree char *name = NULL;

  if (device == NULL)
    return;
  if ((obj = rk_api_request_get_json (request, record_fields, &error)) == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  seconds = rk_json_get_int (obj, "seconds", 5);
  captures = rk_json_get_int (obj, "captures", 1);
  if (seconds < 1 || seconds > RECORD_MAX_SECONDS)
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "seconds", "seconds must be 1..%d",
                              RECORD_MAX_SECONDS);
      rk_api_request_respond_error (request, error);
      return;
    }
  if (captures < 1 || captures > RECORD_MAX_CAPTURES)
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "captures", "captures must be 1..%d",
                              RECORD_MAX_CAPTURES);
      rk_api_request_respond_error (request, error);
      return;
    }
  c = call_new (request, manager, device);
  name = g_strdup_printf ("record-%s-%" G_GINT64_FORMAT ".session", rki_device_get_id (device),
                          g_get_monotonic_time ());
  c->path = g_build_filename (rk_daemon_get_state_dir (rk_api_request_get_daemon (request)), name, NULL);
  c->writer = rki_session_writer_new (c->path, rki_device_get_class_name (device), rki_device_get_label (device),
                                      rki_device_get_serial (device), &error);
  if (c->writer == NULL)
    {
      rk_api_request_respond_error (request, error);
      call_free (c);
      return;
    }
  g_signal_connect (device, "removed", G_CALLBACK (record_removed), c);
  if (RKI_IS_FINGER (device) || RKI_IS_SLAP (device) || RKI_IS_SCANNER (device))
    {
      c->captures_left = (guint) captures;
      if (!start_capture (c, record_capture_cb, &error))
        record_finish (c, g_steal_pointer (&error));
      return;
    }
  if (RKI_IS_CAMERA (device))
    {
      g_signal_connect (device, "frame", G_CALLBACK (record_frame), c);
      c->holds_stream = rki_camera_start_stream (RKI_CAMERA (device), &error);
    }
  else if (RKI_IS_SIGNATURE (device))
    {
      /* samples are recorded normalised, scaled to this range */
      (void) rki_session_writer_add_header (c->writer, "ranges 10000 10000 1023", NULL);
      g_signal_connect (device, "pen", G_CALLBACK (record_pen), c);
      c->holds_stream = rki_signature_start_stream (RKI_SIGNATURE (device), &error);
    }
  else if (RKI_IS_SMARTCARD (device))
    g_signal_connect (device, "card-changed", G_CALLBACK (record_card), c);
  else if (RKI_IS_UPS (device))
    g_signal_connect (device, "status-changed", G_CALLBACK (record_ups), c);
  if (error != NULL)
    {
      record_finish (c, g_steal_pointer (&error));
      return;
    }
  c->timer_id = g_timeout_add_seconds ((guint) seconds, record_timeout, c);
}

/* ---- replay ---- */

static void
handle_replay (RkApiRequest *request, gpointer user_data)
{
  RkDeviceManager *manager = user_data;
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  GBytes *body = rk_api_request_get_body (request);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (rk_daemon_get_state_dir (daemon), "replay", NULL);
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT ".session", g_get_real_time ());
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *detail = NULL;
  RkStore *store = rk_daemon_get_store (daemon);
  RkiDevice *device;

  if (g_bytes_get_size (body) == 0)
    {
      g_set_error (&error, RK_API_ERROR, RK_API_ERROR_BAD_REQUEST, "send the session file as the body");
      rk_api_request_respond_error (request, error);
      return;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (path, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error))
    {
      if (error == NULL)
        g_set_error (&error, RK_API_ERROR, RK_API_ERROR_FAILED, "cannot create %s", dir);
      rk_api_request_respond_error (request, error);
      return;
    }
  device = rk_device_manager_add_replay (manager, path, &error);
  if (device == NULL)
    {
      g_unlink (path);
      rk_api_request_respond_error (request, error);
      return;
    }
  detail = g_strdup_printf ("{\"class\":\"%s\"}", rki_device_get_class_name (device));
  if (!rk_store_begin (store, &error) ||
      rk_audit_append (store, rk_api_request_get_actor (request), "device.replay", rki_device_get_id (device),
                       detail, &error) < 0 ||
      !rk_store_commit (store, &error))
    {
      rk_store_rollback (store);
      rk_api_request_respond_error (request, error);
      return;
    }
  rk_api_request_respond_json (request, 201, rk_device_manager_device_json (manager, device));
}

void
rk_devices_add_routes (RkApi *api, RkDeviceManager *manager)
{
  RkApiRoute *route;

  rk_api_add_route (api, "GET", "/v1/devices", RK_ROLE_ANY, handle_list, manager);
  rk_api_add_route (api, "GET", "/v1/devices/{id}", RK_ROLE_ANY, handle_get, manager);
  rk_api_add_route (api, "POST", "/v1/devices/{id}/test", RK_ROLE_TECHNICIAN, handle_test, manager);
  rk_api_add_route (api, "POST", "/v1/devices/{id}/calibrate", RK_ROLE_TECHNICIAN, handle_calibrate, manager);
  rk_api_add_route (api, "POST", "/v1/devices/{id}/capture", RK_ROLE_OPERATOR | RK_ROLE_TECHNICIAN,
                    handle_capture, manager);
  rk_api_add_route (api, "POST", "/v1/devices/{id}/apdu", RK_ROLE_OPERATOR | RK_ROLE_TECHNICIAN,
                    handle_apdu, manager);
  rk_api_add_route (api, "POST", "/v1/devices/{id}/record", RK_ROLE_TECHNICIAN, handle_record, manager);
  route = rk_api_add_route (api, "POST", "/v1/devices/replay", RK_ROLE_TECHNICIAN, handle_replay, manager);
  rk_api_route_set_max_body (route, REPLAY_MAX_BYTES);
  rk_api_route_set_content_types (route, "text/plain", "application/octet-stream", NULL);
  rk_api_add_websocket (api, "/v1/devices/{id}/stream", RK_ROLE_ANY, rk_device_stream_accept, manager);
}
