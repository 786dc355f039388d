#include "rk-device-stream.h"

#include <turbojpeg.h>

#include "rki-camera.h"
#include "rki-finger.h"
#include "rki-signature.h"
#include "rki-smartcard.h"
#include "rki-ups.h"

typedef struct {
  RkiDevice               *device;
  SoupWebsocketConnection *ws;
  guint                    credit;   /* messages the client may still receive */
  guint64                  sent;
  guint64                  dropped;
  gboolean                 holds_stream; /* started the camera/pad stream */
} Stream;

static GList *streams; /* Stream*, main loop only */

GBytes *
rk_device_stream_encode_jpeg (RkiImage *image)
{
  tjhandle tj;
  unsigned char *jpeg = NULL;
  unsigned long size = 0;
  gsize len = 0;
  const guint8 *src = g_bytes_get_data (rki_image_get_bytes (image), &len);
  g_autofree guint8 *luma = NULL;
  int w = (int) rki_image_get_width (image), h = (int) rki_image_get_height (image);
  int pf, samp, rc;
  GBytes *out;

  switch (rki_image_get_format (image))
    {
    case RKI_PIXEL_JPEG:
      return g_bytes_ref (rki_image_get_bytes (image));
    case RKI_PIXEL_RGB24:
      pf = TJPF_RGB, samp = TJSAMP_420;
      break;
    case RKI_PIXEL_YUYV:
      /* preview in grey: the luma bytes */
      luma = g_malloc ((gsize) w * h);
      for (gsize i = 0; i < (gsize) w * h; i++)
        luma[i] = src[2 * i];
      src = luma;
      pf = TJPF_GRAY, samp = TJSAMP_GRAY;
      break;
    default:
      pf = TJPF_GRAY, samp = TJSAMP_GRAY;
    }
  tj = tjInitCompress ();
  if (tj == NULL)
    return NULL;
  rc = tjCompress2 (tj, src, w, 0, h, pf, &jpeg, &size, samp, 80, TJFLAG_FASTDCT);
  tjDestroy (tj);
  if (rc != 0)
    {
      tjFree (jpeg);
      return NULL;
    }
  out = g_bytes_new (jpeg, size);
  tjFree (jpeg);
  return out;
}

/* Spends one credit, or counts a drop. */
static gboolean
take_credit (Stream *s)
{
  if (soup_websocket_connection_get_state (s->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return FALSE;
  if (s->credit == 0)
    {
      s->dropped++;
      return FALSE;
    }
  s->credit--;
  s->sent++;
  return TRUE;
}

static void
send_image (Stream *s, RkiImage *image)
{
  g_autoptr(GBytes) jpeg = NULL;
  gsize len = 0;
  const guint8 *p;

  if (!take_credit (s))
    return;
  jpeg = rk_device_stream_encode_jpeg (image);
  if (jpeg == NULL)
    return;
  p = g_bytes_get_data (jpeg, &len);
  soup_websocket_connection_send_binary (s->ws, p, len);
}

/* Sends @obj (taken) with the drop count. */
static void
send_event (Stream *s, JsonObject *obj)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_take_object (node, obj);
  if (!take_credit (s))
    return;
  json_object_set_int_member (obj, "dropped", (gint64) s->dropped);
  text = json_to_string (node, FALSE);
  soup_websocket_connection_send_text (s->ws, text);
}

static JsonObject *
event_new (const char *type)
{
  JsonObject *obj = json_object_new ();
  json_object_set_string_member (obj, "type", type);
  return obj;
}

static void
on_frame (RkiCamera *camera, RkiImage *frame, gpointer user_data)
{
  send_image (user_data, frame);
}

static void
on_pen (RkiSignature *pad, double x, double y, double p, gboolean touch, gint64 t, gpointer user_data)
{
  JsonObject *obj = event_new ("pen");

  json_object_set_double_member (obj, "x", x);
  json_object_set_double_member (obj, "y", y);
  json_object_set_double_member (obj, "pressure", p);
  json_object_set_boolean_member (obj, "touch", touch);
  json_object_set_int_member (obj, "t_us", t);
  send_event (user_data, obj);
}

static void
on_card (RkiSmartcard *card, gboolean present, GBytes *atr, gpointer user_data)
{
  JsonObject *obj = event_new ("card");

  json_object_set_boolean_member (obj, "present", present);
  send_event (user_data, obj);
}

static void
on_ups (RkiUps *ups, const RkiUpsStatus *st, gpointer user_data)
{
  JsonObject *obj = event_new ("ups");

  json_object_set_string_member (obj, "status", st->status);
  json_object_set_boolean_member (obj, "on_battery", st->on_battery);
  json_object_set_boolean_member (obj, "low_battery", st->low_battery);
  json_object_set_int_member (obj, "charge", st->charge);
  send_event (user_data, obj);
}

static void
on_awaiting (RkiFinger *finger, gpointer user_data)
{
  send_event (user_data, event_new ("awaiting-finger"));
}

static void
on_removed (RkiDevice *device, gpointer user_data)
{
  Stream *s = user_data;
  JsonObject *obj = event_new ("removed");

  json_object_set_string_member (obj, "device", rki_device_get_id (device));
  s->credit = MAX (s->credit, 1); /* always tell */
  send_event (s, obj);
  soup_websocket_connection_close (s->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "device unplugged");
}

static void
on_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer user_data)
{
  Stream *s = user_data;

  /* any message acknowledges one we sent */
  if (s->credit < RK_DEVICE_STREAM_WINDOW)
    s->credit++;
}

static void
stream_free (Stream *s)
{
  g_signal_handlers_disconnect_by_data (s->device, s);
  g_signal_handlers_disconnect_by_data (s->ws, s);
  if (s->holds_stream)
    {
      if (RKI_IS_CAMERA (s->device))
        rki_camera_stop_stream (RKI_CAMERA (s->device));
      else if (RKI_IS_SIGNATURE (s->device))
        rki_signature_stop_stream (RKI_SIGNATURE (s->device));
    }
  g_object_unref (s->device);
  g_object_unref (s->ws);
  g_free (s);
}

static void
on_closed (SoupWebsocketConnection *ws, gpointer user_data)
{
  Stream *s = user_data;

  streams = g_list_remove (streams, s);
  stream_free (s);
}

void
rk_device_stream_attach (RkiDevice *device, SoupWebsocketConnection *connection)
{
  g_autoptr(GError) error = NULL;
  JsonObject *hello;
  Stream *s;

  s = g_new0 (Stream, 1);
  s->device = g_object_ref (device);
  s->ws = g_object_ref (connection);
  s->credit = RK_DEVICE_STREAM_WINDOW;
  g_signal_connect (connection, "message", G_CALLBACK (on_message), s);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), s);
  g_signal_connect (device, "removed", G_CALLBACK (on_removed), s);
  if (RKI_IS_CAMERA (device))
    {
      g_signal_connect (device, "frame", G_CALLBACK (on_frame), s);
      s->holds_stream = rki_camera_start_stream (RKI_CAMERA (device), &error);
    }
  else if (RKI_IS_SIGNATURE (device))
    {
      g_signal_connect (device, "pen", G_CALLBACK (on_pen), s);
      s->holds_stream = rki_signature_start_stream (RKI_SIGNATURE (device), &error);
    }
  else if (RKI_IS_SMARTCARD (device))
    g_signal_connect (device, "card-changed", G_CALLBACK (on_card), s);
  else if (RKI_IS_UPS (device))
    g_signal_connect (device, "status-changed", G_CALLBACK (on_ups), s);
  else if (RKI_IS_FINGER (device))
    g_signal_connect (device, "awaiting-finger", G_CALLBACK (on_awaiting), s);
  streams = g_list_prepend (streams, s);

  hello = event_new ("hello");
  json_object_set_string_member (hello, "device", rki_device_get_id (device));
  json_object_set_string_member (hello, "class", rki_device_get_class_name (device));
  json_object_set_int_member (hello, "window", RK_DEVICE_STREAM_WINDOW);
  if (error != NULL)
    json_object_set_string_member (hello, "error", error->message);
  s->credit++; /* the hello is free */
  send_event (s, hello);
}

void
rk_device_stream_accept (RkApiRequest *request, SoupWebsocketConnection *connection, gpointer user_data)
{
  RkDeviceManager *manager = user_data;
  RkiDevice *device = rk_device_manager_lookup (manager, rk_api_request_get_param (request, "id"));

  if (device == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "no such device");
      return;
    }
  rk_device_stream_attach (device, connection);
}

void
rk_device_stream_publish_image (RkiDevice *device, RkiImage *image)
{
  for (GList *l = streams; l != NULL; l = l->next)
    {
      Stream *s = l->data;
      if (s->device == device)
        send_image (s, image);
    }
}

void
rk_device_stream_close_all (void)
{
  while (streams != NULL)
    {
      Stream *s = streams->data;
      streams = g_list_delete_link (streams, streams);
      g_signal_handlers_disconnect_by_data (s->ws, s);
      if (soup_websocket_connection_get_state (s->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (s->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "rekamd stopping");
      stream_free (s);
    }
}
