/* Every route the daemon serves (core and every module) is in the merged
 * OpenAPI document with the same method and path template, and every
 * operation in the document is served. A websocket route appears as a
 * "get" operation marked "x-rekam-websocket": true. */
#include <glib/gstdio.h>
#include <string.h>

#include "rk-api.h"
#include "rk-daemon.h"
#include "rk-module.h"
#include "rk-schemas.h"

static const char *const methods[] = { "get", "put", "post", "delete", "patch", NULL };

static void
collect_route (const char *method, const char *path, RkRole roles, gpointer user_data)
{
  GHashTable *served = user_data;
  g_autofree char *lower = g_ascii_strdown (method, -1);
  char *key;

  if (strcmp (method, "WS") == 0)
    key = g_strdup_printf ("ws %s", path);
  else
    key = g_strdup_printf ("%s %s", lower, path);
  g_hash_table_add (served, key);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
test_routes_match_document (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rk-openapi-XXXXXX", &error);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *socket = g_build_filename (dir, "sock", NULL);
  g_autoptr(GHashTable) served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) documented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) paths = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  RkDaemonOptions options = { 0 };
  RkDaemon *daemon;
  JsonObject *doc_paths;
  GHashTableIter iter;
  gpointer key;

  g_assert_no_error (error);
  options.state_dir = state;
  options.socket_path = socket;
  options.port = 0;
  options.modules = rk_modules;
  daemon = rk_daemon_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (rk_daemon_start (daemon, &error));
  g_assert_no_error (error);
  rk_api_foreach_route (rk_daemon_get_api (daemon), collect_route, served);
  rk_daemon_free (daemon);

  g_assert_true (json_parser_load_from_data (parser, (const char *) rk_schema_openapi,
                                             (gssize) rk_schema_openapi_len, &error));
  g_assert_no_error (error);
  doc_paths = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                             "paths");
  g_assert_nonnull (doc_paths);
  paths = json_object_get_members (doc_paths);
  for (GList *l = paths; l != NULL; l = l->next)
    {
      JsonObject *item = json_object_get_object_member (doc_paths, l->data);
      for (const char *const *m = methods; *m != NULL; m++)
        {
          JsonObject *op;
          if (!json_object_has_member (item, *m))
            continue;
          op = json_object_get_object_member (item, *m);
          if (op != NULL && json_object_get_boolean_member_with_default (op, "x-rekam-websocket",
                                                                          FALSE))
            g_hash_table_add (documented, g_strdup_printf ("ws %s", (const char *) l->data));
          else
            g_hash_table_add (documented, g_strdup_printf ("%s %s", *m, (const char *) l->data));
        }
    }

  g_hash_table_iter_init (&iter, served);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (documented, key))
      g_string_append_printf (problems, "  served but not in the OpenAPI document: %s\n",
                              (const char *) key);
  g_hash_table_iter_init (&iter, documented);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (served, key))
      g_string_append_printf (problems, "  in the OpenAPI document but not served: %s\n",
                              (const char *) key);
  if (problems->len > 0)
    g_test_message ("routes and schemas/openapi/*.json disagree:\n%s", problems->str);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (g_hash_table_contains (served, "get /v1/status"));

  remove_tree (state);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/openapi/routes-match-document", test_routes_match_document);
  return g_test_run ();
}
