/* ctl-intake.c: rekamctl subcommands for SOP steps 1-2.
 *
 * Files named on the command line are read here, by rekamctl, and sent
 * to the daemon as the request body (text/csv for an extract, a zip or
 * a tar built here from a folder of applications): rekamd runs as its
 * own user under ProtectHome= and may not be able to read them. */
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "rk-ctl.h"

/* ---- helpers --------------------------------------------------------- */

static const char *
member_string (JsonObject *obj, const char *name)
{
  if (obj == NULL || !json_object_has_member (obj, name) ||
      json_object_get_null_member (obj, name))
    return NULL;
  return json_object_get_string_member (obj, name);
}

/* Finds "--name VALUE" in argv, removing both; returns VALUE or NULL.
 * Sets *ret_bad when the option has no value. */
static const char *
take_option (int *argc, char **argv, const char *name, gboolean *ret_bad)
{
  for (int i = 1; i < *argc; i++)
    if (strcmp (argv[i], name) == 0)
      {
        const char *value;

        if (i + 1 >= *argc)
          {
            *ret_bad = TRUE;
            return NULL;
          }
        value = argv[i + 1];
        memmove (&argv[i], &argv[i + 2], sizeof (char *) * (size_t) (*argc - i - 2));
        *argc -= 2;
        argv[*argc] = NULL;   /* keep argv NULL-terminated for g_strjoinv */
        return value;
      }
  return NULL;
}

static int
print_reply (RkCtl *ctl, JsonNode *reply)
{
  rk_ctl_print_reply (ctl, reply);
  return RK_CTL_EXIT_OK;
}

static GBytes *
read_file (const char *path, GError **error)
{
  GMappedFile *mapped = g_mapped_file_new (path, FALSE, error);
  GBytes *bytes;

  if (mapped == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);
  return bytes;
}

/* ---- nik / resident --------------------------------------------------- */

static void
print_issues (JsonObject *check)
{
  JsonArray *issues = check ? json_object_get_array_member (check, "issues") : NULL;

  for (guint i = 0; issues != NULL && i < json_array_get_length (issues); i++)
    {
      JsonObject *issue = json_array_get_object_element (issues, i);

      g_print ("  %s %s: %s\n",
               json_object_get_boolean_member (issue, "warning") ? "warning" : "error  ",
               member_string (issue, "code"), member_string (issue, "message"));
    }
}

static void
print_eligibility (JsonObject *obj)
{
  JsonObject *e = json_object_has_member (obj, "eligibility") &&
                  !json_object_get_null_member (obj, "eligibility")
                  ? json_object_get_object_member (obj, "eligibility") : NULL;

  if (e == NULL)
    return;
  g_print ("eligibility: %s (%s, age %" G_GINT64_FORMAT ")%s%s\n",
           json_object_get_boolean_member (e, "eligible") ? "eligible" : "NOT eligible",
           member_string (e, "rule"), json_object_get_int_member (e, "age"),
           json_object_get_boolean_member (e, "eligible") ? "" : "; eligible from ",
           json_object_get_boolean_member (e, "eligible") ? ""
                                                          : member_string (e, "eligible_from"));
}

static int
ctl_nik_check (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  JsonObject *obj, *check;
  gboolean valid;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "needs one NIK");
  escaped = rk_ctl_escape (argv[1]);
  path = g_strdup_printf ("/v1/nik/%s/check", escaped);
  if (!rk_ctl_request (ctl, "GET", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  obj = json_node_get_object (reply);
  valid = json_object_get_boolean_member (obj, "valid");
  if (rk_ctl_want_json (ctl))
    rk_ctl_print_json (ctl, reply);
  else
    {
      check = json_object_get_object_member (obj, "nik_check");
      g_print ("NIK %s: %s; %s the registry extract\n", argv[1], valid ? "valid" : "INVALID",
               json_object_get_boolean_member (obj, "in_registry") ? "in" : "NOT in");
      print_issues (check);
      if (json_object_has_member (check, "decoded"))
        {
          JsonObject *d = json_object_get_object_member (check, "decoded");

          const char *province = member_string (d, "province");
          const char *regency = member_string (d, "regency");
          const char *kecamatan = member_string (d, "kecamatan");

          g_print ("  region: %s / %s / %s\n", province ? province : "?",
                   regency ? regency : "?", kecamatan ? kecamatan : "?");
          g_print ("  birth (DD-MM-YY): %s, %s, serial %" G_GINT64_FORMAT "\n",
                   member_string (d, "birth_ddmmyy"), member_string (d, "sex"),
                   json_object_get_int_member (d, "serial"));
        }
      print_eligibility (obj);
    }
  return valid ? RK_CTL_EXIT_OK : RK_CTL_EXIT_FAILED;
}

static void
print_people (JsonArray *people, gboolean with_distance)
{
  g_autoptr(RkCtlTable) table = NULL;

  if (with_distance)
    {
      table = rk_ctl_table_new ("NIK", "NAME", "BORN", "SEX", "MARITAL", "KELURAHAN", "EDITS",
                                NULL);
      rk_ctl_table_set_keys (table, "nik", "name", "birth_date", "sex", "marital", "kelurahan",
                             "distance", NULL);
    }
  else
    {
      table = rk_ctl_table_new ("NIK", "NAME", "BORN", "SEX", "MARITAL", NULL);
      rk_ctl_table_set_keys (table, "nik", "name", "birth_date", "sex", "marital", NULL);
    }
  for (guint i = 0; people != NULL && i < json_array_get_length (people); i++)
    rk_ctl_table_add_object (table, json_array_get_object_element (people, i));
  rk_ctl_table_print (table);
}

static int
ctl_resident_show (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  JsonObject *obj;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "needs one NIK");
  escaped = rk_ctl_escape (argv[1]);
  path = g_strdup_printf ("/v1/residents/%s", escaped);
  if (!rk_ctl_request (ctl, "GET", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  obj = json_node_get_object (reply);
  rk_ctl_print_object (ctl, obj);
  g_print ("NIK check: %s\n", json_object_get_boolean_member (
             json_object_get_object_member (obj, "nik_check"), "valid") ? "valid" : "INVALID");
  print_issues (json_object_get_object_member (obj, "nik_check"));
  print_eligibility (obj);
  g_print ("\nfamily (KK %s):\n", member_string (obj, "no_kk"));
  print_people (json_object_get_array_member (obj, "family"), FALSE);
  return RK_CTL_EXIT_OK;
}

static int
ctl_resident_search (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GString) path = g_string_new ("/v1/residents?name=");
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;
  gboolean bad = FALSE;
  const char *born = take_option (&argc, argv, "--born", &bad);
  const char *limit = take_option (&argc, argv, "--limit", &bad);

  if (bad || argc < 2)
    return rk_ctl_usage_error (ctl, "needs a NAME (and --born YYYY-MM-DD, --limit N)");
  name = g_strjoinv (" ", argv + 1);
  escaped = rk_ctl_escape (name);
  g_string_append (path, escaped);
  if (born != NULL)
    {
      g_autofree char *b = rk_ctl_escape (born);

      g_string_append_printf (path, "&born=%s", b);
    }
  if (limit != NULL)
    {
      g_autofree char *l = rk_ctl_escape (limit);

      g_string_append_printf (path, "&limit=%s", l);
    }
  if (!rk_ctl_request (ctl, "GET", path->str, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    rk_ctl_print_json (ctl, reply);
  else
    print_people (json_object_get_array_member (json_node_get_object (reply), "residents"),
                  TRUE);
  return RK_CTL_EXIT_OK;
}

/* ---- imports ---------------------------------------------------------- */

static int
ctl_siak_import (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = NULL;
  gboolean bad = FALSE;
  const char *encoding = take_option (&argc, argv, "--encoding", &bad);

  if (bad || argc != 2)
    return rk_ctl_usage_error (ctl, "needs one FILE (and --encoding auto|utf-8|latin-1)");
  body = read_file (argv[1], &error);
  if (body == NULL)
    {
      g_printerr ("rekamctl siak import: %s\n", error->message);
      return RK_CTL_EXIT_USAGE;
    }
  path = g_strdup_printf ("/v1/siak/imports?encoding=%s", encoding ? encoding : "auto");
  if (!rk_ctl_request_bytes (ctl, "POST", path, "text/csv", body, &reply, NULL, &error))
    return rk_ctl_fail (ctl, error);
  return print_reply (ctl, reply);
}

static void
tar_octal (char *field, gsize width, guint64 value)
{
  g_snprintf (field, width, "%0*" G_GINT64_MODIFIER "o", (int) width - 1, value);
}

/* Appends one ustar entry (a regular file) to @tar. */
static void
tar_add (GByteArray *tar, const char *name, GBytes *content)
{
  char header[512] = { 0 };
  guint sum = 0;
  gsize len = g_bytes_get_size (content);
  static const char zeros[512] = { 0 };

  g_strlcpy (header, name, 100);
  tar_octal (header + 100, 8, 0644);
  tar_octal (header + 108, 8, 0);
  tar_octal (header + 116, 8, 0);
  tar_octal (header + 124, 12, len);
  tar_octal (header + 136, 12, 0);
  memset (header + 148, ' ', 8);
  header[156] = '0';
  memcpy (header + 257, "ustar", 6);
  memcpy (header + 263, "00", 2);
  for (gsize i = 0; i < sizeof header; i++)
    sum += (guchar) header[i];
  g_snprintf (header + 148, 8, "%06o", sum);
  header[155] = ' ';
  g_byte_array_append (tar, (const guint8 *) header, sizeof header);
  g_byte_array_append (tar, g_bytes_get_data (content, NULL), (guint) len);
  if (len % 512 != 0)
    g_byte_array_append (tar, (const guint8 *) zeros, (guint) (512 - len % 512));
}

/* A folder of application folders as a tar: DIR/<id>/<file>. Links and
 * anything but regular files are refused here already. */
static GBytes *
tar_folder (const char *dir, GError **error)
{
  g_autoptr(GByteArray) tar = g_byte_array_new ();
  g_autoptr(GDir) top = g_dir_open (dir, 0, error);
  const char *application;
  static const char zeros[1024] = { 0 };

  if (top == NULL)
    return NULL;
  while ((application = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *app_path = g_build_filename (dir, application, NULL);
      g_autoptr(GDir) folder = NULL;
      const char *file;

      if (g_file_test (app_path, G_FILE_TEST_IS_SYMLINK) ||
          !g_file_test (app_path, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: expected one folder per application", app_path);
          return NULL;
        }
      folder = g_dir_open (app_path, 0, error);
      if (folder == NULL)
        return NULL;
      while ((file = g_dir_read_name (folder)) != NULL)
        {
          g_autofree char *file_path = g_build_filename (app_path, file, NULL);
          g_autofree char *name = g_strdup_printf ("%s/%s", application, file);
          g_autoptr(GBytes) content = NULL;

          if (g_file_test (file_path, G_FILE_TEST_IS_SYMLINK) ||
              !g_file_test (file_path, G_FILE_TEST_IS_REGULAR))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "%s: only regular files are sent (no links, no subfolders)",
                           file_path);
              return NULL;
            }
          if (strlen (name) >= 100)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "%s: name too long", name);
              return NULL;
            }
          content = read_file (file_path, error);
          if (content == NULL)
            return NULL;
          tar_add (tar, name, content);
        }
    }
  g_byte_array_append (tar, (const guint8 *) zeros, sizeof zeros);
  return g_byte_array_free_to_bytes (g_steal_pointer (&tar));
}

static int
ctl_applications_import (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GBytes) body = NULL;
  gboolean folder;

  if (argc != 2)
    return rk_ctl_usage_error (ctl, "needs one DIR or ZIP file");
  folder = g_file_test (argv[1], G_FILE_TEST_IS_DIR);
  body = folder ? tar_folder (argv[1], &error) : read_file (argv[1], &error);
  if (body == NULL)
    {
      g_printerr ("rekamctl applications import: %s\n", error->message);
      return RK_CTL_EXIT_USAGE;
    }
  if (!rk_ctl_request_bytes (ctl, "POST", "/v1/applications/imports",
                             folder ? "application/x-tar" : "application/zip", body, &reply,
                             NULL, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    rk_ctl_print_json (ctl, reply);
  else
    {
      g_autoptr(RkCtlTable) table = rk_ctl_table_new ("APPLICATION", "STATUS", "CASE", "JOINED",
                                                      "ATTACHMENTS", NULL);
      JsonArray *apps = json_object_get_array_member (json_node_get_object (reply),
                                                      "applications");

      rk_ctl_table_set_keys (table, "application_id", "status", "case_id", "joined",
                             "attachments", NULL);
      for (guint i = 0; apps != NULL && i < json_array_get_length (apps); i++)
        rk_ctl_table_add_object (table, json_array_get_object_element (apps, i));
      rk_ctl_table_print (table);
    }
  return RK_CTL_EXIT_OK;
}

/* ---- cases ------------------------------------------------------------- */

static int
ctl_case_list (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(RkCtlTable) table = NULL;
  g_autofree char *path = NULL;
  gboolean bad = FALSE;
  const char *state = take_option (&argc, argv, "--state", &bad);
  JsonArray *cases;

  if (bad || argc != 1)
    return rk_ctl_usage_error (ctl, "takes only --state STATE");
  if (state != NULL)
    {
      g_autofree char *escaped = rk_ctl_escape (state);

      path = g_strdup_printf ("/v1/cases?state=%s", escaped);
    }
  else
    path = g_strdup ("/v1/cases");
  if (!rk_ctl_request (ctl, "GET", path, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  table = rk_ctl_table_new ("ID", "NIK", "TYPE", "STATE", "SOURCE", "OPENED", "MISSING", NULL);
  cases = json_object_get_array_member (json_node_get_object (reply), "cases");
  for (guint i = 0; cases != NULL && i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             json_object_get_int_member (c, "id"));
      g_autofree char *missing = g_strdup_printf ("%u", json_array_get_length (
                                                    json_object_get_array_member (c, "missing")));

      rk_ctl_table_add_row (table, id, member_string (c, "nik"), member_string (c, "type"),
                            member_string (c, "state"), member_string (c, "source"),
                            member_string (c, "opened_at"), missing);
    }
  rk_ctl_table_print (table);
  return RK_CTL_EXIT_OK;
}

static int
print_case (RkCtl *ctl, JsonNode *reply)
{
  JsonObject *c = json_node_get_object (reply);
  g_autoptr(RkCtlTable) documents = NULL;
  g_autoptr(RkCtlTable) steps = NULL;
  JsonArray *list;

  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  rk_ctl_print_object (ctl, c);
  g_print ("\nchecklist:\n");
  documents = rk_ctl_table_new ("#", "DOCUMENT", "REQUIRED", "CHECKED", "BY", NULL);
  rk_ctl_table_set_keys (documents, "position", "document", "required", "checked_at",
                         "checked_by", NULL);
  list = json_object_get_array_member (c, "documents");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    rk_ctl_table_add_object (documents, json_array_get_object_element (list, i));
  rk_ctl_table_print (documents);
  g_print ("\nSOP steps:\n");
  steps = rk_ctl_table_new ("STEP", "STARTED", "ENDED", "OPERATOR", "MINUTES", "STANDARD", NULL);
  rk_ctl_table_set_keys (steps, "step", "started_at", "ended_at", "operator", "minutes",
                         "standard_minutes", NULL);
  list = json_object_get_array_member (c, "steps");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    rk_ctl_table_add_object (steps, json_array_get_object_element (list, i));
  rk_ctl_table_print (steps);
  return RK_CTL_EXIT_OK;
}

static int
case_request (RkCtl *ctl, const char *method, const char *path, JsonNode *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;

  if (!rk_ctl_request (ctl, method, path, body, &reply, &error))
    return rk_ctl_fail (ctl, error);
  return print_case (ctl, reply);
}

static gboolean
case_id_ok (const char *text)
{
  guint64 id;

  return g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL);
}

static int
ctl_case_show (RkCtl *ctl, int argc, char **argv)
{
  g_autofree char *path = NULL;

  if (argc != 2 || !case_id_ok (argv[1]))
    return rk_ctl_usage_error (ctl, "needs one case ID");
  path = g_strdup_printf ("/v1/cases/%s", argv[1]);
  return case_request (ctl, "GET", path, NULL);
}

static int
ctl_case_open (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  if (argc != 3)
    return rk_ctl_usage_error (ctl, "needs NIK and TYPE");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nik");
  json_builder_add_string_value (b, argv[1]);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, argv[2]);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  return case_request (ctl, "POST", "/v1/cases", body);
}

static int
ctl_case_check_document (RkCtl *ctl, int argc, char **argv)
{
  g_autofree char *path = NULL;
  g_autofree char *document = NULL;

  if (argc != 3 || !case_id_ok (argv[1]))
    return rk_ctl_usage_error (ctl, "needs a case ID and a DOCUMENT");
  document = rk_ctl_escape (argv[2]);
  path = g_strdup_printf ("/v1/cases/%s/documents/%s/check", argv[1], document);
  return case_request (ctl, "POST", path, NULL);
}

static int
ctl_case_forward (RkCtl *ctl, int argc, char **argv)
{
  g_autofree char *path = NULL;

  if (argc != 2 || !case_id_ok (argv[1]))
    return rk_ctl_usage_error (ctl, "needs one case ID");
  path = g_strdup_printf ("/v1/cases/%s/forward", argv[1]);
  return case_request (ctl, "POST", path, NULL);
}

static int
ctl_case_cancel (RkCtl *ctl, int argc, char **argv)
{
  g_autofree char *path = NULL;

  if (argc != 2 || !case_id_ok (argv[1]))
    return rk_ctl_usage_error (ctl, "needs one case ID");
  path = g_strdup_printf ("/v1/cases/%s/cancel", argv[1]);
  return case_request (ctl, "POST", path, NULL);
}

static int
ctl_case_refer (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  gboolean bad = FALSE;
  const char *name = take_option (&argc, argv, "--name", &bad);
  const char *reason = take_option (&argc, argv, "--reason", &bad);
  const char *note = take_option (&argc, argv, "--note", &bad);
  const char *nik = take_option (&argc, argv, "--nik", &bad);

  if (bad || argc > 2 || name == NULL || reason == NULL ||
      (argc == 2 && !case_id_ok (argv[1])))
    return rk_ctl_usage_error (ctl, "needs --name NAME --reason REASON [CASE_ID] "
                                    "[--nik NIK] [--note TEXT]");
  json_builder_begin_object (b);
  if (argc == 2)
    {
      json_builder_set_member_name (b, "case_id");
      json_builder_add_int_value (b, g_ascii_strtoll (argv[1], NULL, 10));
    }
  if (nik != NULL)
    {
      json_builder_set_member_name (b, "nik");
      json_builder_add_string_value (b, nik);
    }
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  if (note != NULL)
    {
      json_builder_set_member_name (b, "note");
      json_builder_add_string_value (b, note);
    }
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  if (!rk_ctl_request (ctl, "POST", "/v1/referrals", body, &reply, &error))
    return rk_ctl_fail (ctl, error);
  return print_reply (ctl, reply);
}

static int
ctl_referral_slip (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  gboolean bad = FALSE;
  const char *output = take_option (&argc, argv, "--output", &bad);
  g_autofree char *default_output = NULL;

  if (bad || argc != 2 || !case_id_ok (argv[1]))
    return rk_ctl_usage_error (ctl, "needs a referral ID (and --output FILE.pdf)");
  path = g_strdup_printf ("/v1/referrals/%s/slip", argv[1]);
  if (!rk_ctl_request_bytes (ctl, "GET", path, NULL, NULL, NULL, &pdf, &error))
    return rk_ctl_fail (ctl, error);
  if (output == NULL)
    output = default_output = g_strdup_printf ("rujukan-%s.pdf", argv[1]);
  if (pdf == NULL ||
      !g_file_set_contents (output, g_bytes_get_data (pdf, NULL),
                            (gssize) g_bytes_get_size (pdf), &error))
    {
      g_printerr ("rekamctl referral slip: %s\n", error ? error->message : "empty answer");
      return RK_CTL_EXIT_FAILED;
    }
  g_print ("%s\n", output);
  return RK_CTL_EXIT_OK;
}

/* ---- report ------------------------------------------------------------ */

static int
ctl_report_sop (RkCtl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(RkCtlTable) table = NULL;
  g_autoptr(GString) path = g_string_new ("/v1/reports/sop");
  gboolean bad = FALSE;
  const char *from = take_option (&argc, argv, "--from", &bad);
  const char *to = take_option (&argc, argv, "--to", &bad);
  JsonArray *rows;

  if (bad || argc != 1)
    return rk_ctl_usage_error (ctl, "takes --from YYYY-MM-DD and --to YYYY-MM-DD");
  if (from != NULL)
    {
      g_autofree char *f = rk_ctl_escape (from);

      g_string_append_printf (path, "?from=%s", f);
    }
  if (to != NULL)
    {
      g_autofree char *t = rk_ctl_escape (to);

      g_string_append_printf (path, "%cto=%s", from != NULL ? '&' : '?', t);
    }
  if (!rk_ctl_request (ctl, "GET", path->str, NULL, &reply, &error))
    return rk_ctl_fail (ctl, error);
  if (rk_ctl_want_json (ctl))
    {
      rk_ctl_print_json (ctl, reply);
      return RK_CTL_EXIT_OK;
    }
  table = rk_ctl_table_new ("DAY", "OPERATOR", "STEP", "CASES", "MEAN MIN", "MAX MIN",
                            "STANDARD", "OVER", NULL);
  rows = json_object_get_array_member (json_node_get_object (reply), "rows");
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *r = json_array_get_object_element (rows, i);
      g_autofree char *step = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               json_object_get_int_member (r, "step"));
      g_autofree char *cases = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                json_object_get_int_member (r, "cases"));
      g_autofree char *mean = g_strdup_printf ("%.1f",
                                               json_object_get_double_member (r, "mean_minutes"));
      g_autofree char *max = g_strdup_printf ("%.1f",
                                              json_object_get_double_member (r, "max_minutes"));
      g_autofree char *standard = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (
                                                     r, "standard_minutes"));
      g_autofree char *over = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               json_object_get_int_member (r, "over_standard"));

      rk_ctl_table_add_row (table, member_string (r, "day"), member_string (r, "operator"), step,
                            cases, mean, max, standard, over);
    }
  rk_ctl_table_print (table);
  return RK_CTL_EXIT_OK;
}

const RkCtlCommand rk_ctl_commands_intake[] = {
  { "nik check", "Check a NIK's structure, its record and eligibility", ctl_nik_check, "NIK" },
  { "resident show", "Show a resident of the registry extract and the family",
    ctl_resident_show, "NIK" },
  { "resident search", "Search residents by name (typos and old spellings forgiven)",
    ctl_resident_search, "NAME... [--born YYYY-MM-DD] [--limit N]" },
  { "siak import", "Import the SIAK extract (CSV, schemas/siak-extract.md)", ctl_siak_import,
    "FILE.csv [--encoding auto|utf-8|latin-1]" },
  { "applications import", "Import online applications (a zip, or a folder of folders)",
    ctl_applications_import, "DIR|FILE.zip" },
  { "case list", "List cases, newest first", ctl_case_list, "[--state STATE]" },
  { "case show", "Show a case, its checklist and SOP step times", ctl_case_show, "ID" },
  { "case open", "Open a case at the counter (or join the open one)", ctl_case_open,
    "NIK first_issue|change_of_data|replacement|newcomer" },
  { "case check-document", "Mark a checklist document as checked", ctl_case_check_document,
    "ID rt_rw_letter|form_f107|kk_copy|old_ktp_or_police_report|"
    "diploma_or_birth_certificate|civil_status_certificate|transfer_letter" },
  { "case forward", "Send a checked case to recording (SOP step 3)", ctl_case_forward, "ID" },
  { "case cancel", "Cancel an open case", ctl_case_cancel, "ID" },
  { "case refer", "Refer someone to Disdukcapil (with or without a case)", ctl_case_refer,
    "[ID] --name NAME --reason not_in_registry|no_nik|nik_mismatch|record_incorrect "
    "[--nik NIK] [--note TEXT]" },
  { "referral slip", "Save a referral's printable slip (PDF)", ctl_referral_slip,
    "ID [--output FILE.pdf]" },
  { "report sop", "SOP step times against the standard, per day and operator",
    ctl_report_sop, "[--from YYYY-MM-DD] [--to YYYY-MM-DD]" },
  { NULL }
};
