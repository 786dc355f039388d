/* ctl-devices.c: `rekamctl device ...` for technicians. */
#include <stdio.h>
#include <string.h>

#include "rk-ctl.h"

static char *
device_path (const char *id, const char *suffix)
{
  g_autofree char *escaped = rk_ctl_escape (id);
  return g_strdup_printf ("/v1/devices/%s%s", escaped, suffix ? suffix : "");
}

static int
ctl_device_list (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(RkCtlTable) table = NULL;
  JsonObject *obj, *power;
  JsonArray *devices;

  if (argc != 1)
    return rk_ctl_usage_error (ctl, "takes no arguments");
  if (!rk_ctl_request (ctl, "GET", "/v1/devices", NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  obj = json_node_get_object (reply);
  devices = json_object_get_array_member (obj, "devices");
  table = rk_ctl_table_new ("ID", "CLASS", "DRIVER", "STATE", "SERIAL", "NAME", NULL);
  rk_ctl_table_set_keys (table, "id", "class", "driver", "state", "serial", "label", NULL);
  for (guint i = 0; devices != NULL && i < json_array_get_length (devices); i++)
    rk_ctl_table_add_object (table, json_array_get_object_element (devices, i));
  rk_ctl_table_print (table);
  power = json_object_get_object_member (obj, "power");
  if (power != NULL)
    g_print ("\npower: %s%s\n", json_object_get_string_member_with_default (power, "source", "unknown"),
             json_object_get_boolean_member_with_default (power, "captures_refused", FALSE)
               ? " (LOW BATTERY: captures refused)" : "");
  return RK_CTL_EXIT_OK;
}

static int
ctl_device_info (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "needs one device id");
  path = device_path (argv[1], NULL);
  if (!rk_ctl_request (ctl, "GET", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  rk_ctl_print_reply (ctl, reply);
  return RK_CTL_EXIT_OK;
}

static int
ctl_device_test (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  JsonObject *obj;
  JsonArray *checks;
  gboolean passed;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "needs one device id");
  path = device_path (argv[1], "/test");
  if (!rk_ctl_request (ctl, "POST", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  obj = json_node_get_object (reply);
  passed = json_object_get_boolean_member_with_default (obj, "passed", FALSE);
  if (rk_ctl_want_json (ctl))
    rk_ctl_print_json (ctl, reply);
  else
    {
      checks = json_object_get_array_member (obj, "checks");
      for (guint i = 0; checks != NULL && i < json_array_get_length (checks); i++)
        {
          JsonObject *c = json_array_get_object_element (checks, i);
          g_print ("%-4s %-24s %s\n", json_object_get_boolean_member_with_default (c, "passed", FALSE) ? "PASS" : "FAIL",
                   json_object_get_string_member_with_default (c, "name", ""),
                   json_object_get_string_member_with_default (c, "detail", ""));
        }
      g_print ("%s: %s\n", argv[1], passed ? "all checks passed" : "some checks FAILED");
    }
  return passed ? RK_CTL_EXIT_OK : RK_CTL_EXIT_FAILED;
}

static int
ctl_device_calibrate (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  JsonObject *obj, *cal;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "needs one device id");
  path = device_path (argv[1], "/calibrate");
  if (!rk_ctl_request (ctl, "POST", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  obj = json_node_get_object (reply);
  cal = json_object_get_object_member (obj, "calibration");
  g_print ("%s (serial %s): calibration stored, applied from the next open\n", argv[1],
           json_object_get_string_member_with_default (obj, "serial", "?"));
  if (cal != NULL)
    rk_ctl_print_object (ctl, cal);
  return RK_CTL_EXIT_OK;
}

static int
ctl_device_record (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) session = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GBytes) body_bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  guint64 seconds = 5, captures = 1;

  if (argc < 3)
    return rk_ctl_usage_error (ctl, "needs a device id and a file");
  for (int i = 3; i < argc; i++)
    {
      if (strcmp (argv[i], "--seconds") == 0 && i + 1 < argc)
        {
          if (!g_ascii_string_to_unsigned (argv[++i], 10, 1, 600, &seconds, NULL))
            return rk_ctl_usage_error (ctl, "--seconds needs 1..600");
        }
      else if (strcmp (argv[i], "--captures") == 0 && i + 1 < argc)
        {
          if (!g_ascii_string_to_unsigned (argv[++i], 10, 1, 100, &captures, NULL))
            return rk_ctl_usage_error (ctl, "--captures needs 1..100");
        }
      else
        return rk_ctl_usage_error (ctl, "unexpected argument '%s'", argv[i]);
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_int_value (b, (gint64) seconds);
  json_builder_set_member_name (b, "captures");
  json_builder_add_int_value (b, (gint64) captures);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  text = json_to_string (body, FALSE);
  body_bytes = g_bytes_new (text, strlen (text));
  path = device_path (argv[1], "/record");
  if (!rk_ctl_request_bytes (ctl, "POST", path, "application/json", body_bytes, NULL, &session, &error))
    return rk_ctl_fail (ctl, error);
  if (session == NULL ||
      !g_file_set_contents (argv[2], g_bytes_get_data (session, NULL), (gssize) g_bytes_get_size (session), &error))
    {
      g_printerr ("rekamctl: cannot write %s: %s\n", argv[2], error ? error->message : "no session received");
      return RK_CTL_EXIT_FAILED;
    }
  g_print ("%s: recorded %" G_GSIZE_FORMAT " bytes to %s\n", argv[1], g_bytes_get_size (session), argv[2]);
  return RK_CTL_EXIT_OK;
}

static int
ctl_device_replay (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GBytes) body = NULL;
  char *data = NULL;
  gsize len = 0;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "needs a session file");
  if (!g_file_get_contents (argv[1], &data, &len, &error))
    {
      g_printerr ("rekamctl: %s\n", error->message);
      return RK_CTL_EXIT_FAILED;
    }
  body = g_bytes_new_take (data, len);
  if (!rk_ctl_request_bytes (ctl, "POST", "/v1/devices/replay", "text/plain", body, &reply, NULL, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    rk_ctl_print_json (ctl, reply);
  else
    g_print ("replaying %s as device %s\n", argv[1],
             json_object_get_string_member_with_default (json_node_get_object (reply), "id", "?"));
  return RK_CTL_EXIT_OK;
}

const RkCtlCommand rk_ctl_commands_devices[] = {
  { "device list", "List the station's devices and the power state", ctl_device_list, NULL },
  { "device info", "Identity, driver, serial, firmware and state of a device", ctl_device_info, "DEV" },
  { "device test", "Run a device's diagnostics (pass/fail per check)", ctl_device_test, "DEV" },
  { "device calibrate", "Calibrate a device; stored per serial, applied on the next open",
    ctl_device_calibrate, "DEV" },
  { "device record", "Record a device session into FILE", ctl_device_record,
    "DEV FILE [--seconds N] [--captures N]" },
  { "device replay", "Add a replay device playing the session FILE", ctl_device_replay, "FILE" },
  { NULL }
};
