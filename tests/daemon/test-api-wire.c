/* The router over a real TCP socket with libsoup's client: async handlers
 * (respond later from a GTask), a websocket route (roles checked before the
 * handshake, then messages flow), and a client that goes away mid-request. */
#include <string.h>

#include "rk-api-private.h"

typedef struct {
  RkApi      *api;
  GMainLoop  *loop;
  SoupSession *session;
  char       *base;
  RkRole      role;          /* what the authenticate hook grants */
  int         ws_opened;
  char       *ws_received;
} Fixture;

static RkActor *
authenticate (RkApi *api, SoupServerMessage *msg, RkDoor door, gpointer user_data,
              GError **error)
{
  Fixture *f = user_data;
  const char *token = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  if (token == NULL)
    {
      g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED, "no token");
      return NULL;
    }
  return rk_actor_new (1, "tester", f->role, door, -1);
}

/* Async: answer from a worker thread's completion, on the loop. */
static void
slow_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_usleep (50 * 1000);
  g_task_return_int (task, 42);
}

static void
slow_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RkApiRequest) request = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gssize value = g_task_propagate_int (G_TASK (result), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "answer");
  json_builder_add_int_value (builder, value);
  json_builder_end_object (builder);
  rk_api_request_respond_builder (request, 200, builder);
}

static void
slow_handler (RkApiRequest *request, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, rk_api_request_get_cancellable (request), slow_done,
                                      rk_api_request_ref (request));
  g_task_run_in_thread (task, slow_thread);
}

static void
echo_message (SoupWebsocketConnection *connection, gint type, GBytes *message, gpointer user_data)
{
  Fixture *f = user_data;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  g_free (f->ws_received);
  f->ws_received = g_strndup (data, len);
  g_main_loop_quit (f->loop);
}

/* Server side: answer each client message with who and what it is for. */
static void
server_message (SoupWebsocketConnection *connection, gint type, GBytes *message,
                gpointer user_data)
{
  const char *prefix = user_data;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);
  g_autofree char *reply = g_strdup_printf ("%s: %.*s", prefix, (int) len, data);

  soup_websocket_connection_send_text (connection, reply);
}

static void
free_prefix (gpointer data, GClosure *closure)
{
  g_free (data);
}

static void
stream_opened (RkApiRequest *request, SoupWebsocketConnection *connection, gpointer user_data)
{
  Fixture *f = user_data;
  char *prefix = g_strdup_printf ("device %s for %s", rk_api_request_get_param (request, "id"),
                                  rk_api_request_get_actor (request)->username);

  f->ws_opened++;
  g_signal_connect_data (connection, "message", G_CALLBACK (server_message), prefix,
                         free_prefix, 0);
  g_object_set_data_full (G_OBJECT (f->session), "server-ws", g_object_ref (connection),
                          g_object_unref);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->loop = g_main_loop_new (NULL, FALSE);
  f->api = rk_api_new (NULL, 4096);
  f->role = RK_ROLE_OPERATOR;
  rk_api_set_authenticate (f->api, authenticate, f);
  rk_api_add_route (f->api, "GET", "/v1/slow", RK_ROLE_OPERATOR, slow_handler, f);
  rk_api_add_websocket (f->api, "/v1/devices/{id}/stream", RK_ROLE_OPERATOR, stream_opened, f);
  g_assert_true (rk_api_listen_tcp (f->api, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", rk_api_get_port (f->api));
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  rk_api_free (f->api);
  g_main_loop_unref (f->loop);
  g_free (f->base);
  g_free (f->ws_received);
}

typedef struct {
  Fixture *f;
  guint    status;
  GBytes  *body;
} Reply;

static void
send_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reply *reply = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  reply->status = soup_message_get_status (msg);
  g_main_loop_quit (reply->f->loop);
}

static void
test_async_handler (Fixture *f, gconstpointer data)
{
  g_autofree char *uri = g_strconcat (f->base, "/v1/slow", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  Reply reply = { f, 0, NULL };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "x");
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done, &reply);
  g_main_loop_run (f->loop);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (reply.body, NULL), "\"answer\":42"));
  g_bytes_unref (reply.body);
}

static void
test_async_client_gone (Fixture *f, gconstpointer data)
{
  g_autofree char *uri = g_strconcat (f->base, "/v1/slow", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  Reply reply = { f, 0, NULL };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "x");
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, cancel, send_done,
                                    &reply);
  /* Give the server the request, then hang up before the worker answers. */
  g_timeout_add_once (10, (GSourceOnceFunc) g_cancellable_cancel, cancel);
  g_main_loop_run (f->loop);
  g_assert_null (reply.body);
  /* Let the worker finish and respond into the void: must not crash. */
  {
    g_autoptr(GMainLoop) wait = g_main_loop_new (NULL, FALSE);
    g_timeout_add_once (200, (GSourceOnceFunc) g_main_loop_quit, wait);
    g_main_loop_run (wait);
  }
}

static void
ws_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection == NULL)
    {
      g_free (f->ws_received);
      f->ws_received = g_strdup_printf ("refused: %s", error->message);
      g_main_loop_quit (f->loop);
      return;
    }
  g_signal_connect (connection, "message", G_CALLBACK (echo_message), f);
  /* The client speaks first: a frame the server sent before this handler
   * was connected would be lost. */
  soup_websocket_connection_send_text (connection, "hello");
  g_object_set_data_full (G_OBJECT (f->session), "client-ws", connection, g_object_unref);
}

static void
test_websocket (Fixture *f, gconstpointer data)
{
  g_autofree char *uri = g_strconcat (f->base, "/v1/devices/finger0/stream", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "x");
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected, f);
  g_main_loop_run (f->loop);
  g_assert_cmpint (f->ws_opened, ==, 1);
  g_assert_cmpstr (f->ws_received, ==, "device finger0 for tester: hello");
}

static void
test_websocket_wrong_role (Fixture *f, gconstpointer data)
{
  g_autofree char *uri = g_strconcat (f->base, "/v1/devices/finger0/stream", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  f->role = RK_ROLE_TECHNICIAN;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "x");
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected, f);
  g_main_loop_run (f->loop);
  g_assert_cmpint (f->ws_opened, ==, 0);
  g_assert_true (g_str_has_prefix (f->ws_received, "refused"));
  g_assert_cmpuint (soup_message_get_status (msg), ==, 403);
}

static void
test_websocket_unauthenticated (Fixture *f, gconstpointer data)
{
  g_autofree char *uri = g_strconcat (f->base, "/v1/devices/finger0/stream", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected, f);
  g_main_loop_run (f->loop);
  g_assert_cmpint (f->ws_opened, ==, 0);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/api/wire/async-handler", test_async_handler);
  ADD ("/api/wire/async-client-gone", test_async_client_gone);
  ADD ("/api/wire/websocket", test_websocket);
  ADD ("/api/wire/websocket-wrong-role", test_websocket_wrong_role);
  ADD ("/api/wire/websocket-unauthenticated", test_websocket_unauthenticated);
  return g_test_run ();
}
