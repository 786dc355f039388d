#include "rk-siak-import.h"

#include <string.h>

#include "rk-intake-error.h"
#include "rk-intake-types.h"
#include "rk-name-key.h"
#include "rk-nik.h"

/* Below this many rows the trigram index is kept up to date row by row;
 * above, it is rebuilt once at the end (far cheaper in bulk). */
#define INCREMENTAL_FTS_LIMIT 5000

enum {
  COL_NIK, COL_NO_KK, COL_NAMA_LGKP, COL_TMPT_LHR, COL_TGL_LHR, COL_JENIS_KLMIN,
  COL_STAT_KWN, COL_AGAMA, COL_JENIS_PKRJN, COL_ALAMAT, COL_NO_RT, COL_NO_RW,
  COL_KODE_KEL,
};

const char *const rk_siak_columns[] = {
  "NIK", "NO_KK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "STAT_KWN",
  "AGAMA", "JENIS_PKRJN", "ALAMAT", "NO_RT", "NO_RW", "KODE_KEL", NULL,
};


char *
rk_intake_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gint64
count_residents (sqlite3 *db, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = rk_intake_prepare (db, "SELECT count(*) FROM resident", error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      rk_intake_set_sqlite_error (error, db, "count residents");
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
field_error (GError **error, guint64 line, const guint *position, guint column,
             const char *format, ...) G_GNUC_PRINTF (5, 6);

static gboolean
field_error (GError **error, guint64 line, const guint *position, guint column,
             const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
               "line %" G_GUINT64_FORMAT ", column %u (%s): %s", line, position[column],
               rk_siak_columns[column] != NULL ? rk_siak_columns[column] : "?", what);
  return FALSE;
}

static gboolean
all_digits (const char *s, gsize len, gsize want)
{
  if (len != want)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Reads the header line into @map (file column -> our column). */
static gboolean
read_header (RkCsvReader *reader, guint map[RK_CSV_MAX_FIELDS], guint *ret_n, GError **error)
{
  gboolean seen[RK_SIAK_N_COLUMNS] = { FALSE };
  guint n;

  if (!rk_csv_reader_next (reader, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CSV,
                             "line 1: the file is empty (a header line naming the "
                             "columns is required)");
      return FALSE;
    }
  n = rk_csv_reader_get_n_fields (reader);
  for (guint i = 0; i < n; i++)
    {
      const char *name = rk_csv_reader_get_field (reader, i, NULL);
      guint c;

      for (c = 0; c < RK_SIAK_N_COLUMNS; c++)
        if (g_ascii_strcasecmp (name, rk_siak_columns[c]) == 0)
          break;
      if (c == RK_SIAK_N_COLUMNS)
        {
          g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CSV,
                       "line 1, column %u: unknown column \"%s\" (expected the "
                       "columns of schemas/siak-extract.md)", i + 1, name);
          return FALSE;
        }
      if (seen[c])
        {
          g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CSV,
                       "line 1, column %u: column %s appears twice", i + 1,
                       rk_siak_columns[c]);
          return FALSE;
        }
      seen[c] = TRUE;
      map[i] = c;
    }
  for (guint c = 0; c < RK_SIAK_N_COLUMNS; c++)
    if (!seen[c])
      {
        g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CSV,
                     "line 1: column %s is missing from the header", rk_siak_columns[c]);
        return FALSE;
      }
  *ret_n = n;
  return TRUE;
}

/* Adds each word of @key to @words (a set). */
static void
add_words (GHashTable *words, const char *key)
{
  const char *start = key;

  for (const char *p = key;; p++)
    {
      if (*p == ' ' || *p == '\0')
        {
          if (p > start)
            {
              char word[RK_NAME_KEY_MAX];
              gsize len = (gsize) (p - start);

              memcpy (word, start, len);
              word[len] = '\0';
              if (!g_hash_table_contains (words, word))
                g_hash_table_add (words, g_strdup (word));
            }
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
}

static gboolean
fts_update (sqlite3_stmt *lookup, sqlite3_stmt *fts_delete, sqlite3_stmt *fts_insert,
            sqlite3 *db, gint64 nik, const char *key, GError **error)
{
  int rc;

  sqlite3_reset (lookup);
  sqlite3_bind_int64 (lookup, 1, nik);
  rc = sqlite3_step (lookup);
  if (rc == SQLITE_ROW)
    {
      const char *old = (const char *) sqlite3_column_text (lookup, 0);
      gboolean same = g_strcmp0 (old, key) == 0;

      if (!same)
        {
          sqlite3_reset (fts_delete);
          sqlite3_bind_int64 (fts_delete, 1, nik);
          sqlite3_bind_text (fts_delete, 2, old, -1, SQLITE_TRANSIENT);
          rc = sqlite3_step (fts_delete);
        }
      /* Leave no read open: the bulk path drops indexes later. */
      sqlite3_reset (lookup);
      if (same)
        return TRUE;
      if (rc != SQLITE_DONE)
        return rk_intake_set_sqlite_error (error, db, "update name index");
    }
  else if (rc != SQLITE_DONE)
    return rk_intake_set_sqlite_error (error, db, "read resident");
  sqlite3_reset (fts_insert);
  sqlite3_bind_int64 (fts_insert, 1, nik);
  sqlite3_bind_text (fts_insert, 2, key, -1, SQLITE_STATIC);
  if (sqlite3_step (fts_insert) != SQLITE_DONE)
    return rk_intake_set_sqlite_error (error, db, "update name index");
  return TRUE;
}

/* The text columns of a row as bound to the upsert (parameters 2-4 and
 * 8-13), plus the birth date (5) and the name key (14). */
enum { T_NO_KK, T_NAME, T_PLACE, T_RELIGION, T_JOB, T_ADDRESS, T_RT, T_RW, T_KEL, T_BIRTH,
       T_KEY, N_TEXTS };
static const int text_parameter[N_TEXTS] = { 2, 3, 4, 8, 9, 10, 11, 12, 13, 5, 14 };

typedef struct {
  gint64  nik;
  guint64 seq;        /* line order: the last line of a NIK wins */
  gsize   offset;     /* of the packed texts in the arena */
  guint8  sex;
  guint8  marital;
  guint16 len[N_TEXTS];
} PendingRow;

static gboolean
write_row (sqlite3 *db, sqlite3_stmt *upsert, gint64 nik, const char *const text[N_TEXTS],
           const guint16 len[N_TEXTS], int sex, int marital, gint64 import_id, GError **error)
{
  sqlite3_reset (upsert);
  sqlite3_bind_int64 (upsert, 1, nik);
  for (guint t = 0; t < N_TEXTS; t++)
    sqlite3_bind_text (upsert, text_parameter[t], text[t], len[t], SQLITE_STATIC);
  sqlite3_bind_int (upsert, 6, sex);
  sqlite3_bind_int (upsert, 7, marital);
  sqlite3_bind_int64 (upsert, 15, import_id);
  if (sqlite3_step (upsert) != SQLITE_DONE)
    return rk_intake_set_sqlite_error (error, db, "write resident");
  return TRUE;
}

static gint
pending_compare (gconstpointer a, gconstpointer b)
{
  const PendingRow *x = a, *y = b;

  if (x->nik != y->nik)
    return x->nik < y->nik ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Writes the rows held back by a bulk import in NIK order: each lands
 * next to the previous one in the b-tree instead of at a random page. */
static gboolean
write_pending (sqlite3 *db, sqlite3_stmt *upsert, GArray *pending, GByteArray *arena,
               gint64 import_id, GError **error)
{
  g_array_sort (pending, pending_compare);
  for (guint i = 0; i < pending->len; i++)
    {
      PendingRow *row = &g_array_index (pending, PendingRow, i);
      const char *text[N_TEXTS];
      gsize at = row->offset;

      for (guint t = 0; t < N_TEXTS; t++)
        {
          text[t] = (const char *) arena->data + at;
          at += row->len[t];
        }
      if (!write_row (db, upsert, row->nik, text, row->len, row->sex, row->marital, import_id,
                      error))
        return FALSE;
    }
  return TRUE;
}

gboolean
rk_siak_import (sqlite3 *db, GInputStream *input, RkCsvEncoding encoding, const char *actor,
                GCancellable *cancellable, RkSiakImportStats *ret_stats, GError **error)
{
  g_autoptr(RkCsvReader) reader = NULL;
  g_autoptr(RkIntakeStmt) insert_import = NULL;
  g_autoptr(RkIntakeStmt) upsert = NULL;
  g_autoptr(RkIntakeStmt) lookup = NULL;
  g_autoptr(RkIntakeStmt) fts_delete = NULL;
  g_autoptr(RkIntakeStmt) fts_insert = NULL;
  g_autoptr(RkIntakeStmt) finish_import = NULL;
  g_autofree char *started = rk_intake_now_iso ();
  g_autofree char *finished = NULL;
  RkSiakImportStats stats = { 0 };
  guint map[RK_CSV_MAX_FIELDS];
  guint n_columns = 0;
  guint position[RK_SIAK_N_COLUMNS];     /* our column -> 1-based file column */
  gint64 before;
  gint64 after;
  gboolean incremental = TRUE;
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (PendingRow));
  g_autoptr(GByteArray) arena = g_byte_array_new ();
  gint64 t_start = g_get_monotonic_time ();
  g_autoptr(GHashTable) words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(RkIntakeStmt) insert_word = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  before = count_residents (db, error);
  if (before < 0)
    return FALSE;
  /* NIKs arrive in no particular order, so rows land all over the b-tree:
   * with the default 2 MB cache every page would be spilled and re-read
   * many times. A large cache for the import (memory is only used as the
   * tree grows) keeps the whole extract's pages in memory until commit. */
  if (!rk_intake_exec (db, "PRAGMA cache_size = -262144; PRAGMA cache_spill = 65536",
                       "set the cache size", error))
    return FALSE;

  insert_import = rk_intake_prepare (db,
                           "INSERT INTO siak_import (started_at, finished_at, actor, encoding, "
                           "rows, inserted, updated) VALUES (?1, ?1, ?2, 'utf-8', 0, 0, 0)",
                           error);
  /* OR FAIL: a statement that may abort half-way needs a statement
   * journal (a temp file, two writes per row); with FAIL it does not, and
   * any failure aborts the whole import anyway. */
  upsert = rk_intake_prepare (db,
                    "INSERT OR FAIL INTO resident (nik, no_kk, name, birth_place, birth_date, sex, "
                    "marital, religion, occupation, address, rt, rw, kode_kel, name_key, "
                    "import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                    "?13, ?14, ?15) ON CONFLICT (nik) DO UPDATE SET no_kk = excluded.no_kk, "
                    "name = excluded.name, birth_place = excluded.birth_place, "
                    "birth_date = excluded.birth_date, sex = excluded.sex, "
                    "marital = excluded.marital, religion = excluded.religion, "
                    "occupation = excluded.occupation, address = excluded.address, "
                    "rt = excluded.rt, rw = excluded.rw, kode_kel = excluded.kode_kel, "
                    "name_key = excluded.name_key, import_id = excluded.import_id",
                    error);
  if (insert_import == NULL || upsert == NULL)
    return FALSE;
  lookup = rk_intake_prepare (db, "SELECT name_key FROM resident WHERE nik = ?1", error);
  fts_delete = rk_intake_prepare (db, "INSERT INTO resident_name (resident_name, rowid, name_key) "
                            "VALUES ('delete', ?1, ?2)", error);
  fts_insert = rk_intake_prepare (db, "INSERT INTO resident_name (rowid, name_key) VALUES (?1, ?2)",
                        error);
  if (lookup == NULL || fts_delete == NULL || fts_insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert_import, 1, started, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert_import, 2, actor, -1, SQLITE_STATIC);
  if (sqlite3_step (insert_import) != SQLITE_DONE)
    return rk_intake_set_sqlite_error (error, db, "record the import");
  stats.import_id = sqlite3_last_insert_rowid (db);

  reader = rk_csv_reader_new (input, encoding);
  if (!read_header (reader, map, &n_columns, error))
    return FALSE;
  for (guint i = 0; i < n_columns; i++)
    position[map[i]] = i + 1;

  for (;;)
    {
      const char *value[RK_SIAK_N_COLUMNS];
      gsize length[RK_SIAK_N_COLUMNS];
      char key[RK_NAME_KEY_MAX];
      guint64 line;
      gint64 nik;
      GDate birth;
      RkSex sex;
      RkMarital marital;
      char birth_iso[11];

      if (!rk_csv_reader_next (reader, error))
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          break;
        }
      line = rk_csv_reader_get_line (reader);
      if (rk_csv_reader_get_n_fields (reader) != n_columns)
        {
          g_set_error (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_CSV,
                       "line %" G_GUINT64_FORMAT ": %u fields where the header has %u "
                       "(a missing comma, an unquoted comma, or a truncated line)",
                       line, rk_csv_reader_get_n_fields (reader), n_columns);
          return FALSE;
        }
      for (guint i = 0; i < n_columns; i++)
        value[map[i]] = rk_csv_reader_get_field (reader, i, &length[map[i]]);

      if (!all_digits (value[COL_NIK], length[COL_NIK], RK_NIK_LENGTH) ||
          value[COL_NIK][0] == '0')
        return field_error (error, line, position, COL_NIK, "a NIK is 16 digits");
      nik = g_ascii_strtoll (value[COL_NIK], NULL, 10);
      if (!all_digits (value[COL_NO_KK], length[COL_NO_KK], 16))
        return field_error (error, line, position, COL_NO_KK, "a family card number is 16 digits");
      if (length[COL_NAMA_LGKP] == 0)
        return field_error (error, line, position, COL_NAMA_LGKP, "the name is empty");
      g_date_clear (&birth, 1);
      if (!rk_date_parse (value[COL_TGL_LHR], &birth))
        return field_error (error, line, position, COL_TGL_LHR,
                            "not a date (YYYY-MM-DD or DD-MM-YYYY)");
      sex = rk_sex_parse (value[COL_JENIS_KLMIN]);
      if (sex == RK_SEX_UNKNOWN)
        return field_error (error, line, position, COL_JENIS_KLMIN,
                            "expected 1/LAKI-LAKI or 2/PEREMPUAN");
      marital = rk_marital_parse (value[COL_STAT_KWN]);
      if (marital == RK_MARITAL_UNKNOWN)
        return field_error (error, line, position, COL_STAT_KWN,
                            "expected 1-4 or BELUM KAWIN, KAWIN, CERAI HIDUP, CERAI MATI");
      if (!all_digits (value[COL_KODE_KEL], length[COL_KODE_KEL], 10))
        return field_error (error, line, position, COL_KODE_KEL,
                            "a kelurahan code is 10 digits without dots");
      rk_date_format (&birth, birth_iso);
      rk_name_key (value[COL_NAMA_LGKP], key);
      add_words (words, key);

      if (incremental && stats.rows == INCREMENTAL_FTS_LIMIT)
        {
          /* A big file: stop maintaining the secondary indexes row by row
           * (random b-tree inserts); they are rebuilt sorted at the end,
           * inside the same transaction. */
          incremental = FALSE;
          if (!rk_intake_exec (db, "DROP INDEX resident_birth_date; DROP INDEX resident_no_kk; "
                               "DROP INDEX resident_name_key",
                               "drop indexes for the bulk import", error))
            return FALSE;
        }
      if (incremental && !fts_update (lookup, fts_delete, fts_insert, db, nik, key, error))
        return FALSE;

      {
        const char *text[N_TEXTS] = {
          value[COL_NO_KK], value[COL_NAMA_LGKP], value[COL_TMPT_LHR], value[COL_AGAMA],
          value[COL_JENIS_PKRJN], value[COL_ALAMAT], value[COL_NO_RT], value[COL_NO_RW],
          value[COL_KODE_KEL], birth_iso, key,
        };
        guint16 len[N_TEXTS] = {
          (guint16) length[COL_NO_KK], (guint16) length[COL_NAMA_LGKP],
          (guint16) length[COL_TMPT_LHR], (guint16) length[COL_AGAMA],
          (guint16) length[COL_JENIS_PKRJN], (guint16) length[COL_ALAMAT],
          (guint16) length[COL_NO_RT], (guint16) length[COL_NO_RW],
          (guint16) length[COL_KODE_KEL], 10, (guint16) strlen (key),
        };

        if (incremental)
          {
            if (!write_row (db, upsert, nik, text, len, sex, marital, stats.import_id, error))
              return FALSE;
          }
        else
          {
            /* Held back (fields are at most 4 KiB, so lengths fit) and
             * written sorted at the end. */
            PendingRow row = { nik, stats.rows, arena->len, (guint8) sex, (guint8) marital,
                               { 0 } };

            for (guint t = 0; t < N_TEXTS; t++)
              {
                row.len[t] = len[t];
                g_byte_array_append (arena, (const guint8 *) text[t], len[t]);
              }
            g_array_append_val (pending, row);
          }
      }
      stats.rows++;
      if ((stats.rows & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  if (!write_pending (db, upsert, pending, arena, stats.import_id, error))
    return FALSE;
  g_debug ("siak import: %" G_GUINT64_FORMAT " rows written in %.2f s", stats.rows,
           (g_get_monotonic_time () - t_start) / 1e6);
  if (!incremental &&
      !rk_intake_exec (db, "CREATE INDEX resident_birth_date ON resident (birth_date); "
                           "CREATE INDEX resident_no_kk ON resident (no_kk); "
                           "CREATE INDEX resident_name_key ON resident (name_key); "
                           "INSERT INTO resident_name (resident_name) VALUES ('rebuild')",
                       "rebuild the indexes", error))
    return FALSE;

  insert_word = rk_intake_prepare (db, "INSERT OR IGNORE INTO name_word (word) VALUES (?1)",
                                   error);
  if (insert_word == NULL)
    return FALSE;
  {
    GHashTableIter iter;
    gpointer word;

    g_hash_table_iter_init (&iter, words);
    while (g_hash_table_iter_next (&iter, &word, NULL))
      {
        sqlite3_reset (insert_word);
        sqlite3_bind_text (insert_word, 1, word, -1, SQLITE_STATIC);
        if (!rk_intake_step_done (db, insert_word, "record name words", error))
          return FALSE;
      }
  }
  g_debug ("siak import: name index ready at %.2f s", (g_get_monotonic_time () - t_start) / 1e6);
  after = count_residents (db, error);
  if (after < 0)
    return FALSE;
  stats.inserted = (guint64) (after - before);
  stats.updated = stats.rows - stats.inserted;
  stats.encoding = rk_csv_reader_get_encoding (reader);

  finished = rk_intake_now_iso ();
  finish_import = rk_intake_prepare (db,
                           "UPDATE siak_import SET finished_at = ?1, encoding = ?2, rows = ?3, "
                           "inserted = ?4, updated = ?5 WHERE id = ?6", error);
  if (finish_import == NULL)
    return FALSE;
  sqlite3_bind_text (finish_import, 1, finished, -1, SQLITE_STATIC);
  sqlite3_bind_text (finish_import, 2, rk_csv_encoding_to_string (stats.encoding), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (finish_import, 3, (gint64) stats.rows);
  sqlite3_bind_int64 (finish_import, 4, (gint64) stats.inserted);
  sqlite3_bind_int64 (finish_import, 5, (gint64) stats.updated);
  sqlite3_bind_int64 (finish_import, 6, stats.import_id);
  if (sqlite3_step (finish_import) != SQLITE_DONE)
    return rk_intake_set_sqlite_error (error, db, "record the import");
  if (!rk_intake_exec (db, "PRAGMA cache_size = -2000", "reset the cache size", error))
    return FALSE;
  *ret_stats = stats;
  return TRUE;
}
