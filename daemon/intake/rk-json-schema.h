/* A JSON Schema validator for the subset of keywords our schemas use
 * (schemas/ ... .schema.json): type, const, enum, required, properties,
 * additionalProperties, pattern, minLength, maxLength, items, minItems,
 * maxItems, plus the annotations $schema, $id, title, description.
 * A schema using any other keyword is refused when loaded, so a schema
 * change cannot be silently ignored. tests/intake checks that its
 * verdicts match python3-jsonschema's on the same manifests. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _RkJsonSchema RkJsonSchema;

/* Parses @text as a schema (transfer full) or returns NULL with
 * RK_INTAKE_ERROR_INVALID naming the unsupported keyword. */
RkJsonSchema *rk_json_schema_new (const char *text, gssize len, GError **error);
void          rk_json_schema_free (RkJsonSchema *schema);

/* Returns TRUE when @instance is valid; else FALSE with
 * RK_INTAKE_ERROR_MANIFEST whose message starts with the JSON path of
 * the first offending value ("applicant.nik: ..."). */
gboolean      rk_json_schema_validate (RkJsonSchema *schema, JsonNode *instance,
                                       GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkJsonSchema, rk_json_schema_free)

G_END_DECLS
