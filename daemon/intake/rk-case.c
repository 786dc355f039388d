#include "rk-case.h"

#include <string.h>

#include "rk-eligibility.h"
#include "rk-intake-error.h"
#include "rk-nik.h"
#include "rk-resident.h"
#include "rk-siak-import.h"

static const char *const type_names[] = {
  "first_issue", "change_of_data", "replacement", "newcomer",
};

static const char *const document_names[RK_DOCUMENT_COUNT] = {
  "rt_rw_letter", "form_f107", "kk_copy", "old_ktp_or_police_report",
  "diploma_or_birth_certificate", "civil_status_certificate", "transfer_letter",
};

/* Required documents per case type (MISSION.md's list of seven): the RT/RW
 * letter and the KK copy always; F-1.07 and a diploma or birth certificate
 * for a first issue; the old KTP (or the police report of its loss) when
 * one existed; the transfer letter for newcomers. A civil-status
 * certificate is asked for when the change is one of marital status,
 * which the station cannot know in advance: optional. */
static const gboolean required[4][RK_DOCUMENT_COUNT] = {
  /*                rt/rw  f107   kk     oldktp diploma civil  pindah */
  [RK_CASE_TYPE_FIRST_ISSUE]    = { TRUE,  TRUE,  TRUE,  FALSE, TRUE,  FALSE, FALSE },
  [RK_CASE_TYPE_CHANGE_OF_DATA] = { TRUE,  FALSE, TRUE,  TRUE,  FALSE, FALSE, FALSE },
  [RK_CASE_TYPE_REPLACEMENT]    = { TRUE,  FALSE, TRUE,  TRUE,  FALSE, FALSE, FALSE },
  [RK_CASE_TYPE_NEWCOMER]       = { TRUE,  FALSE, TRUE,  TRUE,  FALSE, FALSE, TRUE  },
};

guint
rk_sop_standard_minutes (guint step)
{
  static const guint minutes[] = { 0, 10, 5, 10, 13, 0, 15 };

  return step < G_N_ELEMENTS (minutes) ? minutes[step] : 0;
}

const char *
rk_case_type_to_string (RkCaseType type)
{
  if ((guint) type >= G_N_ELEMENTS (type_names))
    return "invalid";
  return type_names[type];
}

RkCaseType
rk_case_type_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (type_names); i++)
    if (strcmp (text, type_names[i]) == 0)
      return (RkCaseType) i;
  return RK_CASE_TYPE_INVALID;
}

const char *
rk_document_to_string (RkDocument document)
{
  if ((guint) document >= RK_DOCUMENT_COUNT)
    return "invalid";
  return document_names[document];
}

RkDocument
rk_document_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < RK_DOCUMENT_COUNT; i++)
    if (strcmp (text, document_names[i]) == 0)
      return (RkDocument) i;
  return RK_DOCUMENT_INVALID;
}

gboolean
rk_document_required (RkCaseType type, RkDocument document)
{
  if ((guint) type >= G_N_ELEMENTS (required) || (guint) document >= RK_DOCUMENT_COUNT)
    return FALSE;
  return required[type][document];
}

/* Reads a case's state; NULL with NOT_FOUND. */
static char *
case_state (sqlite3 *db, gint64 case_id, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = rk_intake_prepare (db, "SELECT state FROM intake_case "
                                                        "WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, case_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND,
                   "no case %" G_GINT64_FORMAT, case_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      rk_intake_set_sqlite_error (error, db, "read case");
      return NULL;
    }
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

char *
rk_case_get_nik (sqlite3 *db, gint64 case_id, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = rk_intake_prepare (db, "SELECT nik FROM intake_case "
                                                        "WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, case_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND,
                   "no case %" G_GINT64_FORMAT, case_id);
      return NULL;
    }
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gboolean
step_started (sqlite3 *db, gint64 case_id, guint step, gboolean *ret_ended, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt =
    rk_intake_prepare (db, "SELECT ended_at IS NOT NULL FROM case_step "
                           "WHERE case_id = ?1 AND step = ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_int (stmt, 2, (int) step);
  rc = sqlite3_step (stmt);
  *ret_ended = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0);
  return rc == SQLITE_ROW;
}

gboolean
rk_case_step_start (sqlite3 *db, gint64 case_id, guint step, const char *operator_name,
                    GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autofree char *now = rk_intake_now_iso ();
  gboolean ended;

  if (step < 1 || step > RK_SOP_STEPS)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                   "SOP steps are numbered 1 to %d", RK_SOP_STEPS);
      return FALSE;
    }
  if (step_started (db, case_id, step, &ended, NULL))
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_STATE,
                   "step %u of case %" G_GINT64_FORMAT " has already started", step, case_id);
      return FALSE;
    }
  stmt = rk_intake_prepare (db, "INSERT INTO case_step (case_id, step, started_at, operator) "
                                "VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_int (stmt, 2, (int) step);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, operator_name, -1, SQLITE_STATIC);
  return rk_intake_step_done (db, stmt, "start SOP step", error);
}

gboolean
rk_case_step_end (sqlite3 *db, gint64 case_id, guint step, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autofree char *now = rk_intake_now_iso ();

  stmt = rk_intake_prepare (db, "UPDATE case_step SET ended_at = ?3 WHERE case_id = ?1 "
                                "AND step = ?2 AND ended_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_int (stmt, 2, (int) step);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!rk_intake_step_done (db, stmt, "end SOP step", error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_STATE,
                   "step %u of case %" G_GINT64_FORMAT " is not running", step, case_id);
      return FALSE;
    }
  return TRUE;
}

/* Ends every running step of a case (a case leaving the open state). */
static gboolean
end_running_steps (sqlite3 *db, gint64 case_id, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autofree char *now = rk_intake_now_iso ();

  stmt = rk_intake_prepare (db, "UPDATE case_step SET ended_at = ?2 WHERE case_id = ?1 "
                                "AND ended_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  return rk_intake_step_done (db, stmt, "end SOP steps", error);
}

gint64
rk_case_open (sqlite3 *db, const char *nik, RkCaseType type, const char *source,
              const char *operator_name, gboolean *ret_joined, GError **error)
{
  g_autoptr(RkIntakeStmt) find = NULL;
  g_autoptr(RkIntakeStmt) insert = NULL;
  g_autoptr(RkIntakeStmt) insert_document = NULL;
  g_autofree char *now = rk_intake_now_iso ();
  gint64 case_id;
  int rc;

  g_return_val_if_fail (error == NULL || *error == NULL, 0);
  if (nik == NULL || strlen (nik) != RK_NIK_LENGTH || strspn (nik, "0123456789") != 16)
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                           "a case needs a 16-digit NIK (people without one are referred)");
      return 0;
    }
  if ((guint) type >= G_N_ELEMENTS (type_names))
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                           "case type must be first_issue, change_of_data, replacement "
                           "or newcomer");
      return 0;
    }
  find = rk_intake_prepare (db, "SELECT id FROM intake_case WHERE nik = ?1 AND state = 'open'",
                            error);
  if (find == NULL)
    return 0;
  sqlite3_bind_text (find, 1, nik, -1, SQLITE_STATIC);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    {
      if (ret_joined != NULL)
        *ret_joined = TRUE;
      return sqlite3_column_int64 (find, 0);
    }
  if (rc != SQLITE_DONE)
    {
      rk_intake_set_sqlite_error (error, db, "find open case");
      return 0;
    }

  insert = rk_intake_prepare (db, "INSERT INTO intake_case (nik, type, source, opened_at, "
                                  "opened_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
                              error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_text (insert, 1, nik, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, type_names[type], -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, source, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, operator_name, -1, SQLITE_STATIC);
  if (!rk_intake_step_done (db, insert, "open case", error))
    return 0;
  case_id = sqlite3_last_insert_rowid (db);

  insert_document = rk_intake_prepare (db, "INSERT INTO case_document (case_id, document, "
                                           "position, required) VALUES (?1, ?2, ?3, ?4)", error);
  if (insert_document == NULL)
    return 0;
  for (guint d = 0; d < RK_DOCUMENT_COUNT; d++)
    {
      sqlite3_reset (insert_document);
      sqlite3_bind_int64 (insert_document, 1, case_id);
      sqlite3_bind_text (insert_document, 2, document_names[d], -1, SQLITE_STATIC);
      sqlite3_bind_int (insert_document, 3, (int) d + 1);
      sqlite3_bind_int (insert_document, 4, required[type][d]);
      if (!rk_intake_step_done (db, insert_document, "add checklist item", error))
        return 0;
    }
  if (!rk_case_step_start (db, case_id, g_strcmp0 (source, "online") == 0 ? 1 : 2,
                           operator_name, error))
    return 0;
  if (ret_joined != NULL)
    *ret_joined = FALSE;
  return case_id;
}

static gboolean
require_open (sqlite3 *db, gint64 case_id, GError **error)
{
  g_autofree char *state = case_state (db, case_id, error);

  if (state == NULL)
    return FALSE;
  if (strcmp (state, "open") != 0)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_STATE,
                   "case %" G_GINT64_FORMAT " is %s, not open", case_id, state);
      return FALSE;
    }
  return TRUE;
}

gboolean
rk_case_check_document (sqlite3 *db, gint64 case_id, RkDocument document,
                        const char *operator_name, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autofree char *now = rk_intake_now_iso ();
  gboolean ended;

  if ((guint) document >= RK_DOCUMENT_COUNT)
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID, "unknown document");
      return FALSE;
    }
  if (!require_open (db, case_id, error))
    return FALSE;
  /* Checking documents is step 2: step 1 (the online file) is over. */
  if (step_started (db, case_id, 1, &ended, NULL) && !ended &&
      !rk_case_step_end (db, case_id, 1, error))
    return FALSE;
  if (!step_started (db, case_id, 2, &ended, NULL) &&
      !rk_case_step_start (db, case_id, 2, operator_name, error))
    return FALSE;
  stmt = rk_intake_prepare (db, "UPDATE case_document SET checked_at = ?3, checked_by = ?4 "
                                "WHERE case_id = ?1 AND document = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_text (stmt, 2, document_names[document], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, operator_name, -1, SQLITE_STATIC);
  if (!rk_intake_step_done (db, stmt, "check document", error))
    return FALSE;
  return TRUE;
}

gboolean
rk_case_set_state (sqlite3 *db, gint64 case_id, const char *to, GError **error)
{
  static const struct { const char *from, *to; } legal[] = {
    { "open", "recording" }, { "open", "referred" }, { "open", "cancelled" },
    { "recording", "closed" },
  };
  g_autofree char *state = case_state (db, case_id, error);
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autofree char *now = rk_intake_now_iso ();
  gboolean ok = FALSE;

  if (state == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (legal); i++)
    if (strcmp (legal[i].from, state) == 0 && strcmp (legal[i].to, to) == 0)
      ok = TRUE;
  if (!ok)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_STATE,
                   "case %" G_GINT64_FORMAT " cannot go from %s to %s", case_id, state, to);
      return FALSE;
    }
  if (strcmp (to, "recording") != 0 && !end_running_steps (db, case_id, error))
    return FALSE;
  stmt = rk_intake_prepare (db, "UPDATE intake_case SET state = ?2, updated_at = ?3 "
                                "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  return rk_intake_step_done (db, stmt, "change case state", error);
}

/* The unchecked required documents of a case (names, transfer full). */
static GPtrArray *
missing_documents (sqlite3 *db, gint64 case_id, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  int rc;

  stmt = rk_intake_prepare (db, "SELECT document FROM case_document WHERE case_id = ?1 "
                                "AND required = 1 AND checked_at IS NULL ORDER BY position",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, case_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (missing, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      rk_intake_set_sqlite_error (error, db, "read checklist");
      return NULL;
    }
  return g_steal_pointer (&missing);
}

gboolean
rk_case_forward (sqlite3 *db, gint64 case_id, const char *operator_name, const GDate *today,
                 GError **error)
{
  g_autoptr(GPtrArray) missing = NULL;
  g_autofree char *nik = NULL;
  g_autoptr(RkResident) resident = NULL;
  g_autoptr(RkNikCheck) check = NULL;
  RkNikRecordFacts facts;
  RkEligibility eligibility;
  gboolean ended;

  if (!require_open (db, case_id, error))
    return FALSE;
  missing = missing_documents (db, case_id, error);
  if (missing == NULL)
    return FALSE;
  if (missing->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (missing, NULL);
      list = g_strjoinv (", ", (char **) missing->pdata);
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CHECKLIST,
                   "required documents not checked yet: %s", list);
      return FALSE;
    }
  nik = rk_case_get_nik (db, case_id, error);
  if (nik == NULL)
    return FALSE;
  resident = rk_resident_lookup (db, nik, error);
  if (resident == NULL)
    {
      if (error != NULL && *error != NULL)
        g_prefix_error (error, "cannot record: ");
      return FALSE;
    }
  facts.birth_date = resident->birth_date;
  facts.sex = resident->sex;
  check = rk_nik_check (nik, &facts);
  if (!rk_nik_check_to_error (check, error))
    return FALSE;
  if (!rk_eligibility_check (&resident->birth_date, resident->marital, today, &eligibility))
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                           "the recorded birth date lies after the recording day");
      return FALSE;
    }
  if (!eligibility.eligible)
    {
      rk_eligibility_to_error (&eligibility, error);
      return FALSE;
    }
  if (step_started (db, case_id, 2, &ended, NULL) && !ended &&
      !rk_case_step_end (db, case_id, 2, error))
    return FALSE;
  if (!rk_case_set_state (db, case_id, "recording", error))
    return FALSE;
  return rk_case_step_start (db, case_id, 3, operator_name, error);
}

gboolean
rk_case_cancel (sqlite3 *db, gint64 case_id, const char *operator_name, GError **error)
{
  return rk_case_set_state (db, case_id, "cancelled", error);
}

static void
add_text_or_null (JsonBuilder *builder, const char *name, sqlite3_stmt *stmt, int column)
{
  json_builder_set_member_name (builder, name);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, column));
}

static gboolean
add_case_object (sqlite3 *db, JsonBuilder *builder, sqlite3_stmt *row, gboolean detail,
                 GError **error)
{
  gint64 case_id = sqlite3_column_int64 (row, 0);
  g_autoptr(GPtrArray) missing = missing_documents (db, case_id, error);

  if (missing == NULL)
    return FALSE;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, case_id);
  add_text_or_null (builder, "nik", row, 1);
  add_text_or_null (builder, "type", row, 2);
  add_text_or_null (builder, "state", row, 3);
  add_text_or_null (builder, "source", row, 4);
  add_text_or_null (builder, "opened_at", row, 5);
  add_text_or_null (builder, "opened_by", row, 6);
  add_text_or_null (builder, "updated_at", row, 7);
  json_builder_set_member_name (builder, "missing");
  json_builder_begin_array (builder);
  for (guint i = 0; i < missing->len; i++)
    json_builder_add_string_value (builder, missing->pdata[i]);
  json_builder_end_array (builder);

  if (detail)
    {
      g_autoptr(RkIntakeStmt) documents = NULL;
      g_autoptr(RkIntakeStmt) steps = NULL;

      documents = rk_intake_prepare (db, "SELECT document, position, required, checked_at, "
                                         "checked_by FROM case_document WHERE case_id = ?1 "
                                         "ORDER BY position", error);
      steps = rk_intake_prepare (db, "SELECT step, started_at, ended_at, operator, "
                                     "(julianday (ended_at) - julianday (started_at)) * 1440 "
                                     "FROM case_step WHERE case_id = ?1 ORDER BY step", error);
      if (documents == NULL || steps == NULL)
        return FALSE;
      sqlite3_bind_int64 (documents, 1, case_id);
      sqlite3_bind_int64 (steps, 1, case_id);
      json_builder_set_member_name (builder, "documents");
      json_builder_begin_array (builder);
      while (sqlite3_step (documents) == SQLITE_ROW)
        {
          json_builder_begin_object (builder);
          add_text_or_null (builder, "document", documents, 0);
          json_builder_set_member_name (builder, "position");
          json_builder_add_int_value (builder, sqlite3_column_int (documents, 1));
          json_builder_set_member_name (builder, "required");
          json_builder_add_boolean_value (builder, sqlite3_column_int (documents, 2));
          add_text_or_null (builder, "checked_at", documents, 3);
          add_text_or_null (builder, "checked_by", documents, 4);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "steps");
      json_builder_begin_array (builder);
      while (sqlite3_step (steps) == SQLITE_ROW)
        {
          guint step = (guint) sqlite3_column_int (steps, 0);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "step");
          json_builder_add_int_value (builder, step);
          add_text_or_null (builder, "started_at", steps, 1);
          add_text_or_null (builder, "ended_at", steps, 2);
          add_text_or_null (builder, "operator", steps, 3);
          json_builder_set_member_name (builder, "minutes");
          if (sqlite3_column_type (steps, 4) == SQLITE_NULL)
            json_builder_add_null_value (builder);
          else
            json_builder_add_double_value (builder, sqlite3_column_double (steps, 4));
          json_builder_set_member_name (builder, "standard_minutes");
          json_builder_add_int_value (builder, rk_sop_standard_minutes (step));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return TRUE;
}

#define CASE_COLUMNS "id, nik, type, state, source, opened_at, opened_by, updated_at"

JsonNode *
rk_case_to_json (sqlite3 *db, gint64 case_id, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  stmt = rk_intake_prepare (db, "SELECT " CASE_COLUMNS " FROM intake_case WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, case_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND,
                   "no case %" G_GINT64_FORMAT, case_id);
      return NULL;
    }
  if (!add_case_object (db, builder, stmt, TRUE, error))
    return NULL;
  return json_builder_get_root (builder);
}

JsonNode *
rk_case_list_json (sqlite3 *db, const char *state, guint limit, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int rc;

  stmt = rk_intake_prepare (db, "SELECT " CASE_COLUMNS " FROM intake_case "
                                "WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  if (state != NULL)
    sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, (int) (limit > 0 ? limit : 100));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cases");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!add_case_object (db, builder, stmt, FALSE, error))
      return NULL;
  if (rc != SQLITE_DONE)
    {
      rk_intake_set_sqlite_error (error, db, "list cases");
      return NULL;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
rk_sop_report_json (sqlite3 *db, const char *from, const char *to, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GDate check;
  int rc;

  g_date_clear (&check, 1);
  if (!rk_date_parse (from, &check) || !rk_date_parse (to, &check))
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                           "from and to are dates (YYYY-MM-DD)");
      return NULL;
    }
  stmt = rk_intake_prepare (db,
                            "SELECT substr (started_at, 1, 10) AS day, operator, step, count (*), "
                            "avg (m), max (m) FROM (SELECT started_at, operator, step, "
                            "(julianday (ended_at) - julianday (started_at)) * 1440 AS m "
                            "FROM case_step WHERE ended_at IS NOT NULL AND step <= 4 AND "
                            "substr (started_at, 1, 10) BETWEEN ?1 AND ?2) "
                            "GROUP BY day, operator, step ORDER BY day, operator, step", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint step = (guint) sqlite3_column_int (stmt, 2);
      guint standard = rk_sop_standard_minutes (step);
      g_autoptr(RkIntakeStmt) over = NULL;

      over = rk_intake_prepare (db, "SELECT count (*) FROM case_step WHERE ended_at IS NOT NULL "
                                    "AND substr (started_at, 1, 10) = ?1 AND operator = ?2 AND "
                                    "step = ?3 AND (julianday (ended_at) - "
                                    "julianday (started_at)) * 1440 > ?4", error);
      if (over == NULL)
        return NULL;
      sqlite3_bind_value (over, 1, sqlite3_column_value (stmt, 0));
      sqlite3_bind_value (over, 2, sqlite3_column_value (stmt, 1));
      sqlite3_bind_int (over, 3, (int) step);
      sqlite3_bind_int (over, 4, (int) standard);
      if (sqlite3_step (over) != SQLITE_ROW)
        {
          rk_intake_set_sqlite_error (error, db, "SOP report");
          return NULL;
        }
      json_builder_begin_object (builder);
      add_text_or_null (builder, "day", stmt, 0);
      add_text_or_null (builder, "operator", stmt, 1);
      json_builder_set_member_name (builder, "step");
      json_builder_add_int_value (builder, step);
      json_builder_set_member_name (builder, "cases");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 3));
      json_builder_set_member_name (builder, "mean_minutes");
      json_builder_add_double_value (builder, sqlite3_column_double (stmt, 4));
      json_builder_set_member_name (builder, "max_minutes");
      json_builder_add_double_value (builder, sqlite3_column_double (stmt, 5));
      json_builder_set_member_name (builder, "standard_minutes");
      json_builder_add_int_value (builder, standard);
      json_builder_set_member_name (builder, "over_standard");
      json_builder_add_int_value (builder, sqlite3_column_int64 (over, 0));
      json_builder_end_object (builder);
    }
  if (rc != SQLITE_DONE)
    {
      rk_intake_set_sqlite_error (error, db, "SOP report");
      return NULL;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
