/* rk-core-routes.c: the core's endpoints: status, OpenAPI, sessions,
 * accounts and the audit trail. */
#include "rk-daemon-private.h"

#include <sodium.h>
#include <string.h>

#include "rk-accounts.h"
#include "rk-audit.h"
#include "rk-module.h"
#include "rk-schemas.h"

#define ADMIN_ROLES (RK_ROLE_SUPERVISOR | RK_ROLE_TECHNICIAN)

static const char *
door_name (RkDoor door)
{
  return door == RK_DOOR_UNIX ? "unix" : door == RK_DOOR_TCP ? "tcp" : "internal";
}

static void
add_actor (JsonBuilder *builder, const RkActor *actor)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, actor->username);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, rk_role_to_string (actor->role));
  json_builder_set_member_name (builder, "door");
  json_builder_add_string_value (builder, door_name (actor->door));
  json_builder_end_object (builder);
}

/* GET /v1/status: anonymous, so the kiosk and health checks can see the
 * daemon is up before anyone logs in. */
static void
status_handler (RkApiRequest *request, gpointer user_data)
{
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  GPtrArray *started = rk_daemon_get_started_modules (daemon);
  const RkActor *actor = rk_api_request_get_actor (request);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *tcp = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, REKAM_VERSION);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder,
                              rk_store_get_schema_version (rk_daemon_get_store (daemon)));
  json_builder_set_member_name (builder, "uptime_seconds");
  json_builder_add_int_value (builder,
                              (g_get_monotonic_time () - rk_daemon_get_start_time (daemon))
                              / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "demo");
  json_builder_add_boolean_value (builder, rk_daemon_is_demo (daemon));
  json_builder_set_member_name (builder, "modules");
  json_builder_begin_array (builder);
  for (guint i = 0; i < started->len; i++)
    json_builder_add_string_value (builder,
                                   ((const RkModule *) g_ptr_array_index (started, i))->name);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "socket");
  json_builder_add_string_value (builder, rk_daemon_get_socket_path (daemon));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, rk_daemon_get_port (daemon));
  json_builder_set_member_name (builder, "you");
  if (actor != NULL)
    add_actor (builder, actor);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  rk_api_request_respond_builder (request, 200, builder);
}

static void
openapi_handler (RkApiRequest *request, gpointer user_data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (rk_schema_openapi, rk_schema_openapi_len);

  rk_api_request_respond_bytes (request, 200, "application/json", bytes);
}

/* ---- sessions -------------------------------------------------------- */

typedef struct {
  RkApiRequest *request;
  RkAccount    *account;   /* NULL when the username is unknown */
  char         *pin;
} LoginData;

static void
login_data_free (LoginData *data)
{
  rk_api_request_unref (data->request);
  rk_account_free (data->account);
  if (data->pin != NULL)
    sodium_memzero (data->pin, strlen (data->pin));
  g_free (data->pin);
  g_free (data);
}

/* Worker thread: argon2id takes a good fraction of a second by design. */
static void
login_verify_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoginData *data = task_data;
  /* An unknown user still costs one verification, so timing does not tell
   * which usernames exist. */
  static gsize dummy_once = 0;
  static char *dummy = NULL;
  gboolean ok = FALSE;

  if (data->account != NULL)
    ok = rk_pin_verify (data->account->pin_hash, data->pin);
  else
    {
      if (g_once_init_enter (&dummy_once))
        {
          dummy = rk_pin_hash ("000000", NULL);
          g_once_init_leave (&dummy_once, 1);
        }
      (void) rk_pin_verify (dummy, data->pin);
    }
  g_task_return_boolean (task, ok);
}

static void
login_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LoginData *data = g_task_get_task_data (G_TASK (result));
  RkApiRequest *request = data->request;
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  const RkAuthConfig *auth = rk_daemon_get_auth_config (daemon);
  RkStore *store = rk_daemon_get_store (daemon);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *token = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), NULL);

  if (data->account == NULL)
    {
      rk_api_request_respond_error_literal (request, 401, "unauthenticated",
                                            "wrong username or PIN", NULL);
      return;
    }
  if (!rk_accounts_record_login (store, data->account, ok, auth->max_pin_failures,
                                 auth->lockout_seconds, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  if (!ok)
    {
      if (data->account->locked_until > 0)
        rk_api_request_respond_error_literal (request, 423, "locked",
                                              "too many wrong PINs: the account is locked "
                                              "for a while; a supervisor can unlock it", NULL);
      else
        rk_api_request_respond_error_literal (request, 401, "unauthenticated",
                                              "wrong username or PIN", NULL);
      return;
    }
  token = rk_sessions_create (store, data->account, "pin", &error);
  if (token == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, data->account->username);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, rk_role_to_string (data->account->role));
  json_builder_set_member_name (builder, "idle_timeout_seconds");
  json_builder_add_int_value (builder, auth->session_idle);
  json_builder_end_object (builder);
  rk_api_request_respond_builder (request, 201, builder);
}

static void
login_handler (RkApiRequest *request, gpointer user_data)
{
  static const RkJsonField fields[] = {
    { "username", RK_JSON_STRING, TRUE },
    { "pin", RK_JSON_STRING, TRUE },
    { NULL }
  };
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(RkAccount) account = NULL;
  LoginData *data;
  JsonObject *body;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  body = rk_api_request_get_json (request, fields, &error);
  if (body == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  account = rk_accounts_lookup (rk_daemon_get_store (daemon),
                                rk_json_get_string (body, "username"), &error);
  if (error != NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  if (account != NULL && account->locked_until > now)
    {
      g_autofree char *message =
        g_strdup_printf ("too many wrong PINs: the account is locked for %" G_GINT64_FORMAT
                         " more seconds; a supervisor can unlock it",
                         account->locked_until - now);
      rk_api_request_respond_error_literal (request, 423, "locked", message, NULL);
      return;
    }
  if (account != NULL && account->disabled)
    g_clear_pointer (&account, rk_account_free);

  data = g_new0 (LoginData, 1);
  data->request = rk_api_request_ref (request);
  data->account = g_steal_pointer (&account);
  data->pin = g_strdup (rk_json_get_string (body, "pin"));
  task = g_task_new (NULL, NULL, login_done, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);
  g_task_run_in_thread (task, login_verify_thread);
}

static void
session_current_handler (RkApiRequest *request, gpointer user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  add_actor (builder, rk_api_request_get_actor (request));
  rk_api_request_respond_builder (request, 200, builder);
}

static void
logout_handler (RkApiRequest *request, gpointer user_data)
{
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  const RkActor *actor = rk_api_request_get_actor (request);
  SoupServerMessage *msg = rk_api_request_get_message (request);
  g_autoptr(GError) error = NULL;
  const char *header;

  if (actor->door != RK_DOOR_TCP || msg == NULL)
    {
      rk_api_request_respond_error_literal (request, 400, "bad-request",
                                            "the unix door has no session to end", NULL);
      return;
    }
  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL || strlen (header) <= 7)
    {
      rk_api_request_respond_error_literal (request, 401, "unauthenticated", "no session",
                                            NULL);
      return;
    }
  if (!rk_sessions_delete (rk_daemon_get_store (daemon), actor, header + 7, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  rk_api_request_respond_empty (request);
}

/* ---- accounts -------------------------------------------------------- */

static void
add_account (JsonBuilder *builder, const RkAccount *account)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, account->username);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, rk_role_to_string (account->role));
  json_builder_set_member_name (builder, "disabled");
  json_builder_add_boolean_value (builder, account->disabled);
  json_builder_set_member_name (builder, "locked");
  json_builder_add_boolean_value (builder, account->locked_until > now);
  json_builder_set_member_name (builder, "failed_pins");
  json_builder_add_int_value (builder, account->failed_pins);
  json_builder_end_object (builder);
}

static void
accounts_list_handler (RkApiRequest *request, gpointer user_data)
{
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  accounts = rk_accounts_list (rk_daemon_get_store (daemon), &error);
  if (accounts == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    add_account (builder, g_ptr_array_index (accounts, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  rk_api_request_respond_builder (request, 200, builder);
}

/* Account changes hash the PIN in a worker, then write on the loop. */
typedef struct {
  RkApiRequest *request;
  char         *username;
  RkRole        role;
  char         *pin;       /* NULL: keep */
  int           disabled;  /* -1: keep */
  gboolean      unlock;
  gboolean      create;
} AccountChange;

static void
account_change_free (AccountChange *change)
{
  rk_api_request_unref (change->request);
  g_free (change->username);
  if (change->pin != NULL)
    sodium_memzero (change->pin, strlen (change->pin));
  g_free (change->pin);
  g_free (change);
}

static void
account_hash_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AccountChange *change = task_data;
  GError *error = NULL;
  char *hash;

  if (change->pin == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  hash = rk_pin_hash (change->pin, &error);
  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

static void
account_change_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AccountChange *change = g_task_get_task_data (G_TASK (result));
  RkApiRequest *request = change->request;
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  RkStore *store = rk_daemon_get_store (daemon);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(RkAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;

  if (error != NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  if (change->create)
    {
      if (rk_accounts_insert (store, rk_api_request_get_actor (request), change->username,
                              change->role, hash, &error) == 0)
        {
          rk_api_request_respond_error_field (request, error,
                                              g_error_matches (error, RK_STORE_ERROR,
                                                               RK_STORE_ERROR_CONSTRAINT)
                                              ? "username" : NULL);
          return;
        }
    }
  else if (!rk_accounts_update (store, rk_api_request_get_actor (request), change->username,
                                change->role, hash, change->disabled, change->unlock, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  account = rk_accounts_lookup (store, change->username, &error);
  if (account == NULL)
    {
      if (error == NULL)
        g_set_error (&error, RK_STORE_ERROR, RK_STORE_ERROR_NOT_FOUND, "account vanished");
      rk_api_request_respond_error (request, error);
      return;
    }
  builder = json_builder_new_immutable ();
  add_account (builder, account);
  rk_api_request_respond_builder (request, change->create ? 201 : 200, builder);
}

static void
run_account_change (AccountChange *change)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, account_change_done, NULL);

  g_task_set_task_data (task, change, (GDestroyNotify) account_change_free);
  g_task_run_in_thread (task, account_hash_thread);
}

static gboolean
parse_role (JsonObject *body, RkRole *ret_role, GError **error)
{
  const char *name = rk_json_get_string (body, "role");

  *ret_role = RK_ROLE_NONE;
  if (name == NULL)
    return TRUE;
  *ret_role = rk_role_from_string (name);
  if (*ret_role == RK_ROLE_NONE)
    {
      rk_api_set_field_error (error, RK_API_ERROR_INVALID_FIELD, "role",
                              "role must be operator, supervisor or technician");
      return FALSE;
    }
  return TRUE;
}

static void
accounts_create_handler (RkApiRequest *request, gpointer user_data)
{
  static const RkJsonField fields[] = {
    { "username", RK_JSON_STRING, TRUE },
    { "role", RK_JSON_STRING, TRUE },
    { "pin", RK_JSON_STRING, TRUE },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  AccountChange *change;
  JsonObject *body;
  RkRole role;

  body = rk_api_request_get_json (request, fields, &error);
  if (body == NULL || !rk_username_check_format (rk_json_get_string (body, "username"), &error) ||
      !parse_role (body, &role, &error) ||
      !rk_pin_check_format (rk_json_get_string (body, "pin"), &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  change = g_new0 (AccountChange, 1);
  change->request = rk_api_request_ref (request);
  change->username = g_strdup (rk_json_get_string (body, "username"));
  change->role = role;
  change->pin = g_strdup (rk_json_get_string (body, "pin"));
  change->disabled = -1;
  change->create = TRUE;
  run_account_change (change);
}

static void
accounts_update_handler (RkApiRequest *request, gpointer user_data)
{
  static const RkJsonField fields[] = {
    { "role", RK_JSON_STRING, FALSE },
    { "pin", RK_JSON_STRING, FALSE },
    { "disabled", RK_JSON_BOOL, FALSE },
    { "unlock", RK_JSON_BOOL, FALSE },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  AccountChange *change;
  JsonObject *body;
  RkRole role;
  const char *pin;

  body = rk_api_request_get_json (request, fields, &error);
  if (body == NULL || !parse_role (body, &role, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  pin = rk_json_get_string (body, "pin");
  if (pin != NULL && !rk_pin_check_format (pin, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  change = g_new0 (AccountChange, 1);
  change->request = rk_api_request_ref (request);
  change->username = g_strdup (rk_api_request_get_param (request, "username"));
  change->role = role;
  change->pin = g_strdup (pin);
  change->disabled = json_object_has_member (body, "disabled")
    ? rk_json_get_bool (body, "disabled", FALSE) : -1;
  change->unlock = rk_json_get_bool (body, "unlock", FALSE);
  run_account_change (change);
}

/* ---- audit ----------------------------------------------------------- */

/* Walking the chain reads and hashes every entry: on a worker thread with
 * its own connection, so the loop keeps serving. */
static void
audit_verify_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RkStore *store = task_data;
  GError *error = NULL;
  sqlite3 *db = rk_store_open_connection (store, &error);
  RkAuditReport *report;

  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  report = rk_audit_verify_db (store, db, &error);
  sqlite3_close_v2 (db);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) rk_audit_report_free);
}

static void
audit_verify_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RkApiRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RkAuditReport) report = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  if (report == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, report->ok);
  json_builder_set_member_name (builder, "entries");
  json_builder_add_int_value (builder, report->entries);
  json_builder_set_member_name (builder, "bad_id");
  if (report->ok)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, report->bad_id);
  json_builder_set_member_name (builder, "problem");
  if (report->problem != NULL)
    json_builder_add_string_value (builder, report->problem);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, report->message != NULL
                                 ? report->message : "the audit chain is intact");
  json_builder_end_object (builder);
  rk_api_request_respond_builder (request, 200, builder);
}

static void
audit_verify_handler (RkApiRequest *request, gpointer user_data)
{
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  g_autoptr(GTask) task = g_task_new (NULL, rk_api_request_get_cancellable (request),
                                      audit_verify_done, rk_api_request_ref (request));

  /* The task keeps the store alive: a SIGTERM may close it mid-walk. */
  g_task_set_task_data (task, rk_store_ref (rk_daemon_get_store (daemon)),
                        (GDestroyNotify) rk_store_close);
  g_task_run_in_thread (task, audit_verify_thread);
}

static gboolean
query_int (RkApiRequest *request, const char *name, gint64 fallback, gint64 min, gint64 max,
           gint64 *ret_value, GError **error)
{
  const char *text = rk_api_request_get_query (request, name);
  guint64 value;

  if (text == NULL)
    {
      *ret_value = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, (guint64) min, (guint64) max, &value, NULL))
    {
      rk_api_set_field_error (error, RK_API_ERROR_INVALID_FIELD, name,
                              "%s must be an integer from %" G_GINT64_FORMAT " to %"
                              G_GINT64_FORMAT, name, min, max);
      return FALSE;
    }
  *ret_value = (gint64) value;
  return TRUE;
}

static void
audit_list_handler (RkApiRequest *request, gpointer user_data)
{
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  sqlite3 *db = rk_store_get_db (rk_daemon_get_store (daemon));
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  gint64 after_id;
  gint64 limit;
  int rc;

  if (!query_int (request, "after_id", 0, 0, G_MAXINT64, &after_id, &error) ||
      !query_int (request, "limit", 100, 1, 1000, &limit, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  stmt = rk_store_prepare (db, "SELECT id, at, actor, role, door, action, subject, detail "
                               "FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2", &error);
  if (stmt == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      static const char *const names[] = {
        "id", "at", "actor", "role", "door", "action", "subject", "detail"
      };
      json_builder_begin_object (builder);
      for (int c = 0; c < 8; c++)
        {
          json_builder_set_member_name (builder, names[c]);
          if (c == 0)
            json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
          else if (sqlite3_column_type (stmt, c) == SQLITE_NULL)
            json_builder_add_null_value (builder);
          else
            json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, c));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (rc != SQLITE_DONE)
    {
      rk_store_set_error (db, rc, "read audit trail", &error);
      rk_api_request_respond_error (request, error);
      return;
    }
  rk_api_request_respond_builder (request, 200, builder);
}

void
rk_core_routes_register (RkDaemon *daemon)
{
  RkApi *api = rk_daemon_get_api (daemon);

  rk_api_add_route (api, "GET", "/v1/status", RK_ROLE_ANONYMOUS, status_handler, NULL);
  rk_api_add_route (api, "GET", "/v1/openapi.json", RK_ROLE_ANONYMOUS, openapi_handler, NULL);
  rk_api_add_route (api, "POST", "/v1/sessions", RK_ROLE_ANONYMOUS, login_handler, NULL);
  rk_api_add_route (api, "GET", "/v1/sessions/current", RK_ROLE_ANY,
                    session_current_handler, NULL);
  rk_api_add_route (api, "DELETE", "/v1/sessions/current", RK_ROLE_ANY, logout_handler, NULL);
  rk_api_add_route (api, "GET", "/v1/accounts", ADMIN_ROLES, accounts_list_handler, NULL);
  rk_api_add_route (api, "POST", "/v1/accounts", ADMIN_ROLES, accounts_create_handler, NULL);
  rk_api_add_route (api, "PATCH", "/v1/accounts/{username}", ADMIN_ROLES,
                    accounts_update_handler, NULL);
  rk_api_add_route (api, "GET", "/v1/audit", ADMIN_ROLES, audit_list_handler, NULL);
  rk_api_add_route (api, "GET", "/v1/audit/verify", ADMIN_ROLES, audit_verify_handler, NULL);
}
