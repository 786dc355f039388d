/* rk-ctl.c: rekamctl's HTTP client over the unix socket, and its output. */
#include "rk-ctl-private.h"

#include <stdio.h>
#include <string.h>

/* The daemon's error code and field travel with the GError (an extended
 * error domain), so callers print error->message as usual. */
typedef struct {
  char *code;
  char *field;
} RkCtlErrorPrivate;

static void
rk_ctl_error_private_init (RkCtlErrorPrivate *priv)
{
  priv->code = NULL;
  priv->field = NULL;
}

static void
rk_ctl_error_private_copy (const RkCtlErrorPrivate *src, RkCtlErrorPrivate *dest)
{
  dest->code = g_strdup (src->code);
  dest->field = g_strdup (src->field);
}

static void
rk_ctl_error_private_clear (RkCtlErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (RkCtlError, rk_ctl_error)

static void
set_error (GError **error, RkCtlError kind, const char *code, const char *field,
           const char *format, ...) G_GNUC_PRINTF (5, 6);

static void
set_error (GError **error, RkCtlError kind, const char *code, const char *field,
           const char *format, ...)
{
  va_list args;
  GError *e;
  RkCtlErrorPrivate *priv;

  if (error == NULL)
    return;
  va_start (args, format);
  e = g_error_new_valist (RK_CTL_ERROR, kind, format, args);
  va_end (args);
  priv = rk_ctl_error_get_private (e);
  if (priv != NULL)
    {
      priv->code = code != NULL && *code ? g_strdup (code) : NULL;
      priv->field = field != NULL && *field ? g_strdup (field) : NULL;
    }
  *error = e;
}

RkCtl *
rk_ctl_new (const char *socket_path, gboolean json)
{
  RkCtl *ctl = g_new0 (RkCtl, 1);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);

  ctl->socket_path = g_strdup (socket_path);
  ctl->json = json;
  ctl->session = soup_session_new_with_options ("remote-connectable", address,
                                                "timeout", 600,
                                                "user-agent", "rekamctl/" REKAM_VERSION,
                                                NULL);
  return ctl;
}

void
rk_ctl_free (RkCtl *ctl)
{
  if (ctl == NULL)
    return;
  g_clear_object (&ctl->session);
  g_free (ctl->socket_path);
  g_free (ctl);
}

static void
set_daemon_error (GError **error, guint status, GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *message = NULL;
  const char *code = "";
  const char *field = "";
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  RkCtlError kind = status >= 500 ? RK_CTL_ERROR_DAEMON : RK_CTL_ERROR_REFUSED;

  if (data != NULL && len > 0 && json_parser_load_from_data (parser, data, (gssize) len, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);
      if (JSON_NODE_HOLDS_OBJECT (root) &&
          json_object_has_member (json_node_get_object (root), "error"))
        {
          JsonNode *node = json_object_get_member (json_node_get_object (root), "error");
          if (JSON_NODE_HOLDS_OBJECT (node))
            {
              JsonObject *e = json_node_get_object (node);
              message = json_object_get_string_member_with_default (e, "message", NULL);
              code = json_object_get_string_member_with_default (e, "code", "");
              field = json_object_get_string_member_with_default (e, "field", "");
            }
        }
    }
  if (message == NULL)
    message = soup_status_get_phrase (status);
  set_error (error, kind, code, field, "%s", message);
}

gboolean
rk_ctl_request_bytes (RkCtl *ctl, const char *method, const char *path,
                      const char *content_type, GBytes *body, JsonNode **ret_json,
                      GBytes **ret_bytes, GError **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  const char *type;
  guint status;

  g_return_val_if_fail (ctl != NULL && method != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The host is ignored: the session connects to the unix socket. */
  uri = g_strconcat ("http://rekamd", path, NULL);
  msg = soup_message_new (method, uri);
  if (msg == NULL)
    {
      set_error (error, RK_CTL_ERROR_USAGE, NULL, NULL, "bad request path %s", path);
      return FALSE;
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  response = soup_session_send_and_read (ctl->session, msg, NULL, &local_error);
  if (response == NULL)
    {
      set_error (error, RK_CTL_ERROR_CONNECT, NULL, NULL,
                 "cannot reach rekamd at %s: %s (is it running? set --socket or REKAM_SOCKET)",
                 ctl->socket_path, local_error->message);
      return FALSE;
    }
  status = soup_message_get_status (msg);
  if (status >= 400)
    {
      set_daemon_error (error, status, response);
      return FALSE;
    }
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (ret_json != NULL)
    *ret_json = NULL;
  if (g_strcmp0 (type, "application/json") == 0 && g_bytes_get_size (response) > 0)
    {
      if (ret_json != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          gsize len = 0;
          const char *data = g_bytes_get_data (response, &len);
          if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
            {
              set_error (error, RK_CTL_ERROR_DAEMON, NULL, NULL,
                         "rekamd sent malformed JSON: %s", local_error->message);
              return FALSE;
            }
          *ret_json = json_node_copy (json_parser_get_root (parser));
        }
    }
  if (ret_bytes != NULL)
    *ret_bytes = g_steal_pointer (&response);
  return TRUE;
}

gboolean
rk_ctl_request (RkCtl *ctl, const char *method, const char *path, JsonNode *body,
                JsonNode **ret_json, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize len = 0;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &len);
      bytes = g_bytes_new_take (text, len);
    }
  return rk_ctl_request_bytes (ctl, method, path, "application/json", bytes, ret_json, NULL,
                               error);
}

char *
rk_ctl_escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

const char *
rk_ctl_error_get_code (const GError *error)
{
  RkCtlErrorPrivate *priv;

  if (error == NULL || error->domain != RK_CTL_ERROR)
    return NULL;
  priv = rk_ctl_error_get_private (error);
  return priv != NULL ? priv->code : NULL;
}

const char *
rk_ctl_error_get_field (const GError *error)
{
  RkCtlErrorPrivate *priv;

  if (error == NULL || error->domain != RK_CTL_ERROR)
    return NULL;
  priv = rk_ctl_error_get_private (error);
  return priv != NULL ? priv->field : NULL;
}

int
rk_ctl_fail (RkCtl *ctl, const GError *error)
{
  const char *code = rk_ctl_error_get_code (error);
  const char *field = rk_ctl_error_get_field (error);

  if (error == NULL)
    return RK_CTL_EXIT_FAILED;
  if (ctl != NULL && ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code != NULL ? code : "rekamctl");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, error->message);
      if (field != NULL)
        {
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, field);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_generator_set_root (generator, json_builder_get_root (builder));
      text = json_generator_to_data (generator, NULL);
      g_printerr ("%s\n", text);
    }
  else if (code != NULL && field != NULL)
    g_printerr ("rekamctl: %s (%s, field %s)\n", error->message, code, field);
  else if (code != NULL)
    g_printerr ("rekamctl: %s (%s)\n", error->message, code);
  else
    g_printerr ("rekamctl: %s\n", error->message);
  if (error->domain == RK_CTL_ERROR)
    return error->code;
  return RK_CTL_EXIT_FAILED;
}

int
rk_ctl_usage_error (RkCtl *ctl, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (ctl != NULL && ctl->command != NULL)
    {
      g_printerr ("rekamctl %s: %s\n", ctl->command->name, text);
      g_printerr ("usage: rekamctl %s%s%s\n", ctl->command->name,
                  ctl->command->usage != NULL ? " " : "",
                  ctl->command->usage != NULL ? ctl->command->usage : "");
    }
  else
    g_printerr ("rekamctl: %s\n", text);
  return RK_CTL_EXIT_USAGE;
}

void
rk_ctl_print_usage (const RkCtlCommand *command)
{
  g_print ("usage: rekamctl %s%s%s\n\n%s\n", command->name, command->usage != NULL ? " " : "",
           command->usage != NULL ? command->usage : "", command->help);
  g_print ("\nGlobal options: --socket PATH (or REKAM_SOCKET), --json\n"
           "Exit status: 0 ok, 1 answer is no, 2 usage, 3 refused by rekamd, "
           "4 cannot connect, 5 rekamd failed\n");
}

gboolean
rk_ctl_want_json (RkCtl *ctl)
{
  return ctl != NULL && ctl->json;
}

void
rk_ctl_print_json (RkCtl *ctl, JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  if (node == NULL)
    return;
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("-");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);
      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "yes" : "no");
    }
  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    json_generator_set_root (generator, node);
    return json_generator_to_data (generator, NULL);
  }
}

void
rk_ctl_print_reply (RkCtl *ctl, JsonNode *reply)
{
  if (rk_ctl_want_json (ctl))
    rk_ctl_print_json (ctl, reply);
  else
    rk_ctl_print_object (ctl, json_node_get_object (reply));
}

void
rk_ctl_print_object (RkCtl *ctl, JsonObject *obj)
{
  g_autoptr(GList) members = json_object_get_members (obj);
  gsize width = 0;

  for (GList *l = members; l != NULL; l = l->next)
    width = MAX (width, strlen (l->data));
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *text = node_to_text (json_object_get_member (obj, l->data));
      g_print ("%-*s  %s\n", (int) width + 1, (const char *) l->data, text);
    }
}

struct _RkCtlTable {
  GPtrArray *headings;  /* char* */
  GPtrArray *keys;      /* char*, member names for add_object */
  GPtrArray *rows;      /* GPtrArray of char* */
};

RkCtlTable *
rk_ctl_table_new (const char *first_heading, ...)
{
  RkCtlTable *table = g_new0 (RkCtlTable, 1);
  va_list args;

  table->headings = g_ptr_array_new_with_free_func (g_free);
  table->keys = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  va_start (args, first_heading);
  for (const char *h = first_heading; h != NULL; h = va_arg (args, const char *))
    {
      g_ptr_array_add (table->headings, g_strdup (h));
      g_ptr_array_add (table->keys, g_ascii_strdown (h, -1));
    }
  va_end (args);
  return table;
}

void
rk_ctl_table_set_keys (RkCtlTable *table, const char *first_key, ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first_key);
  for (const char *k = first_key; k != NULL && i < table->keys->len;
       k = va_arg (args, const char *), i++)
    {
      g_free (table->keys->pdata[i]);
      table->keys->pdata[i] = g_strdup (k);
    }
  va_end (args);
}

void
rk_ctl_table_add_row (RkCtlTable *table, const char *first_cell, ...)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  va_start (args, first_cell);
  g_ptr_array_add (row, g_strdup (first_cell != NULL ? first_cell : "-"));
  for (guint i = 1; i < table->headings->len; i++)
    {
      const char *cell = va_arg (args, const char *);
      g_ptr_array_add (row, g_strdup (cell != NULL ? cell : "-"));
    }
  va_end (args);
  g_ptr_array_add (table->rows, row);
}

void
rk_ctl_table_add_object (RkCtlTable *table, JsonObject *obj)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < table->keys->len; i++)
    g_ptr_array_add (row, node_to_text (json_object_get_member (obj, table->keys->pdata[i])));
  g_ptr_array_add (table->rows, row);
}

static gsize
text_width (const char *text)
{
  return g_utf8_validate (text, -1, NULL) ? (gsize) g_utf8_strlen (text, -1) : strlen (text);
}

static void
print_row (GPtrArray *cells, const gsize *widths)
{
  for (guint i = 0; i < cells->len; i++)
    {
      const char *cell = cells->pdata[i];
      gboolean last = i + 1 == cells->len;
      g_print ("%s", cell);
      if (!last)
        for (gsize pad = text_width (cell); pad < widths[i] + 2; pad++)
          g_print (" ");
    }
  g_print ("\n");
}

void
rk_ctl_table_print (RkCtlTable *table)
{
  g_autofree gsize *widths = g_new0 (gsize, table->headings->len);

  for (guint i = 0; i < table->headings->len; i++)
    widths[i] = text_width (table->headings->pdata[i]);
  for (guint r = 0; r < table->rows->len; r++)
    {
      GPtrArray *row = table->rows->pdata[r];
      for (guint i = 0; i < row->len && i < table->headings->len; i++)
        widths[i] = MAX (widths[i], text_width (row->pdata[i]));
    }
  print_row (table->headings, widths);
  for (guint r = 0; r < table->rows->len; r++)
    print_row (table->rows->pdata[r], widths);
}

void
rk_ctl_table_free (RkCtlTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->headings);
  g_ptr_array_unref (table->keys);
  g_ptr_array_unref (table->rows);
  g_free (table);
}
