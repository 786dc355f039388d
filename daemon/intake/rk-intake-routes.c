/* rk-intake-routes.c: HTTP handlers for SOP steps 1-2. Reads run on the
 * main connection; every state change runs in one transaction with its
 * audit entry. The extract import runs in a worker thread on its own
 * connection (a 500,000-row file takes seconds). */
#include "rk-intake-routes.h"

#include <string.h>

#include "rk-application.h"
#include "rk-audit.h"
#include "rk-crypto.h"
#include "rk-case.h"
#include "rk-eligibility.h"
#include "rk-intake-error.h"
#include "rk-nik.h"
#include "rk-referral.h"
#include "rk-region.h"
#include "rk-resident.h"
#include "rk-siak-import.h"

#define SIAK_MAX_BODY        (512u * 1024 * 1024)
#define APPLICATION_MAX_BODY (256u * 1024 * 1024)

void
rk_intake_today (GDate *ret_date)
{
  g_date_clear (ret_date, 1);
  g_date_set_time_t (ret_date, time (NULL));
}

static gboolean
map_intake_error (const GError *error, guint *ret_status, const char **ret_code)
{
  *ret_status = rk_intake_error_to_http (error->code);
  *ret_code = rk_intake_error_to_code (error->code);
  return TRUE;
}

static sqlite3 *
request_db (RkApiRequest *request)
{
  return rk_store_get_db (rk_daemon_get_store (rk_api_request_get_daemon (request)));
}

static const char *
actor_name (RkApiRequest *request)
{
  return rk_api_request_get_actor (request)->username;
}

/* ---- JSON of the domain ------------------------------------------------ */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_date (JsonBuilder *b, const char *name, const GDate *date)
{
  char iso[11];

  rk_date_format (date, iso);
  add_string (b, name, iso);
}

static void
add_nik_check (JsonBuilder *b, const RkNikCheck *check)
{
  json_builder_set_member_name (b, "nik_check");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, rk_nik_check_is_valid (check));
  json_builder_set_member_name (b, "issues");
  json_builder_begin_array (b);
  for (guint i = 0; i < check->issues->len; i++)
    {
      RkNikIssue *issue = check->issues->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "code", rk_nik_issue_code_to_string (issue->code));
      json_builder_set_member_name (b, "warning");
      json_builder_add_boolean_value (b, issue->warning);
      add_string (b, "message", issue->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (check->structural)
    {
      char birth[9];

      json_builder_set_member_name (b, "decoded");
      json_builder_begin_object (b);
      add_string (b, "province", rk_region_lookup (check->province));
      add_string (b, "regency", rk_region_lookup (check->regency));
      add_string (b, "kecamatan", rk_region_lookup (check->kecamatan));
      g_snprintf (birth, sizeof birth, "%02u-%02u-%02u", check->birth_day % 100,
                  check->birth_month % 100, check->birth_year2 % 100);
      add_string (b, "birth_ddmmyy", birth);
      add_string (b, "sex", rk_sex_to_string (check->sex));
      json_builder_set_member_name (b, "serial");
      json_builder_add_int_value (b, check->serial);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
add_eligibility (JsonBuilder *b, const RkResident *resident)
{
  RkEligibility e;
  GDate today;

  rk_intake_today (&today);
  json_builder_set_member_name (b, "eligibility");
  if (!rk_eligibility_check (&resident->birth_date, resident->marital, &today, &e))
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "eligible");
  json_builder_add_boolean_value (b, e.eligible);
  add_string (b, "rule", rk_eligibility_rule_to_string (e.rule));
  json_builder_set_member_name (b, "age");
  json_builder_add_int_value (b, e.age);
  add_date (b, "eligible_from", &e.eligible_from);
  json_builder_end_object (b);
}

static void
add_resident_fields (JsonBuilder *b, const RkResident *r)
{
  add_string (b, "nik", r->nik);
  add_string (b, "no_kk", r->no_kk);
  add_string (b, "name", r->name);
  add_string (b, "birth_place", r->birth_place);
  add_date (b, "birth_date", &r->birth_date);
  add_string (b, "sex", rk_sex_to_string (r->sex));
  add_string (b, "marital", rk_marital_to_string (r->marital));
}

static JsonNode *
resident_json (sqlite3 *db, const RkResident *r, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) family = rk_resident_family (db, r, error);
  g_autoptr(RkNikCheck) check = NULL;
  RkNikRecordFacts facts = { r->birth_date, r->sex };

  if (family == NULL)
    return NULL;
  check = rk_nik_check (r->nik, &facts);
  json_builder_begin_object (b);
  add_resident_fields (b, r);
  add_string (b, "religion", r->religion);
  add_string (b, "occupation", r->occupation);
  add_string (b, "address", r->address);
  add_string (b, "rt", r->rt);
  add_string (b, "rw", r->rw);
  add_string (b, "kode_kel", r->kode_kel);
  add_string (b, "kelurahan", rk_region_lookup (r->kode_kel));
  add_nik_check (b, check);
  add_eligibility (b, r);
  json_builder_set_member_name (b, "family");
  json_builder_begin_array (b);
  for (guint i = 0; i < family->len; i++)
    {
      json_builder_begin_object (b);
      add_resident_fields (b, family->pdata[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- NIK and residents ------------------------------------------------- */

static void
handle_nik_check (RkApiRequest *request, gpointer user_data)
{
  const char *nik = rk_api_request_get_param (request, "nik");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RkResident) resident = rk_resident_lookup (request_db (request), nik, &error);
  g_autoptr(RkNikCheck) check = NULL;

  if (resident == NULL && !g_error_matches (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND) &&
      !g_error_matches (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  if (resident != NULL)
    {
      RkNikRecordFacts facts = { resident->birth_date, resident->sex };

      check = rk_nik_check (nik, &facts);
    }
  else
    check = rk_nik_check (nik, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, rk_nik_check_is_valid (check));
  json_builder_set_member_name (b, "in_registry");
  json_builder_add_boolean_value (b, resident != NULL);
  add_nik_check (b, check);
  if (resident != NULL)
    add_eligibility (b, resident);
  json_builder_end_object (b);
  rk_api_request_respond_builder (request, 200, b);
}

static void
handle_resident_show (RkApiRequest *request, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = request_db (request);
  g_autoptr(RkResident) resident = rk_resident_lookup (db, rk_api_request_get_param (request,
                                                                                   "nik"),
                                                       &error);
  JsonNode *node;

  if (resident == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  node = resident_json (db, resident, &error);
  if (node == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_json (request, 200, node);
}

static void
handle_resident_search (RkApiRequest *request, gpointer user_data)
{
  const char *name = rk_api_request_get_query (request, "name");
  const char *born = rk_api_request_get_query (request, "born");
  const char *limit_text = rk_api_request_get_query (request, "limit");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint64 limit = 20;
  GDate date;

  if (name == NULL)
    {
      rk_api_set_field_error (&error, RK_API_ERROR_MISSING_FIELD, "name",
                              "give ?name= (and optionally born=YYYY-MM-DD)");
      rk_api_request_respond_error (request, error);
      return;
    }
  g_date_clear (&date, 1);
  if (born != NULL && !rk_date_parse (born, &date))
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "born",
                              "born is a date, YYYY-MM-DD");
      rk_api_request_respond_error (request, error);
      return;
    }
  if (limit_text != NULL &&
      (!g_ascii_string_to_unsigned (limit_text, 10, 1, RK_RESIDENT_SEARCH_MAX, &limit, NULL)))
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "limit",
                              "limit is a number from 1 to %d", RK_RESIDENT_SEARCH_MAX);
      rk_api_request_respond_error (request, error);
      return;
    }
  hits = rk_resident_search (request_db (request), name, born != NULL ? &date : NULL,
                             (guint) limit, &error);
  if (hits == NULL)
    {
      rk_api_request_respond_error_field (request, error, "name");
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "residents");
  json_builder_begin_array (b);
  for (guint i = 0; i < hits->len; i++)
    {
      RkResidentMatch *match = hits->pdata[i];

      json_builder_begin_object (b);
      add_resident_fields (b, match->resident);
      add_string (b, "kelurahan", rk_region_lookup (match->resident->kode_kel));
      json_builder_set_member_name (b, "distance");
      json_builder_add_int_value (b, match->distance);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  rk_api_request_respond_builder (request, 200, b);
}

/* ---- SIAK import (worker thread) ---------------------------------------- */

typedef struct {
  RkStore       *store;
  GBytes        *body;
  RkCsvEncoding  encoding;
  RkActor       *actor;
  gint64         started;
} SiakImportJob;

static void
siak_import_job_free (SiakImportJob *job)
{
  g_bytes_unref (job->body);
  rk_actor_free (job->actor);
  g_free (job);
}

static void
siak_import_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SiakImportJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (job->body);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *detail = NULL;
  RkSiakImportStats stats;
  sqlite3 *db = rk_store_open_connection (job->store, &error);

  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Temporary b-trees (index rebuilds) in memory; set before BEGIN. */
  sqlite3_exec (db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
  if (!rk_store_db_begin (db, &error) ||
      !rk_siak_import (db, input, job->encoding, job->actor->username, cancellable, &stats,
                       &error))
    {
      rk_store_db_rollback (db);
      sqlite3_close_v2 (db);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  detail = g_strdup_printf ("{\"import_id\":%" G_GINT64_FORMAT ",\"rows\":%" G_GUINT64_FORMAT
                            ",\"inserted\":%" G_GUINT64_FORMAT ",\"updated\":%" G_GUINT64_FORMAT
                            ",\"encoding\":\"%s\"}", stats.import_id, stats.rows,
                            stats.inserted, stats.updated,
                            rk_csv_encoding_to_string (stats.encoding));
  if (rk_audit_append_db (job->store, db, job->actor, "siak.import", "siak", detail,
                          &error) == 0 ||
      !rk_store_db_commit (db, &error))
    {
      rk_store_db_rollback (db);
      sqlite3_close_v2 (db);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sqlite3_close_v2 (db);
  g_info ("siak import %" G_GINT64_FORMAT ": %" G_GUINT64_FORMAT " rows (%" G_GUINT64_FORMAT
          " new, %" G_GUINT64_FORMAT " updated) in %.2f s", stats.import_id, stats.rows,
          stats.inserted, stats.updated, (g_get_monotonic_time () - job->started) / 1e6);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "import_id");
  json_builder_add_int_value (b, stats.import_id);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, (gint64) stats.rows);
  json_builder_set_member_name (b, "inserted");
  json_builder_add_int_value (b, (gint64) stats.inserted);
  json_builder_set_member_name (b, "updated");
  json_builder_add_int_value (b, (gint64) stats.updated);
  add_string (b, "encoding", rk_csv_encoding_to_string (stats.encoding));
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, (g_get_monotonic_time () - job->started) / 1e6);
  json_builder_end_object (b);
  g_task_return_pointer (task, json_builder_get_root (b), (GDestroyNotify) json_node_unref);
}

static void
siak_import_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RkApiRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *node = g_task_propagate_pointer (G_TASK (result), &error);

  if (node == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_json (request, 201, node);
}

static void
handle_siak_import (RkApiRequest *request, gpointer user_data)
{
  const char *encoding = rk_api_request_get_query (request, "encoding");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  SiakImportJob *job;

  job = g_new0 (SiakImportJob, 1);
  job->store = rk_daemon_get_store (rk_api_request_get_daemon (request));
  job->body = g_bytes_ref (rk_api_request_get_body (request));
  job->actor = rk_actor_copy (rk_api_request_get_actor (request));
  job->started = g_get_monotonic_time ();
  if (encoding == NULL || strcmp (encoding, "auto") == 0)
    job->encoding = RK_CSV_ENCODING_AUTO;
  else if (strcmp (encoding, "utf-8") == 0)
    job->encoding = RK_CSV_ENCODING_UTF8;
  else if (strcmp (encoding, "latin-1") == 0)
    job->encoding = RK_CSV_ENCODING_LATIN1;
  else
    {
      siak_import_job_free (job);
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "encoding",
                              "encoding is auto, utf-8 or latin-1");
      rk_api_request_respond_error (request, error);
      return;
    }
  task = g_task_new (NULL, rk_api_request_get_cancellable (request), siak_import_done,
                     rk_api_request_ref (request));
  g_task_set_task_data (task, job, (GDestroyNotify) siak_import_job_free);
  g_task_run_in_thread (task, siak_import_thread);
}

static void
handle_siak_list (RkApiRequest *request, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  sqlite3 *db = request_db (request);

  stmt = rk_intake_prepare (db, "SELECT id, started_at, finished_at, actor, encoding, rows, "
                                "inserted, updated, (SELECT count (*) FROM resident) "
                                "FROM siak_import ORDER BY id DESC LIMIT 50", &error);
  if (stmt == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "imports");
  json_builder_begin_array (b);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 0));
      add_string (b, "started_at", (const char *) sqlite3_column_text (stmt, 1));
      add_string (b, "finished_at", (const char *) sqlite3_column_text (stmt, 2));
      add_string (b, "actor", (const char *) sqlite3_column_text (stmt, 3));
      add_string (b, "encoding", (const char *) sqlite3_column_text (stmt, 4));
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 5));
      json_builder_set_member_name (b, "inserted");
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 6));
      json_builder_set_member_name (b, "updated");
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 7));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  rk_api_request_respond_builder (request, 200, b);
}

/* ---- cases --------------------------------------------------------------- */

/* Runs @change in one transaction with its audit entry, then answers with
 * the case's JSON (@status). */
typedef gboolean (*CaseChange) (sqlite3 *db, gint64 case_id, RkApiRequest *request,
                                gpointer data, GError **error);

static gboolean
parse_case_id (RkApiRequest *request, gint64 *ret_id, GError **error)
{
  guint64 id;

  if (!g_ascii_string_to_unsigned (rk_api_request_get_param (request, "id"), 10, 1,
                                   G_MAXINT64, &id, NULL))
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND,
                           "a case id is a positive number");
      return FALSE;
    }
  *ret_id = (gint64) id;
  return TRUE;
}

static void
respond_case (RkApiRequest *request, gint64 case_id, guint status)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = rk_case_to_json (request_db (request), case_id, &error);

  if (node == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_json (request, status, node);
}

static void
run_case_change (RkApiRequest *request, const char *action, CaseChange change, gpointer data,
                 const char *detail)
{
  RkStore *store = rk_daemon_get_store (rk_api_request_get_daemon (request));
  sqlite3 *db = rk_store_get_db (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  gint64 case_id;

  if (!parse_case_id (request, &case_id, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  subject = g_strdup_printf ("case:%" G_GINT64_FORMAT, case_id);
  if (!rk_store_begin (store, &error) || !change (db, case_id, request, data, &error) ||
      rk_audit_append (store, rk_api_request_get_actor (request), action, subject, detail,
                       &error) == 0 ||
      !rk_store_commit (store, &error))
    {
      rk_store_rollback (store);
      rk_api_request_respond_error (request, error);
      return;
    }
  respond_case (request, case_id, 200);
}

static void
handle_case_list (RkApiRequest *request, gpointer user_data)
{
  const char *state = rk_api_request_get_query (request, "state");
  const char *limit_text = rk_api_request_get_query (request, "limit");
  g_autoptr(GError) error = NULL;
  guint64 limit = 100;
  JsonNode *node;

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, 1000, &limit, NULL))
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "limit",
                              "limit is a number from 1 to 1000");
      rk_api_request_respond_error (request, error);
      return;
    }
  if (state != NULL && strcmp (state, "open") != 0 && strcmp (state, "recording") != 0 &&
      strcmp (state, "referred") != 0 && strcmp (state, "cancelled") != 0 &&
      strcmp (state, "closed") != 0)
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "state",
                              "state is open, recording, referred, cancelled or closed");
      rk_api_request_respond_error (request, error);
      return;
    }
  node = rk_case_list_json (request_db (request), state, (guint) limit, &error);
  if (node == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_json (request, 200, node);
}

static void
handle_case_show (RkApiRequest *request, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 case_id;

  if (!parse_case_id (request, &case_id, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  respond_case (request, case_id, 200);
}

static void
handle_case_open (RkApiRequest *request, gpointer user_data)
{
  static const RkJsonField fields[] = {
    { "nik", RK_JSON_STRING, TRUE, FALSE },
    { "type", RK_JSON_STRING, TRUE, FALSE },
    { NULL }
  };
  RkStore *store = rk_daemon_get_store (rk_api_request_get_daemon (request));
  g_autoptr(GError) error = NULL;
  JsonObject *body = rk_api_request_get_json (request, fields, &error);
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  gboolean joined = FALSE;
  RkCaseType type;
  gint64 case_id;

  if (body == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  type = rk_case_type_from_string (rk_json_get_string (body, "type"));
  if (type == RK_CASE_TYPE_INVALID)
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "type",
                              "type is first_issue, change_of_data, replacement or newcomer");
      rk_api_request_respond_error (request, error);
      return;
    }
  if (!rk_store_begin (store, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  case_id = rk_case_open (rk_store_get_db (store), rk_json_get_string (body, "nik"), type,
                          "counter", actor_name (request), &joined, &error);
  if (case_id == 0)
    {
      rk_store_rollback (store);
      rk_api_request_respond_error_field (request, error, "nik");
      return;
    }
  subject = g_strdup_printf ("case:%" G_GINT64_FORMAT, case_id);
  detail = g_strdup_printf ("{\"type\":\"%s\",\"joined\":%s}", rk_case_type_to_string (type),
                            joined ? "true" : "false");
  if (rk_audit_append (store, rk_api_request_get_actor (request),
                       joined ? "case.join" : "case.open", subject, detail, &error) == 0 ||
      !rk_store_commit (store, &error))
    {
      rk_store_rollback (store);
      rk_api_request_respond_error (request, error);
      return;
    }
  respond_case (request, case_id, joined ? 200 : 201);
}

static gboolean
change_check_document (sqlite3 *db, gint64 case_id, RkApiRequest *request, gpointer data,
                       GError **error)
{
  return rk_case_check_document (db, case_id, GPOINTER_TO_INT (data), actor_name (request),
                                 error);
}

static void
handle_case_check_document (RkApiRequest *request, gpointer user_data)
{
  const char *name = rk_api_request_get_param (request, "document");
  RkDocument document = rk_document_from_string (name);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  if (document == RK_DOCUMENT_INVALID)
    {
      rk_api_set_field_error (&error, RK_API_ERROR_NOT_FOUND, "document",
                              "unknown document; one of rt_rw_letter, form_f107, kk_copy, "
                              "old_ktp_or_police_report, diploma_or_birth_certificate, "
                              "civil_status_certificate, transfer_letter");
      rk_api_request_respond_error (request, error);
      return;
    }
  detail = g_strdup_printf ("{\"document\":\"%s\"}", rk_document_to_string (document));
  run_case_change (request, "case.check_document", change_check_document,
                   GINT_TO_POINTER (document), detail);
}

static gboolean
change_forward (sqlite3 *db, gint64 case_id, RkApiRequest *request, gpointer data,
                GError **error)
{
  GDate today;

  rk_intake_today (&today);
  return rk_case_forward (db, case_id, actor_name (request), &today, error);
}

static void
handle_case_forward (RkApiRequest *request, gpointer user_data)
{
  run_case_change (request, "case.forward", change_forward, NULL, NULL);
}

static gboolean
change_cancel (sqlite3 *db, gint64 case_id, RkApiRequest *request, gpointer data,
               GError **error)
{
  return rk_case_cancel (db, case_id, actor_name (request), error);
}

static void
handle_case_cancel (RkApiRequest *request, gpointer user_data)
{
  run_case_change (request, "case.cancel", change_cancel, NULL, NULL);
}

/* Steps 3, 4 and 6 are timed by whoever runs them (recording, the
 * receipt, the hand-over): they start and end them here. */
static gboolean
parse_step (RkApiRequest *request, guint *ret_step, GError **error)
{
  guint64 step;

  if (!g_ascii_string_to_unsigned (rk_api_request_get_param (request, "step"), 10, 1, 6, &step,
                                   NULL))
    {
      rk_api_set_field_error (error, RK_API_ERROR_INVALID_FIELD, "step",
                              "SOP steps are numbered 1 to 6");
      return FALSE;
    }
  *ret_step = (guint) step;
  return TRUE;
}

static gboolean
change_step_start (sqlite3 *db, gint64 case_id, RkApiRequest *request, gpointer data,
                   GError **error)
{
  guint step;

  return parse_step (request, &step, error) &&
         rk_case_step_start (db, case_id, step, actor_name (request), error);
}

static gboolean
change_step_end (sqlite3 *db, gint64 case_id, RkApiRequest *request, gpointer data,
                 GError **error)
{
  guint step;
  g_autofree char *nik = NULL;

  /* rk_case_step_end() says "not running" for an unknown case too;
   * name the case first. */
  nik = rk_case_get_nik (db, case_id, error);
  return nik != NULL && parse_step (request, &step, error) &&
         rk_case_step_end (db, case_id, step, error);
}

static void
handle_case_step_start (RkApiRequest *request, gpointer user_data)
{
  g_autofree char *detail = g_strdup_printf ("{\"step\":\"%s\"}",
                                             rk_api_request_get_param (request, "step"));

  run_case_change (request, "case.step_start", change_step_start, NULL, detail);
}

static void
handle_case_step_end (RkApiRequest *request, gpointer user_data)
{
  g_autofree char *detail = g_strdup_printf ("{\"step\":\"%s\"}",
                                             rk_api_request_get_param (request, "step"));

  run_case_change (request, "case.step_end", change_step_end, NULL, detail);
}

/* ---- referrals ------------------------------------------------------------ */

static void
handle_referral_create (RkApiRequest *request, gpointer user_data)
{
  static const RkJsonField fields[] = {
    { "case_id", RK_JSON_INT, FALSE, TRUE },
    { "nik", RK_JSON_STRING, FALSE, TRUE },
    { "name", RK_JSON_STRING, TRUE, FALSE },
    { "reason", RK_JSON_STRING, TRUE, FALSE },
    { "note", RK_JSON_STRING, FALSE, TRUE },
    { NULL }
  };
  RkStore *store = rk_daemon_get_store (rk_api_request_get_daemon (request));
  g_autoptr(GError) error = NULL;
  JsonObject *body = rk_api_request_get_json (request, fields, &error);
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  RkReferralReason reason;
  gint64 case_id, id;
  JsonNode *node;

  if (body == NULL)
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  reason = rk_referral_reason_from_string (rk_json_get_string (body, "reason"));
  if (reason == RK_REFERRAL_INVALID)
    {
      rk_api_set_field_error (&error, RK_API_ERROR_INVALID_FIELD, "reason",
                              "reason is not_in_registry, no_nik, nik_mismatch or "
                              "record_incorrect");
      rk_api_request_respond_error (request, error);
      return;
    }
  case_id = rk_json_get_int (body, "case_id", 0);
  if (!rk_store_begin (store, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  id = rk_referral_create (rk_store_get_db (store), case_id, rk_json_get_string (body, "nik"),
                           rk_json_get_string (body, "name"), reason,
                           rk_json_get_string (body, "note"), actor_name (request), &error);
  if (id == 0)
    {
      rk_store_rollback (store);
      rk_api_request_respond_error (request, error);
      return;
    }
  subject = case_id > 0 ? g_strdup_printf ("case:%" G_GINT64_FORMAT, case_id)
                        : g_strdup_printf ("referral:%" G_GINT64_FORMAT, id);
  detail = g_strdup_printf ("{\"referral_id\":%" G_GINT64_FORMAT ",\"reason\":\"%s\"}", id,
                            rk_referral_reason_to_string (reason));
  if (rk_audit_append (store, rk_api_request_get_actor (request), "referral.create", subject,
                       detail, &error) == 0 ||
      !rk_store_commit (store, &error))
    {
      rk_store_rollback (store);
      rk_api_request_respond_error (request, error);
      return;
    }
  node = rk_referral_to_json (rk_store_get_db (store), id, &error);
  if (node == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_json (request, 201, node);
}

static gboolean
parse_referral_id (RkApiRequest *request, gint64 *ret_id, GError **error)
{
  guint64 id;

  if (!g_ascii_string_to_unsigned (rk_api_request_get_param (request, "id"), 10, 1,
                                   G_MAXINT64, &id, NULL))
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND,
                           "a referral id is a positive number");
      return FALSE;
    }
  *ret_id = (gint64) id;
  return TRUE;
}

static void
handle_referral_show (RkApiRequest *request, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = NULL;
  gint64 id;

  if (parse_referral_id (request, &id, &error))
    node = rk_referral_to_json (request_db (request), id, &error);
  if (node == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_json (request, 200, node);
}

static void
handle_referral_slip (RkApiRequest *request, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  gint64 id;

  if (parse_referral_id (request, &id, &error))
    pdf = rk_referral_slip_pdf (request_db (request), id, &error);
  if (pdf == NULL)
    rk_api_request_respond_error (request, error);
  else
    rk_api_request_respond_bytes (request, 200, "application/pdf", pdf);
}

/* ---- online applications -------------------------------------------------- */

/* rk_station_seal() in the shape rk_application_import() wants. */
static guint8 *
station_seal (gpointer daemon, const guint8 *plaintext, gsize len, gsize *ret_len)
{
  return rk_station_seal (daemon, plaintext, len, ret_len);
}

static void
handle_application_import (RkApiRequest *request, gpointer user_data)
{
  RkDaemon *daemon = rk_api_request_get_daemon (request);
  RkStore *store = rk_daemon_get_store (daemon);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *detail = NULL;
  RkApplicationImportStats stats = { 0 };

  if (!rk_store_begin (store, &error))
    {
      rk_api_request_respond_error (request, error);
      return;
    }
  result = rk_application_import (rk_store_get_db (store), rk_api_request_get_body (request),
                                  station_seal, daemon, actor_name (request), &stats, &error);
  if (result == NULL)
    {
      rk_store_rollback (store);
      rk_api_request_respond_error (request, error);
      return;
    }
  detail = g_strdup_printf ("{\"applications\":%u,\"cases_opened\":%u,\"cases_joined\":%u,"
                            "\"attachments\":%u}", stats.applications, stats.cases_opened,
                            stats.cases_joined, stats.attachments);
  if (rk_audit_append (store, rk_api_request_get_actor (request), "application.import",
                       "applications", detail, &error) == 0 ||
      !rk_store_commit (store, &error))
    {
      rk_store_rollback (store);
      rk_api_request_respond_error (request, error);
      return;
    }
  rk_api_request_respond_json (request, 201, g_steal_pointer (&result));
}

/* ---- reports --------------------------------------------------------------- */

static void
handle_report_sop (RkApiRequest *request, gpointer user_data)
{
  const char *from = rk_api_request_get_query (request, "from");
  const char *to = rk_api_request_get_query (request, "to");
  g_autoptr(GError) error = NULL;
  char today_iso[11];
  GDate today;
  JsonNode *node;

  rk_intake_today (&today);
  rk_date_format (&today, today_iso);
  node = rk_sop_report_json (request_db (request), from != NULL ? from : today_iso,
                             to != NULL ? to : (from != NULL ? from : today_iso), &error);
  if (node == NULL)
    rk_api_request_respond_error_field (request, error, "from");
  else
    rk_api_request_respond_json (request, 200, node);
}

void
rk_intake_add_routes (RkDaemon *daemon)
{
  RkApi *api = rk_daemon_get_api (daemon);
  RkApiRoute *route;

  rk_api_register_error_domain (RK_INTAKE_ERROR, map_intake_error);
  rk_api_add_route (api, "GET", "/v1/nik/{nik}/check", RK_ROLE_STAFF, handle_nik_check, NULL);
  rk_api_add_route (api, "GET", "/v1/residents/{nik}", RK_ROLE_STAFF, handle_resident_show,
                    NULL);
  rk_api_add_route (api, "GET", "/v1/residents", RK_ROLE_STAFF, handle_resident_search, NULL);
  route = rk_api_add_route (api, "POST", "/v1/siak/imports", RK_ROLE_SUPERVISOR,
                            handle_siak_import, NULL);
  rk_api_route_set_max_body (route, SIAK_MAX_BODY);
  rk_api_route_set_content_types (route, "text/csv", NULL);
  rk_api_add_route (api, "GET", "/v1/siak/imports", RK_ROLE_SUPERVISOR, handle_siak_list, NULL);
  route = rk_api_add_route (api, "POST", "/v1/applications/imports", RK_ROLE_STAFF,
                            handle_application_import, NULL);
  rk_api_route_set_max_body (route, APPLICATION_MAX_BODY);
  rk_api_route_set_content_types (route, "application/zip", "application/x-tar", NULL);
  rk_api_add_route (api, "GET", "/v1/cases", RK_ROLE_STAFF, handle_case_list, NULL);
  rk_api_add_route (api, "POST", "/v1/cases", RK_ROLE_STAFF, handle_case_open, NULL);
  rk_api_add_route (api, "GET", "/v1/cases/{id}", RK_ROLE_STAFF, handle_case_show, NULL);
  rk_api_add_route (api, "POST", "/v1/cases/{id}/documents/{document}/check", RK_ROLE_STAFF,
                    handle_case_check_document, NULL);
  rk_api_add_route (api, "POST", "/v1/cases/{id}/forward", RK_ROLE_STAFF, handle_case_forward,
                    NULL);
  rk_api_add_route (api, "POST", "/v1/cases/{id}/cancel", RK_ROLE_STAFF, handle_case_cancel,
                    NULL);
  rk_api_add_route (api, "POST", "/v1/cases/{id}/steps/{step}/start", RK_ROLE_STAFF,
                    handle_case_step_start, NULL);
  rk_api_add_route (api, "POST", "/v1/cases/{id}/steps/{step}/end", RK_ROLE_STAFF,
                    handle_case_step_end, NULL);
  rk_api_add_route (api, "POST", "/v1/referrals", RK_ROLE_STAFF, handle_referral_create, NULL);
  rk_api_add_route (api, "GET", "/v1/referrals/{id}", RK_ROLE_STAFF, handle_referral_show,
                    NULL);
  rk_api_add_route (api, "GET", "/v1/referrals/{id}/slip", RK_ROLE_STAFF, handle_referral_slip,
                    NULL);
  rk_api_add_route (api, "GET", "/v1/reports/sop", RK_ROLE_STAFF, handle_report_sop, NULL);
}
