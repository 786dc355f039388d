/* Router and strict JSON, without sockets (the integration test has those). */
#include <string.h>

#include "rk-api-private.h"

static void
dummy_handler (RkApiRequest *request, gpointer user_data)
{
}

static RkApiRoute *nik_route;
static RkApiRoute *search_route;

static RkApi *
make_api (void)
{
  RkApi *api = rk_api_new (NULL, 1024);

  rk_api_add_route (api, "GET", "/v1/status", RK_ROLE_ANONYMOUS, dummy_handler, NULL);
  nik_route = rk_api_add_route (api, "GET", "/v1/residents/{nik}", RK_ROLE_STAFF,
                                dummy_handler, NULL);
  search_route = rk_api_add_route (api, "GET", "/v1/residents/search", RK_ROLE_STAFF,
                                   dummy_handler, NULL);
  rk_api_add_route (api, "POST", "/v1/cases/{id}/documents/{doc}", RK_ROLE_OPERATOR,
                    dummy_handler, NULL);
  return api;
}

static void
test_lookup_params (void)
{
  g_autoptr(RkApi) api = make_api ();
  g_autoptr(GHashTable) params = NULL;
  RkApiRoute *route;
  gboolean known;

  route = rk_api_lookup (api, "POST", "/v1/cases/42/documents/kk", &params, &known);
  g_assert_nonnull (route);
  g_assert_true (known);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "42");
  g_assert_cmpstr (g_hash_table_lookup (params, "doc"), ==, "kk");
}

static void
test_lookup_literal_first (void)
{
  g_autoptr(RkApi) api = make_api ();
  g_autoptr(GHashTable) params = NULL;
  RkApiRoute *route;

  route = rk_api_lookup (api, "GET", "/v1/residents/3671134501900001", &params, NULL);
  g_assert_true (route == nik_route);
  g_assert_cmpstr (g_hash_table_lookup (params, "nik"), ==, "3671134501900001");
  /* Registered after {nik}, yet the literal segment wins. */
  g_clear_pointer (&params, g_hash_table_unref);
  route = rk_api_lookup (api, "GET", "/v1/residents/search", &params, NULL);
  g_assert_true (route == search_route);
  g_assert_null (g_hash_table_lookup (params, "nik"));
}

static void
test_lookup_404_405 (void)
{
  g_autoptr(RkApi) api = make_api ();
  gboolean known = TRUE;

  g_assert_null (rk_api_lookup (api, "GET", "/v1/nothing", NULL, &known));
  g_assert_false (known);
  g_assert_null (rk_api_lookup (api, "DELETE", "/v1/status", NULL, &known));
  g_assert_true (known);
  /* An empty segment is not a parameter value. */
  g_assert_null (rk_api_lookup (api, "GET", "/v1/residents/", NULL, &known));
  g_assert_null (rk_api_lookup (api, "GET", "/v1/status/extra", NULL, &known));
  g_assert_null (rk_api_lookup (api, "GET", "v1/status", NULL, &known));
}

typedef struct {
  GPtrArray *seen;
} Collect;

static void
collect_route (const char *method, const char *path, RkRole roles, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s %s", method, path));
}

static void
test_foreach (void)
{
  g_autoptr(RkApi) api = make_api ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  rk_api_foreach_route (api, collect_route, seen);
  g_assert_cmpuint (seen->len, ==, 4);
  g_assert_cmpstr (seen->pdata[1], ==, "GET /v1/residents/{nik}");
}

static JsonObject *
parse (JsonParser *parser, const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  return json_node_get_object (json_parser_get_root (parser));
}

static const RkJsonField fields[] = {
  { "username", RK_JSON_STRING, TRUE },
  { "count", RK_JSON_INT, FALSE },
  { "ratio", RK_JSON_DOUBLE, FALSE },
  { "flag", RK_JSON_BOOL, FALSE },
  { "note", RK_JSON_STRING, FALSE, TRUE },
  { "items", RK_JSON_ARRAY, FALSE },
  { NULL }
};

static void
test_json_ok (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *obj = parse (parser, "{\"username\":\"a\",\"count\":3,\"ratio\":1,"
                                   "\"flag\":true,\"note\":null,\"items\":[]}");

  g_assert_true (rk_json_check_object (obj, fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rk_json_get_string (obj, "username"), ==, "a");
  g_assert_cmpint (rk_json_get_int (obj, "count", 0), ==, 3);
  g_assert_cmpfloat (rk_json_get_double (obj, "ratio", 0), ==, 1.0);
  g_assert_true (rk_json_get_bool (obj, "flag", FALSE));
  g_assert_null (rk_json_get_string (obj, "note"));
}

static void
check_fails (const char *text, RkApiError code, const char *field, const char *where)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *obj = parse (parser, text);

  g_assert_false (rk_json_check_object (obj, fields, where, &error));
  g_assert_error (error, RK_API_ERROR, (gint) code);
  g_assert_cmpstr (rk_api_error_get_field (error), ==, field);
  g_assert_nonnull (strstr (error->message, field));
}

static void
test_json_unknown_field (void)
{
  check_fails ("{\"username\":\"a\",\"evil\":1}", RK_API_ERROR_UNKNOWN_FIELD, "evil", NULL);
}

static void
test_json_wrong_type (void)
{
  check_fails ("{\"username\":5}", RK_API_ERROR_INVALID_FIELD, "username", NULL);
  check_fails ("{\"username\":\"a\",\"count\":1.5}", RK_API_ERROR_INVALID_FIELD, "count", NULL);
  check_fails ("{\"username\":\"a\",\"count\":\"3\"}", RK_API_ERROR_INVALID_FIELD, "count", NULL);
  check_fails ("{\"username\":\"a\",\"flag\":1}", RK_API_ERROR_INVALID_FIELD, "flag", NULL);
  check_fails ("{\"username\":\"a\",\"items\":{}}", RK_API_ERROR_INVALID_FIELD, "items", NULL);
  /* null only where the field says nullable */
  check_fails ("{\"username\":\"a\",\"count\":null}", RK_API_ERROR_INVALID_FIELD, "count", NULL);
}

static void
test_json_missing (void)
{
  check_fails ("{}", RK_API_ERROR_MISSING_FIELD, "username", NULL);
  check_fails ("{\"username\":null}", RK_API_ERROR_MISSING_FIELD, "username", NULL);
}

static void
test_json_nested_name (void)
{
  check_fails ("{\"username\":\"a\",\"x\":1}", RK_API_ERROR_UNKNOWN_FIELD, "items[2].x",
               "items[2].");
}

static gboolean
custom_map (const GError *error, guint *ret_status, const char **ret_code)
{
  if (error->code != 1)
    return FALSE;
  *ret_status = 422;
  *ret_code = "nik-bad-date";
  return TRUE;
}

static void
test_error_map (void)
{
  GQuark domain = g_quark_from_static_string ("test-domain-quark");
  g_autoptr(GError) known = g_error_new_literal (domain, 1, "x");
  g_autoptr(GError) unknown = g_error_new_literal (domain, 2, "x");
  g_autoptr(GError) other = g_error_new_literal (g_quark_from_static_string ("nobody"), 1, "x");
  g_autoptr(GError) store = g_error_new_literal (RK_STORE_ERROR, RK_STORE_ERROR_CONSTRAINT, "x");
  g_autoptr(GError) api = NULL;
  guint status;
  const char *code;

  rk_api_register_error_domain (domain, custom_map);
  rk_api_error_map (known, &status, &code);
  g_assert_cmpuint (status, ==, 422);
  g_assert_cmpstr (code, ==, "nik-bad-date");
  rk_api_error_map (unknown, &status, &code);
  g_assert_cmpuint (status, ==, 500);
  rk_api_error_map (other, &status, &code);
  g_assert_cmpuint (status, ==, 500);
  g_assert_cmpstr (code, ==, "internal");
  rk_api_error_map (store, &status, &code);
  g_assert_cmpuint (status, ==, 409);
  rk_api_set_field_error (&api, RK_API_ERROR_TOO_LARGE, "photo", "too big");
  rk_api_error_map (api, &status, &code);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpstr (rk_api_error_get_field (api), ==, "photo");
}

static void
test_roles (void)
{
  g_assert_cmpstr (rk_role_to_string (RK_ROLE_OPERATOR), ==, "operator");
  g_assert_cmpstr (rk_role_to_string (RK_ROLE_OPERATOR | RK_ROLE_TECHNICIAN), ==,
                   "operator+technician");
  g_assert_cmpint (rk_roles_parse ("operator, technician"), ==,
                   RK_ROLE_OPERATOR | RK_ROLE_TECHNICIAN);
  g_assert_cmpint (rk_roles_parse ("operator,root"), ==, RK_ROLE_NONE);
  g_assert_cmpint (rk_role_from_string ("supervisor"), ==, RK_ROLE_SUPERVISOR);
  g_assert_cmpint (rk_role_from_string ("Supervisor"), ==, RK_ROLE_NONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/api/router/params", test_lookup_params);
  g_test_add_func ("/api/router/literal-beats-param", test_lookup_literal_first);
  g_test_add_func ("/api/router/404-405", test_lookup_404_405);
  g_test_add_func ("/api/router/foreach", test_foreach);
  g_test_add_func ("/api/json/ok", test_json_ok);
  g_test_add_func ("/api/json/unknown-field", test_json_unknown_field);
  g_test_add_func ("/api/json/wrong-type", test_json_wrong_type);
  g_test_add_func ("/api/json/missing-field", test_json_missing);
  g_test_add_func ("/api/json/nested-name", test_json_nested_name);
  g_test_add_func ("/api/error/map", test_error_map);
  g_test_add_func ("/api/roles", test_roles);
  return g_test_run ();
}
