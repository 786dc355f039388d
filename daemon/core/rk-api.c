/* rk-api.c: router, request checks, strict JSON and responses.
 *
 * One SoupServer listens on both doors. Every request goes through:
 *   got-headers (early handler): route lookup (404/405), door, actor (401),
 *     role (403), declared body size (413), content type (415);
 *   got-body (handler): actual body size (413), then the route's handler;
 *   websocket routes: the same checks, then libsoup finishes the handshake
 *     and websocket_cb hands the connection to the module.
 * A status set in the early handler makes libsoup skip the later steps. */
#define _GNU_SOURCE
#include "rk-api-private.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pending connections each door queues before accept(). */
#define RK_API_LISTEN_BACKLOG 128

/* ---- errors ---------------------------------------------------------- */

typedef struct {
  char *field;
} RkApiErrorPrivate;

static void
rk_api_error_private_init (RkApiErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
rk_api_error_private_copy (const RkApiErrorPrivate *src, RkApiErrorPrivate *dest)
{
  dest->field = g_strdup (src->field);
}

static void
rk_api_error_private_clear (RkApiErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (RkApiError, rk_api_error)

void
rk_api_set_field_error (GError **error, RkApiError code, const char *field,
                        const char *format, ...)
{
  va_list args;
  GError *e;
  RkApiErrorPrivate *priv;

  if (error == NULL)
    return;
  g_return_if_fail (*error == NULL);
  va_start (args, format);
  e = g_error_new_valist (RK_API_ERROR, code, format, args);
  va_end (args);
  priv = rk_api_error_get_private (e);
  if (priv != NULL)
    priv->field = g_strdup (field);
  *error = e;
}

const char *
rk_api_error_get_field (const GError *error)
{
  RkApiErrorPrivate *priv;

  if (error == NULL || error->domain != RK_API_ERROR)
    return NULL;
  priv = rk_api_error_get_private (error);
  return priv != NULL ? priv->field : NULL;
}

static gboolean
api_error_map (const GError *error, guint *ret_status, const char **ret_code)
{
  static const struct {
    guint       status;
    const char *code;
  } table[] = {
    [RK_API_ERROR_FAILED]          = { 500, "internal" },
    [RK_API_ERROR_BAD_REQUEST]     = { 400, "bad-request" },
    [RK_API_ERROR_MALFORMED_JSON]  = { 400, "malformed-json" },
    [RK_API_ERROR_INVALID_FIELD]   = { 400, "invalid-field" },
    [RK_API_ERROR_UNKNOWN_FIELD]   = { 400, "unknown-field" },
    [RK_API_ERROR_MISSING_FIELD]   = { 400, "missing-field" },
    [RK_API_ERROR_UNAUTHENTICATED] = { 401, "unauthenticated" },
    [RK_API_ERROR_FORBIDDEN]       = { 403, "forbidden" },
    [RK_API_ERROR_NOT_FOUND]       = { 404, "not-found" },
    [RK_API_ERROR_METHOD]          = { 405, "method-not-allowed" },
    [RK_API_ERROR_CONFLICT]        = { 409, "conflict" },
    [RK_API_ERROR_TOO_LARGE]       = { 413, "too-large" },
    [RK_API_ERROR_CONTENT_TYPE]    = { 415, "unsupported-media-type" },
    [RK_API_ERROR_LOCKED]          = { 423, "locked" },
    [RK_API_ERROR_UNAVAILABLE]     = { 503, "unavailable" },
  };

  if (error->code < 0 || (gsize) error->code >= G_N_ELEMENTS (table) ||
      table[error->code].code == NULL)
    return FALSE;
  *ret_status = table[error->code].status;
  *ret_code = table[error->code].code;
  return TRUE;
}

static gboolean
store_error_map (const GError *error, guint *ret_status, const char **ret_code)
{
  switch (error->code)
    {
    case RK_STORE_ERROR_NOT_FOUND:
      *ret_status = 404;
      *ret_code = "not-found";
      return TRUE;
    case RK_STORE_ERROR_CONSTRAINT:
      *ret_status = 409;
      *ret_code = "conflict";
      return TRUE;
    case RK_STORE_ERROR_BUSY:
      *ret_status = 503;
      *ret_code = "store-busy";
      return TRUE;
    case RK_STORE_ERROR_FULL:
      *ret_status = 507;
      *ret_code = "disk-full";
      return TRUE;
    default:
      *ret_status = 500;
      *ret_code = "store-failed";
      return TRUE;
    }
}

G_LOCK_DEFINE_STATIC (error_domains);
static GHashTable *error_domains; /* GQuark -> RkApiErrorMapFunc */

void
rk_api_register_error_domain (GQuark domain, RkApiErrorMapFunc func)
{
  g_return_if_fail (domain != 0 && func != NULL);
  G_LOCK (error_domains);
  if (error_domains == NULL)
    error_domains = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (error_domains, GUINT_TO_POINTER (domain), (gpointer) func);
  G_UNLOCK (error_domains);
}

void
rk_api_error_map (const GError *error, guint *ret_status, const char **ret_code)
{
  RkApiErrorMapFunc func = NULL;
  guint status = 500;
  const char *code = "internal";

  g_return_if_fail (error != NULL);
  if (error->domain == RK_API_ERROR)
    func = api_error_map;
  else if (error->domain == RK_STORE_ERROR)
    func = store_error_map;
  else
    {
      G_LOCK (error_domains);
      if (error_domains != NULL)
        func = (RkApiErrorMapFunc) g_hash_table_lookup (error_domains,
                                                        GUINT_TO_POINTER (error->domain));
      G_UNLOCK (error_domains);
    }
  if (func == NULL || !func (error, &status, &code))
    {
      status = 500;
      code = "internal";
    }
  *ret_status = status;
  *ret_code = code;
}

/* ---- routes ---------------------------------------------------------- */

struct _RkApiRoute {
  char              *method;         /* "GET", or "WS" for a websocket */
  char              *path;           /* template as registered */
  char             **segments;       /* split template; "{x}" = parameter */
  RkRole             roles;
  RkApiHandler       handler;
  RkApiWebsocketFunc websocket;
  gpointer           user_data;
  gsize              max_body;
  char             **content_types;  /* NULL: application/json */
};

struct _RkApiRequest {
  gint               ref_count;
  RkApi             *api;
  SoupServerMessage *msg;            /* NULL once the exchange is over */
  RkApiRoute        *route;
  RkActor           *actor;
  RkDoor             door;
  GHashTable        *params;         /* name -> decoded value */
  GHashTable        *query;          /* from the URI, may be NULL */
  GBytes            *body;
  char              *content_type;
  JsonParser        *parser;
  GCancellable      *cancellable;
  gboolean           responded;
  gboolean           paused;
};

struct _RkApi {
  RkDaemon             *daemon;
  SoupServer           *server;
  GPtrArray            *routes;       /* RkApiRoute, owned */
  gsize                 default_max_body;
  RkApiAuthenticateFunc authenticate;
  gpointer              authenticate_data;
  char                 *socket_path;  /* to unlink at disconnect */
  guint                 port;
};

static void
route_free (RkApiRoute *route)
{
  g_free (route->method);
  g_free (route->path);
  g_strfreev (route->segments);
  g_strfreev (route->content_types);
  g_free (route);
}

static gboolean
segment_is_param (const char *segment)
{
  gsize len = strlen (segment);
  return len > 2 && segment[0] == '{' && segment[len - 1] == '}';
}

static RkApiRoute *
add_route (RkApi *api, const char *method, const char *path, RkRole roles)
{
  RkApiRoute *route;

  g_return_val_if_fail (api != NULL, NULL);
  g_return_val_if_fail (method != NULL && path != NULL && path[0] == '/', NULL);
  g_return_val_if_fail (roles != RK_ROLE_NONE, NULL);

  for (guint i = 0; i < api->routes->len; i++)
    {
      RkApiRoute *other = g_ptr_array_index (api->routes, i);
      if (strcmp (other->method, method) == 0 && strcmp (other->path, path) == 0)
        {
          g_critical ("route %s %s registered twice", method, path);
          return other;
        }
    }
  route = g_new0 (RkApiRoute, 1);
  route->method = g_strdup (method);
  route->path = g_strdup (path);
  route->segments = g_strsplit (path + 1, "/", -1);
  route->roles = roles;
  route->max_body = api->default_max_body;
  g_ptr_array_add (api->routes, route);
  return route;
}

RkApiRoute *
rk_api_add_route (RkApi *api, const char *method, const char *path, RkRole roles,
                  RkApiHandler handler, gpointer user_data)
{
  RkApiRoute *route;

  g_return_val_if_fail (handler != NULL, NULL);
  route = add_route (api, method, path, roles);
  if (route == NULL)
    return NULL;
  route->handler = handler;
  route->user_data = user_data;
  return route;
}

void
rk_api_add_websocket (RkApi *api, const char *path, RkRole roles, RkApiWebsocketFunc func,
                      gpointer user_data)
{
  RkApiRoute *route;

  g_return_if_fail (func != NULL);
  route = add_route (api, "WS", path, roles);
  if (route == NULL)
    return;
  route->websocket = func;
  route->user_data = user_data;
  route->max_body = 0;
}

void
rk_api_route_set_max_body (RkApiRoute *route, gsize max_bytes)
{
  g_return_if_fail (route != NULL);
  route->max_body = max_bytes;
}

void
rk_api_route_set_content_types (RkApiRoute *route, const char *first, ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  g_return_if_fail (route != NULL);
  va_start (args, first);
  for (const char *type = first; type != NULL; type = va_arg (args, const char *))
    g_strv_builder_add (builder, type);
  va_end (args);
  g_strfreev (route->content_types);
  route->content_types = g_strv_builder_end (builder);
}

void
rk_api_foreach_route (RkApi *api, RkApiRouteFunc func, gpointer user_data)
{
  g_return_if_fail (api != NULL && func != NULL);
  for (guint i = 0; i < api->routes->len; i++)
    {
      RkApiRoute *route = g_ptr_array_index (api->routes, i);
      func (route->method, route->path, route->roles, user_data);
    }
}

/* Matches path against every template. A {param} takes one whole, non-empty
 * segment; when several templates match, the one with the most literal
 * segments wins, so /v1/residents/search beats /v1/residents/{nik} in any
 * registration order. ret_path_known says whether some route has this path
 * with another method (405 rather than 404). */
RkApiRoute *
rk_api_lookup (RkApi *api, const char *method, const char *path, GHashTable **ret_params,
               gboolean *ret_path_known)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GHashTable) best_params = NULL;
  RkApiRoute *best = NULL;
  int best_literals = -1;
  guint n;
  gboolean known = FALSE;

  if (ret_path_known != NULL)
    *ret_path_known = FALSE;
  if (path == NULL || path[0] != '/')
    return NULL;
  segments = g_strsplit (path + 1, "/", -1);
  n = g_strv_length (segments);

  for (guint i = 0; i < api->routes->len; i++)
    {
      RkApiRoute *route = g_ptr_array_index (api->routes, i);
      g_autoptr(GHashTable) params = NULL;
      gboolean match = TRUE;
      int literals = 0;

      if (g_strv_length (route->segments) != n)
        continue;
      params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint s = 0; s < n && match; s++)
        {
          const char *t = route->segments[s];
          if (segment_is_param (t))
            {
              if (segments[s][0] == '\0')
                match = FALSE;
              else
                g_hash_table_insert (params, g_strndup (t + 1, strlen (t) - 2),
                                     g_strdup (segments[s]));
            }
          else if (strcmp (t, segments[s]) != 0)
            match = FALSE;
          else
            literals++;
        }
      if (!match)
        continue;
      known = TRUE;
      if (strcmp (route->method, method) != 0 || literals <= best_literals)
        continue;
      best = route;
      best_literals = literals;
      g_clear_pointer (&best_params, g_hash_table_unref);
      best_params = g_steal_pointer (&params);
    }
  if (ret_path_known != NULL)
    *ret_path_known = known;
  if (best != NULL && ret_params != NULL)
    *ret_params = g_steal_pointer (&best_params);
  return best;
}

/* ---- requests -------------------------------------------------------- */

RkApiRequest *
rk_api_request_ref (RkApiRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  g_atomic_int_inc (&request->ref_count);
  return request;
}

void
rk_api_request_unref (RkApiRequest *request)
{
  if (request == NULL || !g_atomic_int_dec_and_test (&request->ref_count))
    return;
  g_clear_object (&request->msg);
  rk_actor_free (request->actor);
  g_clear_pointer (&request->params, g_hash_table_unref);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->content_type);
  g_clear_object (&request->parser);
  g_clear_object (&request->cancellable);
  g_free (request);
}

RkDaemon *
rk_api_request_get_daemon (RkApiRequest *request)
{
  return request->api->daemon;
}

const RkActor *
rk_api_request_get_actor (RkApiRequest *request)
{
  return request->actor;
}

const char *
rk_api_request_get_method (RkApiRequest *request)
{
  return request->route != NULL ? request->route->method : NULL;
}

const char *
rk_api_request_get_path (RkApiRequest *request)
{
  return request->route != NULL ? request->route->path : NULL;
}

const char *
rk_api_request_get_param (RkApiRequest *request, const char *name)
{
  return request->params != NULL ? g_hash_table_lookup (request->params, name) : NULL;
}

const char *
rk_api_request_get_query (RkApiRequest *request, const char *name)
{
  return request->query != NULL ? g_hash_table_lookup (request->query, name) : NULL;
}

GBytes *
rk_api_request_get_body (RkApiRequest *request)
{
  if (request->body == NULL)
    request->body = g_bytes_new (NULL, 0);
  return request->body;
}

const char *
rk_api_request_get_content_type (RkApiRequest *request)
{
  return request->content_type;
}

GCancellable *
rk_api_request_get_cancellable (RkApiRequest *request)
{
  return request->cancellable;
}

SoupServerMessage *
rk_api_request_get_message (RkApiRequest *request)
{
  return request->msg;
}

/* ---- strict JSON ----------------------------------------------------- */

static const char *
json_type_name (RkJsonType type)
{
  switch (type)
    {
    case RK_JSON_STRING:
      return "a string";
    case RK_JSON_INT:
      return "an integer";
    case RK_JSON_DOUBLE:
      return "a number";
    case RK_JSON_BOOL:
      return "true or false";
    case RK_JSON_OBJECT:
      return "an object";
    case RK_JSON_ARRAY:
      return "an array";
    case RK_JSON_ANY:
    default:
      return "a value";
    }
}

static gboolean
json_node_has_type (JsonNode *node, RkJsonType type)
{
  GType value_type;

  if (type == RK_JSON_ANY)
    return TRUE;
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return type == RK_JSON_OBJECT;
    case JSON_NODE_ARRAY:
      return type == RK_JSON_ARRAY;
    case JSON_NODE_NULL:
      return FALSE;
    case JSON_NODE_VALUE:
    default:
      break;
    }
  value_type = json_node_get_value_type (node);
  switch (type)
    {
    case RK_JSON_STRING:
      return value_type == G_TYPE_STRING;
    case RK_JSON_INT:
      return value_type == G_TYPE_INT64;
    case RK_JSON_DOUBLE:
      return value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE;
    case RK_JSON_BOOL:
      return value_type == G_TYPE_BOOLEAN;
    default:
      return FALSE;
    }
}

gboolean
rk_json_check_object (JsonObject *obj, const RkJsonField *fields, const char *where,
                      GError **error)
{
  g_autoptr(GList) members = NULL;
  const char *prefix = where != NULL ? where : "";

  g_return_val_if_fail (obj != NULL && fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const RkJsonField *field = NULL;
      JsonNode *node;

      for (const RkJsonField *f = fields; f->name != NULL; f++)
        if (strcmp (f->name, name) == 0)
          field = f;
      if (field == NULL)
        {
          g_autofree char *full = g_strconcat (prefix, name, NULL);
          rk_api_set_field_error (error, RK_API_ERROR_UNKNOWN_FIELD, full,
                                  "unknown field '%s'", full);
          return FALSE;
        }
      node = json_object_get_member (obj, name);
      if (JSON_NODE_HOLDS_NULL (node) && (field->nullable || field->type == RK_JSON_ANY))
        continue;
      if (JSON_NODE_HOLDS_NULL (node) && field->required)
        {
          g_autofree char *full = g_strconcat (prefix, name, NULL);
          rk_api_set_field_error (error, RK_API_ERROR_MISSING_FIELD, full,
                                  "field '%s' is required and may not be null", full);
          return FALSE;
        }
      if (!json_node_has_type (node, field->type))
        {
          g_autofree char *full = g_strconcat (prefix, name, NULL);
          rk_api_set_field_error (error, RK_API_ERROR_INVALID_FIELD, full,
                                  "field '%s' must be %s", full, json_type_name (field->type));
          return FALSE;
        }
    }
  for (const RkJsonField *f = fields; f->name != NULL; f++)
    {
      JsonNode *node;

      if (!f->required)
        continue;
      node = json_object_get_member (obj, f->name);
      if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && f->type != RK_JSON_ANY))
        {
          g_autofree char *full = g_strconcat (prefix, f->name, NULL);
          rk_api_set_field_error (error, RK_API_ERROR_MISSING_FIELD, full,
                                  "field '%s' is required", full);
          return FALSE;
        }
    }
  return TRUE;
}

JsonObject *
rk_api_request_get_json (RkApiRequest *request, const RkJsonField *fields, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (request->parser != NULL)
    {
      root = json_parser_get_root (request->parser);
      return json_node_get_object (root);
    }
  data = g_bytes_get_data (rk_api_request_get_body (request), &len);
  if (len > 0 && g_strcmp0 (request->content_type, "application/json") != 0)
    {
      g_set_error (error, RK_API_ERROR, RK_API_ERROR_CONTENT_TYPE,
                   "the body must be application/json, not %s",
                   request->content_type != NULL ? request->content_type : "untyped");
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (len == 0)
    {
      gboolean any_required = FALSE;
      for (const RkJsonField *f = fields; f != NULL && f->name != NULL; f++)
        any_required |= f->required;
      if (any_required)
        {
          g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_MALFORMED_JSON,
                               "a JSON object body is required");
          return NULL;
        }
      data = "{}";
      len = 2;
    }
  /* json-glib takes a NUL as the end of input and does not reject every
   * invalid UTF-8 sequence itself; both would let garbage through. */
  if (memchr (data, '\0', len) != NULL || !g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_MALFORMED_JSON,
                           "the body is not valid UTF-8 JSON text");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_set_error (error, RK_API_ERROR, RK_API_ERROR_MALFORMED_JSON, "malformed JSON: %s",
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_MALFORMED_JSON,
                           "the body must be a JSON object");
      return NULL;
    }
  if (fields != NULL && !rk_json_check_object (json_node_get_object (root), fields, NULL, error))
    return NULL;
  request->parser = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

const char *
rk_json_get_string (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
rk_json_get_int (JsonObject *obj, const char *name, gint64 default_value)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return default_value;
  return json_node_get_int (node);
}

gdouble
rk_json_get_double (JsonObject *obj, const char *name, gdouble default_value)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (gdouble) json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return default_value;
}

gboolean
rk_json_get_bool (JsonObject *obj, const char *name, gboolean default_value)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

/* ---- responses ------------------------------------------------------- */

static void
set_response (RkApiRequest *request, guint status, const char *content_type, GBytes *body)
{
  SoupMessageHeaders *headers;

  if (request->responded)
    {
      g_warning ("second response to %s %s ignored",
                 request->route != NULL ? request->route->method : "?",
                 request->route != NULL ? request->route->path : "?");
      return;
    }
  request->responded = TRUE;
  /* The route template, never the path itself: a path may hold a NIK. */
  g_debug ("%s %s -> %u (%s door)", request->route != NULL ? request->route->method : "-",
           request->route != NULL ? request->route->path : "-", status,
           request->door == RK_DOOR_UNIX ? "unix" : "tcp");
  if (request->msg == NULL)
    return; /* the client went away; nothing to send it to */

  headers = soup_server_message_get_response_headers (request->msg);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (request->msg, status, NULL);
  if (body != NULL)
    {
      gsize len = 0;
      gconstpointer data = g_bytes_get_data (body, &len);
      soup_server_message_set_response (request->msg, content_type, SOUP_MEMORY_COPY,
                                        data, len);
    }
  if (request->paused)
    {
      request->paused = FALSE;
      soup_server_message_unpause (request->msg);
    }
}

void
rk_api_request_respond_bytes (RkApiRequest *request, guint status, const char *content_type,
                              GBytes *body)
{
  g_return_if_fail (request != NULL);
  set_response (request, status, content_type, body);
}

void
rk_api_request_respond_json (RkApiRequest *request, guint status, JsonNode *node)
{
  g_autoptr(JsonNode) owned = node;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  char *text;

  g_return_if_fail (request != NULL && node != NULL);
  json_generator_set_root (generator, owned);
  text = json_generator_to_data (generator, &len);
  bytes = g_bytes_new_take (text, len);
  set_response (request, status, "application/json", bytes);
}

void
rk_api_request_respond_builder (RkApiRequest *request, guint status, JsonBuilder *builder)
{
  g_return_if_fail (builder != NULL);
  rk_api_request_respond_json (request, status, json_builder_get_root (builder));
}

void
rk_api_request_respond_empty (RkApiRequest *request)
{
  set_response (request, 204, NULL, NULL);
}

void
rk_api_request_respond_error_literal (RkApiRequest *request, guint status, const char *code,
                                      const char *message, const char *field)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (field != NULL)
    {
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  if (status >= 500)
    g_warning ("%s %s: %u %s: %s", request->route != NULL ? request->route->method : "?",
               request->route != NULL ? request->route->path : "?", status, code, message);
  rk_api_request_respond_builder (request, status, builder);
}

void
rk_api_request_respond_error_field (RkApiRequest *request, const GError *error,
                                    const char *field)
{
  guint status;
  const char *code;

  g_return_if_fail (error != NULL);
  rk_api_error_map (error, &status, &code);
  if (status == 401 && request->msg != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                  "WWW-Authenticate", "Bearer realm=\"rekam\"");
  rk_api_request_respond_error_literal (request, status, code, error->message,
                                        field != NULL ? field : rk_api_error_get_field (error));
}

void
rk_api_request_respond_error (RkApiRequest *request, const GError *error)
{
  rk_api_request_respond_error_field (request, error, NULL);
}

/* ---- dispatch -------------------------------------------------------- */

static RkDoor
message_door (SoupServerMessage *msg)
{
  GSocketAddress *local = soup_server_message_get_local_address (msg);

  if (local != NULL && g_socket_address_get_family (local) == G_SOCKET_FAMILY_UNIX)
    return RK_DOOR_UNIX;
  return RK_DOOR_TCP;
}

static void
request_detach (RkApiRequest *request)
{
  if (request->msg == NULL)
    return;
  g_signal_handlers_disconnect_by_data (request->msg, request);
  g_cancellable_cancel (request->cancellable);
  /* Drop both halves of the msg <-> request cycle. */
  g_clear_object (&request->msg);
  request->paused = FALSE;
}

static void
message_finished_cb (SoupServerMessage *msg, RkApiRequest *request)
{
  g_autoptr(RkApiRequest) self = rk_api_request_ref (request);

  request_detach (request);
  g_object_set_data (G_OBJECT (msg), "rk-request", NULL);
}

static RkApiRequest *
request_new (RkApi *api, SoupServerMessage *msg, RkApiRoute *route, GHashTable *params,
             GHashTable *query, RkDoor door)
{
  RkApiRequest *request = g_new0 (RkApiRequest, 1);

  request->ref_count = 1;
  request->api = api;
  request->msg = g_object_ref (msg);
  request->route = route;
  request->params = params;
  request->query = query != NULL ? g_hash_table_ref (query) : NULL;
  request->door = door;
  request->cancellable = g_cancellable_new ();
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), request);
  g_signal_connect (msg, "disconnected", G_CALLBACK (message_finished_cb), request);
  /* The message owns the request until it finishes. */
  g_object_set_data_full (G_OBJECT (msg), "rk-request", request,
                          (GDestroyNotify) rk_api_request_unref);
  return request;
}

static void
early_error (SoupServerMessage *msg, RkApi *api, guint status, const char *code,
             const char *message, const char *field)
{
  /* A throwaway request just to format the body the same way. */
  RkApiRequest request = { .ref_count = 1, .api = api, .msg = msg, .door = message_door (msg) };

  rk_api_request_respond_error_literal (&request, status, code, message, field);
}

static gboolean
content_type_allowed (RkApiRoute *route, const char *type)
{
  if (route->content_types == NULL)
    return g_strcmp0 (type, "application/json") == 0;
  return type != NULL && g_strv_contains ((const char *const *) route->content_types, type);
}

static void
early_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
               GHashTable *query, gpointer user_data)
{
  RkApi *api = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) media_params = NULL;
  RkApiRoute *route;
  RkApiRequest *request;
  gboolean path_known = FALSE;
  gboolean upgrade;
  const char *media_type;
  goffset declared;
  RkDoor door = message_door (msg);

  upgrade = soup_message_headers_header_contains (headers, "Upgrade", "websocket");
  route = rk_api_lookup (api, upgrade ? "WS" : method, path, &params, &path_known);
  if (route == NULL)
    {
      if (path_known)
        early_error (msg, api, 405, "method-not-allowed",
                     "this path does not take that method", NULL);
      else
        early_error (msg, api, 404, "not-found", "no such endpoint", NULL);
      return;
    }
  request = request_new (api, msg, route, g_steal_pointer (&params), query, door);

  if ((route->roles & RK_ROLE_ANONYMOUS) == 0 || door == RK_DOOR_UNIX)
    {
      RkActor *actor = NULL;

      if (api->authenticate != NULL)
        actor = api->authenticate (api, msg, door, api->authenticate_data, &error);
      else
        g_set_error_literal (&error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED,
                             "no authentication configured");
      if (actor == NULL && (route->roles & RK_ROLE_ANONYMOUS) == 0)
        {
          rk_api_request_respond_error (request, error);
          return;
        }
      g_clear_error (&error);
      request->actor = actor;
    }
  else if (api->authenticate != NULL &&
           soup_message_headers_get_one (headers, "Authorization") != NULL)
    {
      /* Anonymous routes still learn who is calling when a session is shown
       * (status says who you are); a bad token is simply ignored here. */
      request->actor = api->authenticate (api, msg, door, api->authenticate_data, NULL);
    }
  if ((route->roles & RK_ROLE_ANONYMOUS) == 0 &&
      (request->actor == NULL || (route->roles & request->actor->role) == 0))
    {
      rk_api_request_respond_error_literal (request, 403, "forbidden",
                                            "your role may not call this endpoint", NULL);
      return;
    }

  declared = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      declared > 0 && (guint64) declared > route->max_body)
    {
      g_autofree char *message =
        g_strdup_printf ("the body is larger than this endpoint's limit of %" G_GSIZE_FORMAT
                         " bytes", route->max_body);
      rk_api_request_respond_error_literal (request, 413, "too-large", message, NULL);
      return;
    }
  media_type = soup_message_headers_get_content_type (headers, &media_params);
  request->content_type = g_ascii_strdown (media_type != NULL ? media_type : "", -1);
  if (request->content_type[0] == '\0')
    g_clear_pointer (&request->content_type, g_free);
  if ((declared > 0 || soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED) &&
      !content_type_allowed (route, request->content_type))
    {
      g_autofree char *message =
        g_strdup_printf ("this endpoint does not take %s bodies",
                         request->content_type != NULL ? request->content_type : "untyped");
      rk_api_request_respond_error_literal (request, 415, "unsupported-media-type", message,
                                            NULL);
      return;
    }
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  RkApiRequest *request = g_object_get_data (G_OBJECT (msg), "rk-request");
  g_autoptr(RkApiRequest) self = NULL;
  SoupMessageBody *body;
  g_autoptr(GBytes) bytes = NULL;

  if (request == NULL || request->route == NULL)
    {
      soup_server_message_set_status (msg, 500, NULL);
      return;
    }
  self = rk_api_request_ref (request);
  if (request->route->websocket != NULL)
    {
      /* Status 0: libsoup goes on with the handshake. The message reports
       * "finished" when the upgrade steals its connection, which drops
       * "rk-request"; this second reference lives until websocket_cb (or
       * the message's end, if the handshake fails). */
      g_object_set_data_full (G_OBJECT (msg), "rk-ws-request", rk_api_request_ref (request),
                              (GDestroyNotify) rk_api_request_unref);
      return;
    }

  body = soup_server_message_get_request_body (msg);
  bytes = soup_message_body_flatten (body);
  /* A chunked body has no declared length: check what arrived. */
  if (g_bytes_get_size (bytes) > request->route->max_body)
    {
      rk_api_request_respond_error_literal (request, 413, "too-large",
                                            "the body is larger than this endpoint's limit",
                                            NULL);
      return;
    }
  request->body = g_steal_pointer (&bytes);
  request->route->handler (request, request->route->user_data);
  if (!request->responded && request->msg != NULL)
    {
      /* An async handler: hold the response. The provisional 500 also
       * keeps libsoup from treating the message as a websocket handshake. */
      soup_server_message_set_status (msg, 500, NULL);
      request->paused = TRUE;
      soup_server_message_pause (msg);
    }
}

static void
websocket_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
              SoupWebsocketConnection *connection, gpointer user_data)
{
  RkApiRequest *request = g_object_steal_data (G_OBJECT (msg), "rk-ws-request");
  g_autoptr(RkApiRequest) self = request;

  if (request == NULL || request->route == NULL || request->route->websocket == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, NULL);
      return;
    }
  request->responded = TRUE;
  request->route->websocket (request, connection, request->route->user_data);
}

/* ---- the API object -------------------------------------------------- */

RkApi *
rk_api_new (RkDaemon *daemon, gsize default_max_body)
{
  RkApi *api = g_new0 (RkApi, 1);

  api->daemon = daemon;
  api->default_max_body = default_max_body;
  api->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  api->server = soup_server_new ("server-header", "rekamd", NULL);
  soup_server_add_early_handler (api->server, NULL, early_handler, api, NULL);
  soup_server_add_handler (api->server, NULL, handler, api, NULL);
  soup_server_add_websocket_handler (api->server, NULL, NULL, NULL, websocket_cb, api, NULL);
  return api;
}

void
rk_api_set_authenticate (RkApi *api, RkApiAuthenticateFunc func, gpointer user_data)
{
  api->authenticate = func;
  api->authenticate_data = user_data;
}

void
rk_api_disconnect (RkApi *api)
{
  if (api == NULL || api->server == NULL)
    return;
  soup_server_disconnect (api->server);
  if (api->socket_path != NULL)
    {
      unlink (api->socket_path);
      g_clear_pointer (&api->socket_path, g_free);
    }
}

void
rk_api_free (RkApi *api)
{
  if (api == NULL)
    return;
  rk_api_disconnect (api);
  g_clear_object (&api->server);
  g_ptr_array_unref (api->routes);
  g_free (api);
}

gboolean
rk_api_listen_unix (RkApi *api, const char *path, const char *group, GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  struct stat st;
  mode_t old_mask;
  gboolean bound;

  g_return_val_if_fail (api != NULL && path != NULL, FALSE);

  /* A socket left by a crashed rekamd is ours to replace; anything else at
   * that path is not. */
  if (lstat (path, &st) == 0)
    {
      if (!S_ISSOCK (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "%s exists and is not a socket", path);
          return FALSE;
        }
      unlink (path);
    }
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         error);
  if (socket == NULL)
    return FALSE;
  address = g_unix_socket_address_new (path);
  /* Bind with a umask that already gives 0660, so there is no moment where
   * others could connect. */
  old_mask = umask (0117);
  bound = g_socket_bind (socket, address, FALSE, error);
  umask (old_mask);
  if (!bound)
    return FALSE;
  if (group != NULL && group[0] != '\0')
    {
      struct group *gr = getgrnam (group);
      if (gr != NULL && chown (path, (uid_t) -1, gr->gr_gid) != 0)
        g_info ("cannot give socket %s to group %s: %s", path, group, g_strerror (errno));
    }
  if (chmod (path, 0660) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot set mode of %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  /* GLib's default backlog is 10: a burst of rekamctl calls or benchmark
   * clients right after start would get EAGAIN on connect. */
  g_socket_set_listen_backlog (socket, RK_API_LISTEN_BACKLOG);
  if (!g_socket_listen (socket, error))
    return FALSE;
  if (!soup_server_listen_socket (api->server, socket, 0, error))
    return FALSE;
  g_free (api->socket_path);
  api->socket_path = g_strdup (path);
  return TRUE;
}

gboolean
rk_api_listen_tcp (RkApi *api, const char *address_text, guint port, GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (api != NULL, FALSE);

  address = g_inet_socket_address_new_from_string (address_text, port);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s' is not an IP address", address_text);
      return FALSE;
    }
  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  if (!g_socket_bind (socket, address, TRUE, error))
    return FALSE;
  g_socket_set_listen_backlog (socket, RK_API_LISTEN_BACKLOG);
  if (!g_socket_listen (socket, error))
    return FALSE;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;
  if (!soup_server_listen_socket (api->server, socket, 0, error))
    return FALSE;
  api->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return TRUE;
}

guint
rk_api_get_port (RkApi *api)
{
  return api->port;
}
