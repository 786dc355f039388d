#include "rk-application.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "rk-case.h"
#include "rk-intake-error.h"
#include "rk-json-schema.h"
#include "rk-siak-import.h"

/* Generated at build time from schemas/application-manifest.schema.json. */
extern const unsigned char rk_application_schema[];
extern const unsigned int  rk_application_schema_len;

static gpointer
load_schema (gpointer data)
{
  g_autoptr(GError) error = NULL;
  RkJsonSchema *schema = rk_json_schema_new ((const char *) rk_application_schema,
                                             rk_application_schema_len, &error);

  /* The schema is compiled in and tested: failing here is a build bug. */
  if (schema == NULL)
    g_critical ("application schema: %s", error->message);
  return schema;
}

static RkJsonSchema *
manifest_schema (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_schema, NULL);
}

static JsonNode *
parse_manifest (const char *text, gsize len, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  RkJsonSchema *schema = manifest_schema ();

  if (schema == NULL)
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_MANIFEST,
                           "the application schema could not be loaded");
      return NULL;
    }
  if (len > RK_APPLICATION_MAX_MANIFEST)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_MANIFEST,
                   "manifest larger than %u bytes", RK_APPLICATION_MAX_MANIFEST);
      return NULL;
    }
  if (!g_utf8_validate (text, (gssize) len, NULL))
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_MANIFEST,
                           "manifest is not UTF-8");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, (gssize) len, error))
    {
      (*error)->domain = RK_INTAKE_ERROR;
      (*error)->code = RK_INTAKE_ERROR_MANIFEST;
      return NULL;
    }
  if (!rk_json_schema_validate (schema, json_parser_get_root (parser), error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

gboolean
rk_application_validate_manifest (const char *text, gsize len, GError **error)
{
  g_autoptr(JsonNode) node = parse_manifest (text, len, error);

  return node != NULL;
}

/* "folder/file" with both parts from [A-Za-z0-9._-], not starting with
 * a dot: no absolute names, no "..", no deeper paths. */
static gboolean
entry_name_ok (const char *name)
{
  const char *slash = strchr (name, '/');
  gsize first, second;

  if (slash == NULL || strchr (slash + 1, '/') != NULL)
    return FALSE;
  first = (gsize) (slash - name);
  second = strlen (slash + 1);
  if (first == 0 || second == 0 || first > 64 || second > 64 || name[0] == '.' ||
      slash[1] == '.')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '-' || *p == '/'))
      return FALSE;
  return TRUE;
}

static gboolean
archive_refuse (GError **error, const char *entry, const char *why)
{
  g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_ARCHIVE,
               "entry \"%s\": %s; nothing was imported", entry, why);
  return FALSE;
}

/* Reads every entry into @folders: folder -> (file -> GBytes). */
static gboolean
read_archive (GBytes *bytes, GHashTable *folders, GError **error)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  guint entries = 0;
  gboolean ok = TRUE;
  int rc;

  archive_read_support_format_zip (a);
  archive_read_support_format_tar (a);
  archive_read_support_filter_none (a);
  if (archive_read_open_memory (a, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) !=
      ARCHIVE_OK)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_ARCHIVE,
                   "not a zip or tar archive: %s", archive_error_string (a));
      archive_read_free (a);
      return FALSE;
    }
  while (ok && (rc = archive_read_next_header (a, &entry)) == ARCHIVE_OK)
    {
      const char *raw_name = archive_entry_pathname (entry);
      g_autofree char *name = g_strdup (raw_name != NULL ? raw_name : "");
      mode_t type = archive_entry_filetype (entry);
      la_int64_t size = archive_entry_size (entry);
      g_autofree guint8 *data = NULL;
      gsize len = (gsize) MAX (size, 0);
      GHashTable *files;
      char *slash;

      if (++entries > RK_APPLICATION_MAX_ENTRIES)
        {
          ok = archive_refuse (error, name, "too many entries (at most 1000)");
          break;
        }
      /* Folders are implied by their files; skip their own entries. */
      if (type == AE_IFDIR && !g_str_has_prefix (name, "/") && strstr (name, "..") == NULL)
        continue;
      if (archive_entry_symlink (entry) != NULL || type == AE_IFLNK)
        {
          ok = archive_refuse (error, name, "symbolic links are refused");
          break;
        }
      if (archive_entry_hardlink (entry) != NULL)
        {
          ok = archive_refuse (error, name, "hard links are refused");
          break;
        }
      if (type != AE_IFREG)
        {
          ok = archive_refuse (error, name, "only regular files are accepted");
          break;
        }
      if (!entry_name_ok (name))
        {
          ok = archive_refuse (error, name,
                               "names must be APPLICATION_ID/FILE of letters, digits, '.', "
                               "'_' and '-' (absolute paths and '..' are refused)");
          break;
        }
      if (size < 0 || (guint64) size > RK_APPLICATION_MAX_ENTRY)
        {
          ok = archive_refuse (error, name, "larger than 20 MiB (or of unknown size)");
          break;
        }
      data = g_malloc (len + 1);
      if (len > 0 && archive_read_data (a, data, len) != (la_ssize_t) len)
        {
          ok = archive_refuse (error, name, "truncated or corrupt entry");
          break;
        }
      data[len] = '\0';
      slash = strchr (name, '/');
      *slash = '\0';
      files = g_hash_table_lookup (folders, name);
      if (files == NULL)
        {
          files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_bytes_unref);
          g_hash_table_insert (folders, g_strdup (name), files);
        }
      if (g_hash_table_contains (files, slash + 1))
        {
          *slash = '/';
          ok = archive_refuse (error, name, "appears twice");
          break;
        }
      g_hash_table_insert (files, g_strdup (slash + 1),
                           g_bytes_new_take (g_steal_pointer (&data), len));
    }
  if (ok && rc != ARCHIVE_EOF && rc != ARCHIVE_OK)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_ARCHIVE,
                   "the archive is damaged: %s; nothing was imported", archive_error_string (a));
      ok = FALSE;
    }
  archive_read_free (a);
  return ok;
}

static gboolean
media_type_matches (const char *media_type, GBytes *bytes)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (bytes, &len);

  if (strcmp (media_type, "image/jpeg") == 0)
    return len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
  if (strcmp (media_type, "image/png") == 0)
    return len >= 8 && memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0;
  if (strcmp (media_type, "application/pdf") == 0)
    return len >= 5 && memcmp (d, "%PDF-", 5) == 0;
  return FALSE;
}

static gboolean
already_imported (sqlite3 *db, const char *application_id, gboolean *ret, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = rk_intake_prepare (db, "SELECT 1 FROM application WHERE "
                                                        "external_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, application_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rk_intake_set_sqlite_error (error, db, "look up application");
  *ret = rc == SQLITE_ROW;
  return TRUE;
}

/* Imports one application folder; adds its report object to @b. */
static gboolean
import_one (sqlite3 *db, const char *folder, GHashTable *files, RkSealFunc seal,
            gpointer seal_data, const char *actor, RkApplicationImportStats *stats,
            JsonBuilder *b, GError **error)
{
  GBytes *manifest_bytes = g_hash_table_lookup (files, "manifest.json");
  g_autoptr(JsonNode) manifest = NULL;
  g_autoptr(RkIntakeStmt) insert = NULL;
  g_autoptr(RkIntakeStmt) insert_attachment = NULL;
  g_autofree guint8 *sealed = NULL;
  g_autofree char *now = rk_intake_now_iso ();
  JsonObject *m, *applicant;
  JsonArray *attachments;
  const char *application_id;
  gboolean joined = FALSE, seen = FALSE;
  gsize sealed_len;
  gint64 case_id, application_row;
  gsize manifest_len;
  const char *manifest_text;

  if (manifest_bytes == NULL)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_ARCHIVE,
                   "application folder \"%s\" has no manifest.json; nothing was imported",
                   folder);
      return FALSE;
    }
  manifest_text = g_bytes_get_data (manifest_bytes, &manifest_len);
  manifest = parse_manifest (manifest_text, manifest_len, error);
  if (manifest == NULL)
    {
      g_prefix_error (error, "application \"%s\", manifest.json: ", folder);
      return FALSE;
    }
  m = json_node_get_object (manifest);
  application_id = json_object_get_string_member (m, "application_id");
  applicant = json_object_get_object_member (m, "applicant");
  attachments = json_object_get_array_member (m, "attachments");
  if (strcmp (application_id, folder) != 0)
    {
      g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_MANIFEST,
                   "application \"%s\": application_id \"%s\" differs from its folder name",
                   folder, application_id);
      return FALSE;
    }
  /* Every attachment named must be there, of the declared type. */
  for (guint i = 0; i < json_array_get_length (attachments); i++)
    {
      JsonObject *a = json_array_get_object_element (attachments, i);
      const char *file = json_object_get_string_member (a, "file");
      GBytes *content = g_hash_table_lookup (files, file);

      if (content == NULL || strcmp (file, "manifest.json") == 0)
        {
          g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_MANIFEST,
                       "application \"%s\": attachments[%u] names \"%s\", which is not in "
                       "the folder", folder, i, file);
          return FALSE;
        }
      if (!media_type_matches (json_object_get_string_member (a, "media_type"), content))
        {
          g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_MANIFEST,
                       "application \"%s\": \"%s\" is not the %s it claims to be", folder, file,
                       json_object_get_string_member (a, "media_type"));
          return FALSE;
        }
    }
  if (!already_imported (db, application_id, &seen, error))
    return FALSE;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "application_id");
  json_builder_add_string_value (b, application_id);
  if (seen)
    {
      stats->already_imported++;
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, "already_imported");
      json_builder_end_object (b);
      return TRUE;
    }

  case_id = rk_case_open (db, json_object_get_string_member (applicant, "nik"),
                          rk_case_type_from_string (json_object_get_string_member (m,
                                                                                   "case_type")),
                          "online", actor, &joined, error);
  if (case_id == 0)
    return FALSE;
  if (joined)
    stats->cases_joined++;
  else
    stats->cases_opened++;

  sealed = seal (seal_data, (const guint8 *) manifest_text, manifest_len, &sealed_len);
  insert = rk_intake_prepare (db, "INSERT INTO application (external_id, case_id, received_at, "
                                  "submitted_at, manifest) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, application_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 2, case_id);
  sqlite3_bind_text (insert, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, json_object_get_string_member (m, "submitted_at"), -1,
                     SQLITE_STATIC);
  sqlite3_bind_blob (insert, 5, sealed, (int) sealed_len, SQLITE_STATIC);
  if (!rk_intake_step_done (db, insert, "store application", error))
    return FALSE;
  application_row = sqlite3_last_insert_rowid (db);

  insert_attachment = rk_intake_prepare (db, "INSERT INTO application_attachment "
                                             "(application_id, document, media_type, size, "
                                             "sha256, sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                         error);
  if (insert_attachment == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (attachments); i++)
    {
      JsonObject *a = json_array_get_object_element (attachments, i);
      GBytes *content = g_hash_table_lookup (files, json_object_get_string_member (a, "file"));
      gsize len, blob_len;
      const guint8 *data = g_bytes_get_data (content, &len);
      g_autofree guint8 *blob = seal (seal_data, data, len, &blob_len);
      g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);

      sqlite3_reset (insert_attachment);
      sqlite3_bind_int64 (insert_attachment, 1, application_row);
      sqlite3_bind_text (insert_attachment, 2, json_object_get_string_member (a, "document"), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (insert_attachment, 3, json_object_get_string_member (a, "media_type"),
                         -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert_attachment, 4, (gint64) len);
      sqlite3_bind_text (insert_attachment, 5, sha, -1, SQLITE_STATIC);
      sqlite3_bind_blob (insert_attachment, 6, blob, (int) blob_len, SQLITE_STATIC);
      if (!rk_intake_step_done (db, insert_attachment, "store attachment", error))
        return FALSE;
      stats->attachments++;
    }
  stats->applications++;
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "imported");
  json_builder_set_member_name (b, "case_id");
  json_builder_add_int_value (b, case_id);
  json_builder_set_member_name (b, "joined");
  json_builder_add_boolean_value (b, joined);
  json_builder_set_member_name (b, "attachments");
  json_builder_add_int_value (b, json_array_get_length (attachments));
  json_builder_end_object (b);
  return TRUE;
}

JsonNode *
rk_application_import (sqlite3 *db, GBytes *archive, RkSealFunc seal, gpointer seal_data,
                       const char *actor, RkApplicationImportStats *ret_stats, GError **error)
{
  g_autoptr(GHashTable) folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_hash_table_unref);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GList) names = NULL;
  RkApplicationImportStats stats = { 0 };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!read_archive (archive, folders, error))
    return NULL;
  if (g_hash_table_size (folders) == 0)
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_ARCHIVE,
                           "the archive holds no application folder");
      return NULL;
    }
  /* Folder order, so the report and case ids do not depend on hashing. */
  names = g_list_sort (g_hash_table_get_keys (folders), (GCompareFunc) strcmp);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "applications");
  json_builder_begin_array (b);
  for (GList *l = names; l != NULL; l = l->next)
    if (!import_one (db, l->data, g_hash_table_lookup (folders, l->data), seal, seal_data,
                     actor, &stats, b, error))
      return NULL;
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (ret_stats != NULL)
    *ret_stats = stats;
  return json_builder_get_root (b);
}
