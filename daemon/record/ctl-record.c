/* rekamctl record ... / queue ...: the record module's subcommands. */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "rk-ctl.h"

static int
ctl_record_enqueue (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *base_dir = NULL;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "expected one MANIFEST.json");
  absolute = g_canonicalize_filename (argv[1], NULL);
  if (!json_parser_load_from_file (parser, absolute, &error))
    {
      fprintf (stderr, "rekamctl: %s: %s\n", argv[1], error->message);
      return RK_CTL_EXIT_USAGE;
    }
  base_dir = g_path_get_dirname (absolute);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "manifest");
  json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  json_builder_set_member_name (builder, "base_dir");
  json_builder_add_string_value (builder, base_dir);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  if (!rk_ctl_request (ctl, "POST", "/v1/records", body, &reply, &error))
    return rk_ctl_fail (ctl, error);
  rk_ctl_print_reply (ctl, reply);
  return RK_CTL_EXIT_OK;
}

static int
ctl_record_show (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  JsonArray *records;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "expected one record id");
  id = rk_ctl_escape (argv[1]);
  path = g_strdup_printf ("/v1/records/%s", id);
  if (!rk_ctl_request (ctl, "GET", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  printf ("record %s: %" G_GINT64_FORMAT " bytes, profile %s\n",
          json_object_get_string_member (json_node_get_object (reply), "record_id"),
          json_object_get_int_member (json_node_get_object (reply), "bytes"),
          json_object_get_string_member (json_node_get_object (reply), "profile"));
  records = json_object_get_array_member (json_node_get_object (reply), "records");
  for (guint r = 0; r < json_array_get_length (records); r++)
    {
      JsonObject *rec = json_array_get_object_element (records, r);
      JsonArray *fields = json_object_get_array_member (rec, "fields");
      printf ("Type-%" G_GINT64_FORMAT "\n", json_object_get_int_member (rec, "type"));
      for (guint f = 0; f < json_array_get_length (fields); f++)
        {
          JsonObject *field = json_array_get_object_element (fields, f);
          const char *mnemonic = json_object_has_member (field, "mnemonic")
                                   ? json_object_get_string_member (field, "mnemonic") : "";
          if (json_object_has_member (field, "value"))
            printf ("  %-8s %-5s %s\n", json_object_get_string_member (field, "field"), mnemonic,
                    json_object_get_string_member (field, "value"));
          else
            printf ("  %-8s %-5s <%" G_GINT64_FORMAT " bytes>\n", json_object_get_string_member (field, "field"),
                    mnemonic, json_object_get_int_member (field, "bytes"));
        }
    }
  return RK_CTL_EXIT_OK;
}

static int
ctl_record_export (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  if (argc != 3)
    return rk_ctl_usage_error (ctl, "expected a record id and an output FILE");
  id = rk_ctl_escape (argv[1]);
  path = g_strdup_printf ("/v1/records/%s/transaction", id);
  if (!rk_ctl_request_bytes (ctl, "GET", path, NULL, NULL, NULL, &bytes, &error))
    return rk_ctl_fail (ctl, error);
  if (bytes == NULL)
    {
      fprintf (stderr, "rekamctl: the daemon sent no transaction\n");
      return RK_CTL_EXIT_DAEMON;
    }
  /* the plain transaction holds biometric data: owner-only, atomic */
  if (!g_file_set_contents_full (argv[2], g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      fprintf (stderr, "rekamctl: %s\n", error->message);
      return RK_CTL_EXIT_FAILED;
    }
  printf ("%s: %" G_GSIZE_FORMAT " bytes (ANSI/NIST-ITL transaction, mode 0600)\n", argv[2],
          g_bytes_get_size (bytes));
  return RK_CTL_EXIT_OK;
}

static int
ctl_record_keys (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 1)
    return rk_ctl_usage_error (ctl, "no arguments expected");
  if (!rk_ctl_request (ctl, "GET", "/v1/record-keys", NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  rk_ctl_print_reply (ctl, reply);
  return RK_CTL_EXIT_OK;
}

static int
ctl_queue_list (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RkCtlTable) table = NULL;
  g_autofree char *path = NULL;
  JsonArray *records;

  if (argc == 3 && g_str_equal (argv[1], "--state"))
    {
      g_autofree char *state = rk_ctl_escape (argv[2]);
      path = g_strdup_printf ("/v1/queue?state=%s", state);
    }
  else if (argc == 1)
    path = g_strdup ("/v1/queue");
  else
    return rk_ctl_usage_error (ctl, "usage: queue list [--state queued|sent|damaged]");
  if (!rk_ctl_request (ctl, "GET", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  records = json_object_get_array_member (json_node_get_object (reply), "records");
  table = rk_ctl_table_new ("RECORD", "STATE", "ATTEMPTS", "BYTES", "CREATED", "SENT", "LAST ERROR", NULL);
  rk_ctl_table_set_keys (table, "record_id", "state", "attempts", "envelope_bytes", "created_at", "sent_at",
                         "last_error", NULL);
  for (guint i = 0; i < json_array_get_length (records); i++)
    rk_ctl_table_add_object (table, json_array_get_object_element (records, i));
  rk_ctl_table_print (table);
  return RK_CTL_EXIT_OK;
}

static int
ctl_queue_show (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  JsonArray *attempts;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "expected one record id");
  id = rk_ctl_escape (argv[1]);
  path = g_strdup_printf ("/v1/queue/%s", id);
  if (!rk_ctl_request (ctl, "GET", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  rk_ctl_print_object (ctl, json_node_get_object (reply));
  attempts = json_object_get_array_member (json_node_get_object (reply), "attempt_history");
  if (attempts != NULL && json_array_get_length (attempts) > 0)
    {
      g_autoptr(RkCtlTable) table = rk_ctl_table_new ("STARTED", "FINISHED", "OUTCOME", "HTTP", "DETAIL", NULL);
      rk_ctl_table_set_keys (table, "started_at", "finished_at", "outcome", "http_status", "detail", NULL);
      for (guint i = 0; i < json_array_get_length (attempts); i++)
        rk_ctl_table_add_object (table, json_array_get_object_element (attempts, i));
      printf ("\n");
      rk_ctl_table_print (table);
    }
  return RK_CTL_EXIT_OK;
}

static int
ctl_queue_retry (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "expected one record id");
  id = rk_ctl_escape (argv[1]);
  path = g_strdup_printf ("/v1/queue/%s/retry", id);
  if (!rk_ctl_request (ctl, "POST", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    rk_ctl_print_json (ctl, reply);
  else
    printf ("%s: queued for upload now\n", argv[1]);
  return RK_CTL_EXIT_OK;
}

const RkCtlCommand rk_ctl_commands_record[] = {
  { "record enqueue", "Build, seal and queue a record from a manifest (tests, demo)", ctl_record_enqueue,
    "MANIFEST.json" },
  { "record show", "Print a queued transaction's structure (no personal data)", ctl_record_show, "ID" },
  { "record export", "Write the plain ANSI/NIST transaction (supervisor)", ctl_record_export, "ID FILE" },
  { "record keys", "Show the station's signing key id and public key", ctl_record_keys, NULL },
  { "queue list", "List queued, sent and damaged records", ctl_queue_list, "[--state queued|sent|damaged]" },
  { "queue show", "Show one record's queue state and attempt history", ctl_queue_show, "ID" },
  { "queue retry", "Try a record's upload again now", ctl_queue_retry, "ID" },
  { NULL }
};
