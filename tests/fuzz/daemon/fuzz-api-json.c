/* Fuzz the request-body path of the router: the first byte picks a route
 * path shape for rk_api_lookup, the rest is a body parsed and checked
 * exactly as rk_api_request_get_json does (UTF-8/NUL screening, json-glib,
 * strict field check). Nothing may crash or leak; errors must name a field
 * when they are field errors. */
#include <stdint.h>
#include <string.h>

#include "rk-api-private.h"

static void
noop (RkApiRequest *request, gpointer user_data)
{
}

static const RkJsonField fields[] = {
  { "username", RK_JSON_STRING, TRUE },
  { "pin", RK_JSON_STRING, FALSE },
  { "count", RK_JSON_INT, FALSE },
  { "ratio", RK_JSON_DOUBLE, FALSE, TRUE },
  { "flag", RK_JSON_BOOL, FALSE },
  { "items", RK_JSON_ARRAY, FALSE },
  { "meta", RK_JSON_OBJECT, FALSE },
  { NULL }
};

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static RkApi *api = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) params = NULL;
  gboolean known;
  JsonNode *root;

  if (api == NULL)
    {
      api = rk_api_new (NULL, 1024);
      rk_api_add_route (api, "GET", "/v1/residents/{nik}", RK_ROLE_STAFF, noop, NULL);
      rk_api_add_route (api, "GET", "/v1/residents/search", RK_ROLE_STAFF, noop, NULL);
      rk_api_add_route (api, "POST", "/v1/cases/{id}/documents/{doc}", RK_ROLE_OPERATOR, noop,
                        NULL);
    }
  if (size == 0)
    return 0;

  /* The whole input as a path, too: segments, empty segments, odd bytes. */
  path = g_strndup ((const char *) data, MIN (size, 256));
  (void) rk_api_lookup (api, (data[0] & 1) ? "GET" : "POST", path, &params, &known);

  data++;
  size--;
  if (memchr (data, '\0', size) != NULL || !g_utf8_validate_len ((const char *) data, size, NULL))
    return 0;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, &error))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  if (!rk_json_check_object (json_node_get_object (root), fields, NULL, &error))
    {
      if (error->code == RK_API_ERROR_UNKNOWN_FIELD || error->code == RK_API_ERROR_INVALID_FIELD ||
          error->code == RK_API_ERROR_MISSING_FIELD)
        g_assert (rk_api_error_get_field (error) != NULL);
      return 0;
    }
  /* A checked object reads back without surprises. */
  g_assert (rk_json_get_string (json_node_get_object (root), "username") != NULL);
  (void) rk_json_get_int (json_node_get_object (root), "count", 0);
  (void) rk_json_get_double (json_node_get_object (root), "ratio", 0);
  return 0;
}
