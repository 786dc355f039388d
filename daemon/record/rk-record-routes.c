/* The record module's API routes (schemas/openapi/record.json). */
#include "rk-record.h"

#include <sodium.h>

#include "an2k.h"
#include "rk-an2k-build.h"
#include "rk-api.h"
#include "rk-audit.h"
#include "rk-record-error.h"
#include "rk-store.h"

static void
enqueue_responded (JsonNode *result, const GError *error, gpointer user_data)
{
  g_autoptr(RkApiRequest) request = user_data;

  if (result == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_json (request, 201, result);
}

/* POST /v1/records {"manifest": {...}, "base_dir": "/abs/dir"}: builds,
 * seals and queues a record. The manifest names image files the daemon
 * reads (absolute paths, or relative to base_dir). Until the recording
 * workflow calls rk_record_enqueue() itself, this is how tests, the demo
 * and technicians put a record in the queue. */
static void
handle_enqueue (RkApiRequest *request, gpointer user_data)
{
  static const RkJsonField fields[] = {
    { "manifest", RK_JSON_OBJECT, TRUE, FALSE },
    { "base_dir", RK_JSON_STRING, FALSE, TRUE },
    { NULL }
  };
  RkRecord *record = user_data;
  g_autoptr(GError) error = NULL;
  JsonObject *body = rk_api_request_get_json (request, fields, &error);
  const char *base_dir;

  if (body == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  base_dir = rk_json_get_string (body, "base_dir");
  if (base_dir != NULL && !g_path_is_absolute (base_dir))
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "base_dir", "base_dir must be an absolute path");
      rk_api_request_respond_error (request, error);
      return;
    }
  rk_record_enqueue (record, json_object_get_member (body, "manifest"), base_dir,
                     rk_api_request_get_actor (request), enqueue_responded, rk_api_request_ref (request));
}

static void
handle_queue_list (RkApiRequest *request, gpointer user_data)
{
  RkRecord *record = user_data;
  g_autoptr(GError) error = NULL;
  const char *state = rk_api_request_get_query (request, "state");
  JsonNode *node;

  if (state != NULL && !g_str_equal (state, "queued") && !g_str_equal (state, "sent")
      && !g_str_equal (state, "damaged"))
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "state", "state must be queued, sent or damaged");
      rk_api_request_respond_error (request, error);
      return;
    }
  node = rk_record_queue_list_json (record, state, &error);
  if (node == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_json (request, 200, node);
}

static void
handle_queue_show (RkApiRequest *request, gpointer user_data)
{
  RkRecord *record = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *node = rk_record_queue_get_json (record, rk_api_request_get_param (request, "id"), TRUE, &error);

  if (node == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_json (request, 200, node);
}

static void
handle_queue_retry (RkApiRequest *request, gpointer user_data)
{
  RkRecord *record = user_data;
  g_autoptr(GError) error = NULL;
  const char *id = rk_api_request_get_param (request, "id");
  JsonNode *node;

  if (!rk_record_queue_retry (record, id, rk_api_request_get_actor (request), &error)
      || (node = rk_record_queue_get_json (record, id, FALSE, &error)) == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  rk_api_request_respond_json (request, 200, node);
}

/* The structure of a transaction, without personal data: Type-2 values
 * (NIK, name, address) and image bytes are reported by size only. */
static void
handle_record_show (RkApiRequest *request, gpointer user_data)
{
  RkRecord *record = user_data;
  g_autoptr(GError) error = NULL;
  const char *id = rk_api_request_get_param (request, "id");
  g_autoptr(GBytes) bytes = rk_record_queue_get_transaction (record, id, &error);
  g_autoptr(an2k_transaction) transaction = NULL;
  g_autoptr(an2k_profile) profile = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  an2k_fault fault = { 0 };

  if (bytes == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  if (an2k_transaction_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &transaction, &fault)
        != AN2K_OK
      || an2k_profile_new_default (&profile) != AN2K_OK)
    {
      g_set_error (&error, RK_RECORD_ERROR, RK_RECORD_ERROR_FAILED, "stored transaction unreadable: %s",
                   fault.message);
      rk_api_request_respond_error (request, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "record_id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, (gint64) g_bytes_get_size (bytes));
  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, an2k_profile_get_name (profile));
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (size_t r = 0; r < an2k_transaction_get_n_records (transaction); r++)
    {
      an2k_record *rec = an2k_transaction_get_record (transaction, r);
      unsigned type = an2k_record_get_type (rec);
      size_t n = an2k_record_get_n_fields (rec);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_int_value (builder, type);
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_array (builder);
      for (size_t f = 0; f < n; f++)
        {
          const an2k_field *field = an2k_record_get_field_at (rec, f);
          gboolean binary = an2k_type_is_binary (type) ? f + 1 == n : field->number == 999;
          g_autofree char *tag = g_strdup_printf ("%u.%03u", type, field->number);
          const char *mnemonic = an2k_profile_get_mnemonic (profile, type, field->number);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, tag);
          if (mnemonic)
            {
              json_builder_set_member_name (builder, "mnemonic");
              json_builder_add_string_value (builder, mnemonic);
            }
          json_builder_set_member_name (builder, "bytes");
          json_builder_add_int_value (builder, (gint64) field->length);
          if (!binary && type != 2 && g_utf8_validate ((const char *) field->value, (gssize) field->length, NULL))
            {
              g_autofree char *value = g_strndup ((const char *) field->value, field->length);
              g_strdelimit (value, "\x1e", '|');
              g_strdelimit (value, "\x1f", '^');
              json_builder_set_member_name (builder, "value");
              json_builder_add_string_value (builder, value);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  rk_api_request_respond_builder (request, 200, builder);
}

/* The plain transaction, for a supervisor: audited. */
static void
handle_record_export (RkApiRequest *request, gpointer user_data)
{
  RkRecord *record = user_data;
  RkStore *store = rk_daemon_get_store (record->daemon);
  g_autoptr(GError) error = NULL;
  const char *id = rk_api_request_get_param (request, "id");
  g_autoptr(GBytes) bytes = rk_record_queue_get_transaction (record, id, &error);
  g_autoptr(JsonNode) row = NULL;
  g_autofree char *detail = NULL;

  if (bytes == NULL || (row = rk_record_queue_get_json (record, id, FALSE, &error)) == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  detail = rk_record_detail_json ("record_id", id, NULL);
  if (!rk_store_begin (store, &error)
      || rk_audit_append (store, rk_api_request_get_actor (request), "record.export",
                          json_object_get_string_member (json_node_get_object (row), "subject"), detail, &error)
           == 0
      || !rk_store_commit (store, &error))
    {
      rk_store_rollback (store);
      rk_api_request_respond_error (request, error);
      return;
    }
  rk_api_request_respond_bytes (request, 200, "application/octet-stream", bytes);
}

/* Public key material only: what Disdukcapil registers. */
static void
handle_keys (RkApiRequest *request, gpointer user_data)
{
  RkRecord *record = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint8 id[RK_ENVELOPE_KEY_ID_BYTES];
  char hex[2 * RK_ENVELOPE_KEY_ID_BYTES + 1];
  char b64[64];

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "station_id");
  json_builder_add_string_value (builder, record->station_id);
  rk_envelope_key_id (record->sign_public, sizeof record->sign_public, id);
  sodium_bin2hex (hex, sizeof hex, id, sizeof id);
  json_builder_set_member_name (builder, "signer_key_id");
  json_builder_add_string_value (builder, hex);
  sodium_bin2base64 (b64, sizeof b64, record->sign_public, sizeof record->sign_public,
                     sodium_base64_VARIANT_ORIGINAL);
  json_builder_set_member_name (builder, "signer_public_key");
  json_builder_add_string_value (builder, b64);
  json_builder_set_member_name (builder, "recipient_key_id");
  if (record->have_recipient)
    {
      rk_envelope_key_id (record->recipient_public, sizeof record->recipient_public, id);
      sodium_bin2hex (hex, sizeof hex, id, sizeof id);
      json_builder_add_string_value (builder, hex);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  rk_api_request_respond_builder (request, 200, builder);
}

void
rk_record_routes_register (RkRecord *record)
{
  RkApi *api = rk_daemon_get_api (record->daemon);

  rk_api_add_route (api, "POST", "/v1/records", RK_ROLE_SUPERVISOR | RK_ROLE_TECHNICIAN, handle_enqueue, record);
  rk_api_add_route (api, "GET", "/v1/records/{id}", RK_ROLE_ANY, handle_record_show, record);
  rk_api_add_route (api, "GET", "/v1/records/{id}/transaction", RK_ROLE_SUPERVISOR, handle_record_export, record);
  rk_api_add_route (api, "GET", "/v1/queue", RK_ROLE_ANY, handle_queue_list, record);
  rk_api_add_route (api, "GET", "/v1/queue/{id}", RK_ROLE_ANY, handle_queue_show, record);
  rk_api_add_route (api, "POST", "/v1/queue/{id}/retry", RK_ROLE_SUPERVISOR | RK_ROLE_TECHNICIAN,
                    handle_queue_retry, record);
  rk_api_add_route (api, "GET", "/v1/record-keys", RK_ROLE_ANY, handle_keys, record);
}
