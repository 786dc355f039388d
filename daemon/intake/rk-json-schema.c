#include "rk-json-schema.h"

#include <string.h>

#include "rk-intake-error.h"

struct _RkJsonSchema {
  JsonParser *parser;     /* owns the schema tree */
  GHashTable *regexes;    /* pattern text -> GRegex, compiled once */
};

static const char *const known_keywords[] = {
  "$schema", "$id", "title", "description", "type", "const", "enum", "required",
  "properties", "additionalProperties", "pattern", "minLength", "maxLength", "items",
  "minItems", "maxItems", NULL,
};

static gboolean
check_keywords (JsonNode *node, const char *where, GHashTable *regexes, GError **error)
{
  JsonObject *obj;
  g_autoptr(GList) members = NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return TRUE;   /* true/false schemas */
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                   "schema at %s is not an object", where);
      return FALSE;
    }
  obj = json_node_get_object (node);
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;

      if (!g_strv_contains (known_keywords, key))
        {
          g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                       "schema at %s uses \"%s\", which this validator does not implement",
                       where, key);
          return FALSE;
        }
    }
  if (json_object_has_member (obj, "pattern"))
    {
      const char *pattern = json_object_get_string_member (obj, "pattern");
      GRegex *regex;

      if (pattern == NULL)
        {
          g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                       "schema at %s: pattern is not a string", where);
          return FALSE;
        }
      regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, error);
      if (regex == NULL)
        return FALSE;
      g_hash_table_insert (regexes, g_strdup (pattern), regex);
    }
  if (json_object_has_member (obj, "properties"))
    {
      JsonObject *properties = json_object_get_object_member (obj, "properties");
      g_autoptr(GList) names = properties ? json_object_get_members (properties) : NULL;

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *child = g_strdup_printf ("%s.properties.%s", where,
                                                    (const char *) l->data);

          if (!check_keywords (json_object_get_member (properties, l->data), child, regexes,
                               error))
            return FALSE;
        }
    }
  if (json_object_has_member (obj, "additionalProperties") &&
      !check_keywords (json_object_get_member (obj, "additionalProperties"), where, regexes,
                       error))
    return FALSE;
  if (json_object_has_member (obj, "items"))
    {
      g_autofree char *child = g_strdup_printf ("%s.items", where);

      if (!check_keywords (json_object_get_member (obj, "items"), child, regexes, error))
        return FALSE;
    }
  return TRUE;
}

RkJsonSchema *
rk_json_schema_new (const char *text, gssize len, GError **error)
{
  g_autoptr(RkJsonSchema) schema = g_new0 (RkJsonSchema, 1);

  schema->parser = json_parser_new ();
  schema->regexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_regex_unref);
  if (!json_parser_load_from_data (schema->parser, text, len, error))
    return NULL;
  if (!check_keywords (json_parser_get_root (schema->parser), "(root)", schema->regexes, error))
    return NULL;
  return g_steal_pointer (&schema);
}

void
rk_json_schema_free (RkJsonSchema *schema)
{
  if (schema == NULL)
    return;
  g_clear_object (&schema->parser);
  g_clear_pointer (&schema->regexes, g_hash_table_unref);
  g_free (schema);
}

/* The JSON type names an instance node satisfies. */
static gboolean
is_type (JsonNode *node, const char *type)
{
  GType value_type;

  if (strcmp (type, "object") == 0)
    return JSON_NODE_HOLDS_OBJECT (node);
  if (strcmp (type, "array") == 0)
    return JSON_NODE_HOLDS_ARRAY (node);
  if (strcmp (type, "null") == 0)
    return JSON_NODE_HOLDS_NULL (node);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  value_type = json_node_get_value_type (node);
  if (strcmp (type, "string") == 0)
    return value_type == G_TYPE_STRING;
  if (strcmp (type, "boolean") == 0)
    return value_type == G_TYPE_BOOLEAN;
  if (strcmp (type, "integer") == 0)
    {
      if (value_type == G_TYPE_INT64)
        return TRUE;
      if (value_type == G_TYPE_DOUBLE)
        {
          double v = json_node_get_double (node);

          return v == (double) (gint64) v;
        }
      return FALSE;
    }
  if (strcmp (type, "number") == 0)
    return value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE;
  return FALSE;
}

static gboolean
fail (GError **error, const char *path, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *path, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_MANIFEST, "%s: %s",
               *path != '\0' ? path : "(root)", what);
  return FALSE;
}

static gboolean
validate (RkJsonSchema *schema, JsonNode *rule, JsonNode *node, const char *path,
          GError **error)
{
  JsonObject *r;

  if (JSON_NODE_HOLDS_VALUE (rule))
    return json_node_get_boolean (rule) ? TRUE
                                        : fail (error, path, "no value is allowed here");
  r = json_node_get_object (rule);

  if (json_object_has_member (r, "type"))
    {
      JsonNode *type = json_object_get_member (r, "type");
      gboolean ok = FALSE;

      if (JSON_NODE_HOLDS_ARRAY (type))
        {
          JsonArray *types = json_node_get_array (type);

          for (guint i = 0; i < json_array_get_length (types) && !ok; i++)
            ok = is_type (node, json_array_get_string_element (types, i));
        }
      else
        ok = is_type (node, json_node_get_string (type));
      if (!ok)
        return fail (error, path, "wrong type (expected %s)",
                     JSON_NODE_HOLDS_VALUE (type) ? json_node_get_string (type) : "one of a list");
    }
  if (json_object_has_member (r, "const") &&
      !json_node_equal (json_object_get_member (r, "const"), node))
    return fail (error, path, "must be exactly the schema's constant");
  if (json_object_has_member (r, "enum"))
    {
      JsonArray *values = json_object_get_array_member (r, "enum");
      gboolean ok = FALSE;

      for (guint i = 0; i < json_array_get_length (values) && !ok; i++)
        ok = json_node_equal (json_array_get_element (values, i), node);
      if (!ok)
        return fail (error, path, "not one of the allowed values");
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      glong length = g_utf8_strlen (text, -1);

      if (json_object_has_member (r, "minLength") &&
          length < json_object_get_int_member (r, "minLength"))
        return fail (error, path, "shorter than %" G_GINT64_FORMAT " characters",
                     json_object_get_int_member (r, "minLength"));
      if (json_object_has_member (r, "maxLength") &&
          length > json_object_get_int_member (r, "maxLength"))
        return fail (error, path, "longer than %" G_GINT64_FORMAT " characters",
                     json_object_get_int_member (r, "maxLength"));
      if (json_object_has_member (r, "pattern"))
        {
          const char *pattern = json_object_get_string_member (r, "pattern");
          GRegex *regex = g_hash_table_lookup (schema->regexes, pattern);

          /* JSON Schema patterns search (unanchored), as g_regex_match does. */
          if (regex == NULL || !g_regex_match (regex, text, 0, NULL))
            return fail (error, path, "does not match %s", pattern);
        }
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      if (json_object_has_member (r, "minItems") && n < json_object_get_int_member (r, "minItems"))
        return fail (error, path, "fewer than %" G_GINT64_FORMAT " items",
                     json_object_get_int_member (r, "minItems"));
      if (json_object_has_member (r, "maxItems") && n > json_object_get_int_member (r, "maxItems"))
        return fail (error, path, "more than %" G_GINT64_FORMAT " items",
                     json_object_get_int_member (r, "maxItems"));
      if (json_object_has_member (r, "items"))
        for (guint i = 0; i < n; i++)
          {
            g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

            if (!validate (schema, json_object_get_member (r, "items"),
                           json_array_get_element (array, i), child, error))
              return FALSE;
          }
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      JsonObject *properties = json_object_has_member (r, "properties")
                               ? json_object_get_object_member (r, "properties") : NULL;
      g_autoptr(GList) members = json_object_get_members (obj);

      if (json_object_has_member (r, "required"))
        {
          JsonArray *required = json_object_get_array_member (r, "required");

          for (guint i = 0; i < json_array_get_length (required); i++)
            {
              const char *name = json_array_get_string_element (required, i);

              if (!json_object_has_member (obj, name))
                {
                  g_autofree char *child = *path ? g_strdup_printf ("%s.%s", path, name)
                                                 : g_strdup (name);

                  return fail (error, child, "required but missing");
                }
            }
        }
      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          g_autofree char *child = *path ? g_strdup_printf ("%s.%s", path, name)
                                         : g_strdup (name);
          JsonNode *child_rule = properties ? json_object_get_member (properties, name) : NULL;

          if (child_rule == NULL)
            child_rule = json_object_get_member (r, "additionalProperties");
          if (child_rule == NULL)
            continue;
          if (JSON_NODE_HOLDS_VALUE (child_rule) && !json_node_get_boolean (child_rule))
            return fail (error, child, "unknown member");
          if (!validate (schema, child_rule, json_object_get_member (obj, name), child, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
rk_json_schema_validate (RkJsonSchema *schema, JsonNode *instance, GError **error)
{
  return validate (schema, json_parser_get_root (schema->parser), instance, "", error);
}
