/* ctl-core.c: rekamctl's core subcommands: status, audit, accounts. */
#include <stdio.h>
#include <string.h>

#include "rk-ctl-private.h"

static int
ctl_status (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;

  if (argc != 1)
    return rk_ctl_usage_error (ctl, "takes no arguments");
  if (!rk_ctl_request (ctl, "GET", "/v1/status", NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    rk_ctl_print_json (ctl, reply);
  else if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    rk_ctl_print_object (ctl, json_node_get_object (reply));
  return RK_CTL_EXIT_OK;
}

static int
ctl_audit_verify (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *obj;
  gboolean ok;

  if (argc != 1)
    return rk_ctl_usage_error (ctl, "takes no arguments");
  if (!rk_ctl_request (ctl, "GET", "/v1/audit/verify", NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_printerr ("rekamctl: rekamd sent no report\n");
      return RK_CTL_EXIT_DAEMON;
    }
  obj = json_node_get_object (reply);
  ok = json_object_get_boolean_member_with_default (obj, "ok", FALSE);
  if (rk_ctl_want_json (ctl))
    rk_ctl_print_json (ctl, reply);
  else
    g_print ("%s: %s (%" G_GINT64_FORMAT " entries checked)\n", ok ? "OK" : "BROKEN",
             json_object_get_string_member_with_default (obj, "message", ""),
             json_object_get_int_member_with_default (obj, "entries", 0));
  return ok ? RK_CTL_EXIT_OK : RK_CTL_EXIT_FAILED;
}

static int
ctl_audit_list (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(RkCtlTable) table = NULL;
  g_autofree char *path = NULL;
  guint64 after = 0;
  guint64 limit = 50;
  JsonArray *entries;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--after") == 0 && i + 1 < argc)
        {
          if (!g_ascii_string_to_unsigned (argv[++i], 10, 0, G_MAXINT64, &after, NULL))
            return rk_ctl_usage_error (ctl, "--after needs an entry id");
        }
      else if (strcmp (argv[i], "--limit") == 0 && i + 1 < argc)
        {
          if (!g_ascii_string_to_unsigned (argv[++i], 10, 1, 1000, &limit, NULL))
            return rk_ctl_usage_error (ctl, "--limit needs a number from 1 to 1000");
        }
      else
        return rk_ctl_usage_error (ctl, "unexpected argument '%s'", argv[i]);
    }
  path = g_strdup_printf ("/v1/audit?after_id=%" G_GUINT64_FORMAT "&limit=%" G_GUINT64_FORMAT,
                          after, limit);
  if (!rk_ctl_request (ctl, "GET", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  table = rk_ctl_table_new ("ID", "AT", "ACTOR", "ROLE", "DOOR", "ACTION", "SUBJECT", NULL);
  entries = json_object_get_array_member (json_node_get_object (reply), "entries");
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    rk_ctl_table_add_object (table, json_array_get_object_element (entries, i));
  rk_ctl_table_print (table);
  return RK_CTL_EXIT_OK;
}

static int
ctl_account_list (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(RkCtlTable) table = NULL;
  JsonArray *accounts;

  if (argc != 1)
    return rk_ctl_usage_error (ctl, "takes no arguments");
  if (!rk_ctl_request (ctl, "GET", "/v1/accounts", NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  table = rk_ctl_table_new ("USERNAME", "ROLE", "DISABLED", "LOCKED", "FAILED_PINS", NULL);
  accounts = json_object_get_array_member (json_node_get_object (reply), "accounts");
  for (guint i = 0; accounts != NULL && i < json_array_get_length (accounts); i++)
    rk_ctl_table_add_object (table, json_array_get_object_element (accounts, i));
  rk_ctl_table_print (table);
  return RK_CTL_EXIT_OK;
}

/* The PIN comes from $REKAM_PIN or stdin, never the command line, where
 * every user could read it in /proc. */
static char *
read_pin (void)
{
  const char *env = g_getenv ("REKAM_PIN");
  char line[64];

  if (env != NULL)
    return g_strdup (env);
  if (fgets (line, sizeof line, stdin) == NULL)
    return NULL;
  return g_strstrip (g_strdup (line));
}

static int
ctl_account_add (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *pin = NULL;

  if (argc != 3)
    return rk_ctl_usage_error (ctl, "needs USERNAME and ROLE");
  pin = read_pin ();
  if (pin == NULL || pin[0] == '\0')
    return rk_ctl_usage_error (ctl, "give the PIN in REKAM_PIN or on stdin");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, argv[1]);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, argv[2]);
  json_builder_set_member_name (builder, "pin");
  json_builder_add_string_value (builder, pin);
  json_builder_end_object (builder);
  if (!rk_ctl_request (ctl, "POST", "/v1/accounts", json_builder_get_root (builder), &reply,
                       &error))
    return rk_ctl_fail (ctl, error);
  rk_ctl_print_reply (ctl, reply);
  return RK_CTL_EXIT_OK;
}

static int
ctl_account_set (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (argc < 3)
    return rk_ctl_usage_error (ctl, "needs USERNAME and at least one change");
  json_builder_begin_object (builder);
  for (int i = 2; i < argc; i++)
    {
      if (strcmp (argv[i], "--unlock") == 0)
        {
          json_builder_set_member_name (builder, "unlock");
          json_builder_add_boolean_value (builder, TRUE);
        }
      else if (strcmp (argv[i], "--disable") == 0 || strcmp (argv[i], "--enable") == 0)
        {
          json_builder_set_member_name (builder, "disabled");
          json_builder_add_boolean_value (builder, strcmp (argv[i], "--disable") == 0);
        }
      else if (strcmp (argv[i], "--role") == 0 && i + 1 < argc)
        {
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder, argv[++i]);
        }
      else if (strcmp (argv[i], "--pin") == 0)
        {
          g_autofree char *pin = read_pin ();
          if (pin == NULL || pin[0] == '\0')
            return rk_ctl_usage_error (ctl, "give the new PIN in REKAM_PIN or on stdin");
          json_builder_set_member_name (builder, "pin");
          json_builder_add_string_value (builder, pin);
        }
      else
        return rk_ctl_usage_error (ctl, "unexpected argument '%s'", argv[i]);
    }
  json_builder_end_object (builder);
  escaped = rk_ctl_escape (argv[1]);
  path = g_strdup_printf ("/v1/accounts/%s", escaped);
  if (!rk_ctl_request (ctl, "PATCH", path, json_builder_get_root (builder), &reply, &error))
    return rk_ctl_fail (ctl, error);
  rk_ctl_print_reply (ctl, reply);
  return RK_CTL_EXIT_OK;
}

const RkCtlCommand rk_ctl_commands_core[] = {
  { "status", "Show the daemon's version, schema, modules and who you are", ctl_status, NULL },
  { "audit verify", "Check the audit chain; names the first edited, deleted or moved entry",
    ctl_audit_verify, NULL },
  { "audit list", "List audit entries", ctl_audit_list, "[--after ID] [--limit N]" },
  { "account list", "List staff accounts", ctl_account_list, NULL },
  { "account add", "Create a staff account (PIN from $REKAM_PIN or stdin)", ctl_account_add,
    "USERNAME operator|supervisor|technician" },
  { "account set", "Change an account: role, PIN, disable/enable, unlock", ctl_account_set,
    "USERNAME [--role ROLE] [--pin] [--disable|--enable] [--unlock]" },
  { NULL }
};
