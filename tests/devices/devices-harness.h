/* A rekamd with the devices module, in this process, and an HTTP client
 * on its unix socket (root's peer credentials: every role). */
#pragma once

#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rk-daemon.h"
#include "rk-module.h"

extern const RkModule rk_module_devices;

typedef struct {
  char        *dir;
  char        *state;
  char        *socket;
  char        *config;
  RkDaemon    *daemon;
  SoupSession *http;
  SoupSession *tcp;   /* the kiosk's door, with a session (demo accounts) */
  char        *token;
  gboolean     demo;
} Harness;

static inline void
harness_write (Harness *h, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (h->dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* Starts rekamd with [devices] @devices_conf (the lines after the group). */
static inline void
harness_start (Harness *h, const char *devices_conf)
{
  static const RkModule *const modules[] = { &rk_module_devices, NULL };
  g_autoptr(GError) error = NULL;
  /* the real stacks stay off unless a test names them */
  g_autofree char *conf = g_strdup_printf ("[devices]\n%s%s\n",
                                           devices_conf && strstr (devices_conf, "udev=") ? ""
                                             : "udev=false\nfprint=false\npcsc=false\n",
                                           devices_conf ? devices_conf : "");
  g_autoptr(GSocketAddress) addr = NULL;
  RkDaemonOptions options = { 0 };

  if (h->dir == NULL)
    {
      h->dir = g_dir_make_tmp ("rekam-devices-XXXXXX", NULL);
      h->state = g_build_filename (h->dir, "state", NULL);
      h->socket = g_build_filename (h->dir, "sock", NULL);
      h->config = g_build_filename (h->dir, "rekamd.conf", NULL);
    }
  g_assert_true (g_file_set_contents (h->config, conf, -1, NULL));
  options.config_path = h->config;
  options.state_dir = h->state;
  options.socket_path = h->socket;
  options.port = 0;
  options.modules = modules;
  options.demo = h->demo;
  h->daemon = rk_daemon_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (rk_daemon_start (h->daemon, &error));
  g_assert_no_error (error);
  addr = g_unix_socket_address_new (h->socket);
  h->http = soup_session_new_with_options ("remote-connectable", addr, NULL);
}

static inline void
harness_stop (Harness *h)
{
  g_clear_object (&h->http);
  g_clear_object (&h->tcp);
  g_clear_pointer (&h->token, g_free);
  if (h->daemon != NULL)
    {
      rk_daemon_stop (h->daemon);
      g_clear_pointer (&h->daemon, rk_daemon_free);
    }
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static inline void
remove_tree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (path, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (path);
}

static inline void
harness_free (Harness *h)
{
  harness_stop (h);
  if (h->dir != NULL)
    remove_tree (h->dir);
  g_free (h->dir);
  g_free (h->state);
  g_free (h->socket);
  g_free (h->config);
}

typedef struct {
  gboolean done;
  guint    status;
  GBytes  *body;
  gint64   elapsed_us;
  gint64   started;
} Reply;

static inline void
reply_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reply *r = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;

  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->elapsed_us = g_get_monotonic_time () - r->started;
  r->done = TRUE;
}

/* Starts a request; the reply lands in @r. */
static inline void
harness_send (Harness *h, const char *method, const char *path, const char *content_type,
              const char *body, Reply *r)
{
  g_autofree char *uri = g_strconcat ("http://localhost", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);

  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", b);
    }
  memset (r, 0, sizeof *r);
  r->started = g_get_monotonic_time ();
  soup_session_send_and_read_async (h->http, msg, G_PRIORITY_DEFAULT, NULL, reply_cb, r);
}

static inline void
harness_wait (Reply *r, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (!r->done)
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () > end)
        g_error ("request did not finish within %u ms", timeout_ms);
      g_usleep (500);
    }
}

static inline void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

/* A synchronous call (the loop spins); returns the parsed JSON (or NULL
 * for non-JSON) and sets *ret_status. */
static inline JsonNode *
harness_call (Harness *h, const char *method, const char *path, const char *body, guint *ret_status)
{
  Reply r;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *node = NULL;

  harness_send (h, method, path, NULL, body, &r);
  harness_wait (&r, 20000);
  *ret_status = r.status;
  if (r.body != NULL && json_parser_load_from_data (parser, g_bytes_get_data (r.body, NULL),
                                                    (gssize) g_bytes_get_size (r.body), NULL))
    node = json_node_copy (json_parser_get_root (parser));
  g_clear_pointer (&r.body, g_bytes_unref);
  return node;
}

static inline const char *
error_code (JsonNode *node)
{
  JsonObject *err = json_object_get_object_member (json_node_get_object (node), "error");
  return err ? json_object_get_string_member_with_default (err, "code", "") : "";
}

static inline const char *
error_message (JsonNode *node)
{
  JsonObject *err = json_object_get_object_member (json_node_get_object (node), "error");
  return err ? json_object_get_string_member_with_default (err, "message", "") : "";
}

/* The device object with @id from GET /v1/devices, or NULL. (transfer none
 * of @list) */
static inline JsonObject *
find_in_list (JsonNode *list, const char *id)
{
  JsonArray *arr = json_object_get_array_member (json_node_get_object (list), "devices");
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonObject *d = json_array_get_object_element (arr, i);
      if (g_strcmp0 (json_object_get_string_member_with_default (d, "id", ""), id) == 0)
        return d;
    }
  return NULL;
}
