#include "rk-resident.h"

#include <string.h>

#include "rk-intake-error.h"
#include "rk-name-key.h"
#include "rk-nik.h"

/* A search stops collecting candidates here: with names this common the
 * query is too vague to rank usefully anyway. */
#define MAX_CANDIDATES 800
/* Names holding every query word exactly, when they are many. */
#define EXACT_CANDIDATES 300

#define RESIDENT_COLUMNS \
  "nik, no_kk, name, birth_place, birth_date, sex, marital, religion, occupation, " \
  "address, rt, rw, kode_kel"

void
rk_resident_free (RkResident *resident)
{
  if (resident == NULL)
    return;
  g_free (resident->name);
  g_free (resident->birth_place);
  g_free (resident->religion);
  g_free (resident->occupation);
  g_free (resident->address);
  g_free (resident->rt);
  g_free (resident->rw);
  g_free (resident);
}

void
rk_resident_match_free (RkResidentMatch *match)
{
  if (match == NULL)
    return;
  rk_resident_free (match->resident);
  g_free (match);
}

static char *
column_dup (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static RkResident *
resident_from_row (sqlite3_stmt *stmt)
{
  RkResident *resident = g_new0 (RkResident, 1);

  g_snprintf (resident->nik, sizeof resident->nik, "%016" G_GINT64_FORMAT,
              (gint64) sqlite3_column_int64 (stmt, 0));
  g_strlcpy (resident->no_kk, (const char *) sqlite3_column_text (stmt, 1),
             sizeof resident->no_kk);
  resident->name = column_dup (stmt, 2);
  resident->birth_place = column_dup (stmt, 3);
  g_date_clear (&resident->birth_date, 1);
  rk_date_parse ((const char *) sqlite3_column_text (stmt, 4), &resident->birth_date);
  resident->sex = (RkSex) sqlite3_column_int (stmt, 5);
  resident->marital = (RkMarital) sqlite3_column_int (stmt, 6);
  resident->religion = column_dup (stmt, 7);
  resident->occupation = column_dup (stmt, 8);
  resident->address = column_dup (stmt, 9);
  resident->rt = column_dup (stmt, 10);
  resident->rw = column_dup (stmt, 11);
  g_strlcpy (resident->kode_kel, (const char *) sqlite3_column_text (stmt, 12),
             sizeof resident->kode_kel);
  return resident;
}

static gboolean
parse_nik (const char *nik, gint64 *ret, GError **error)
{
  gboolean ok = nik != NULL && strlen (nik) == RK_NIK_LENGTH && nik[0] != '0';

  for (const char *p = nik; ok && *p; p++)
    ok = g_ascii_isdigit (*p);
  if (!ok)
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                           "a NIK is 16 digits (not starting with 0)");
      return FALSE;
    }
  *ret = g_ascii_strtoll (nik, NULL, 10);
  return TRUE;
}

RkResident *
rk_resident_lookup (sqlite3 *db, const char *nik, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  gint64 value;
  int rc;

  if (!parse_nik (nik, &value, error))
    return NULL;
  stmt = rk_intake_prepare (db, "SELECT " RESIDENT_COLUMNS " FROM resident WHERE nik = ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_NOT_FOUND,
                           "no resident with this NIK in the station's registry extract");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      rk_intake_set_sqlite_error (error, db, "look up resident");
      return NULL;
    }
  return resident_from_row (stmt);
}

GPtrArray *
rk_resident_family (sqlite3 *db, const RkResident *resident, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autoptr(GPtrArray) family = g_ptr_array_new_with_free_func ((GDestroyNotify) rk_resident_free);
  int rc;

  stmt = rk_intake_prepare (db, "SELECT " RESIDENT_COLUMNS " FROM resident "
                                "WHERE no_kk = ?1 AND nik != ?2 ORDER BY birth_date", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, resident->no_kk, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_ascii_strtoll (resident->nik, NULL, 10));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (family, resident_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      rk_intake_set_sqlite_error (error, db, "read family");
      return NULL;
    }
  return g_steal_pointer (&family);
}

typedef struct {
  gint64 nik;
  guint  distance;
  guint  length_gap;
} Candidate;

static gint
candidate_compare (gconstpointer a, gconstpointer b)
{
  const Candidate *x = a, *y = b;

  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  if (x->length_gap != y->length_gap)
    return x->length_gap < y->length_gap ? -1 : 1;
  return x->nik < y->nik ? -1 : x->nik > y->nik;
}

static gint
nik_compare (gconstpointer a, gconstpointer b)
{
  const Candidate *x = a, *y = b;

  return x->nik < y->nik ? -1 : x->nik > y->nik;
}

/* Scores every row of @stmt (nik, name_key) against the joined query
 * key and keeps those within @max edits (all when @max is G_MAXUINT). */
static gboolean
collect (sqlite3 *db, sqlite3_stmt *stmt, const char *joined, gsize joined_len, guint max,
         const char *skip_key, guint cap, GArray *found, GError **error)
{
  int rc;
  guint n = 0;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && n++ < cap)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 1);
      char text_joined[RK_NAME_KEY_MAX];
      gsize text_len;
      Candidate c;

      /* @skip_key: whole-name matches, already collected. */
      if (text == NULL || (skip_key != NULL && strcmp (text, skip_key) == 0))
        continue;
      text_len = rk_name_key_join (text, text_joined);
      c.nik = sqlite3_column_int64 (stmt, 0);
      c.distance = rk_name_distance (joined, joined_len, text_joined, text_len, TRUE,
                                     max == G_MAXUINT ? RK_NAME_KEY_MAX : max);
      if (max != G_MAXUINT && c.distance > max)
        continue;
      c.length_gap = (guint) (text_len > joined_len ? text_len - joined_len
                                                    : joined_len - text_len);
      g_array_append_val (found, c);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return rk_intake_set_sqlite_error (error, db, "search residents");
  return TRUE;
}

/* Typos forgiven in one word of @len letters. */
static guint
word_allowance (gsize len)
{
  return len <= 3 ? 0 : len <= 6 ? 1 : 2;
}

/* Appends to @group the vocabulary words within reach of @word, as an
 * FTS5 OR list; returns how many were added. Words hold only a-z, so
 * quoting them is safe. */
static guint
close_words (GPtrArray *vocabulary, const char *word, GString *group)
{
  gsize len = strlen (word);
  guint allowed = word_allowance (len), added = 0;

  for (guint i = 0; i < vocabulary->len; i++)
    {
      const char *candidate = vocabulary->pdata[i];
      gsize candidate_len = strlen (candidate);

      if (candidate_len + allowed < len || len + allowed < candidate_len)
        continue;
      if (rk_name_distance (word, len, candidate, candidate_len, FALSE, allowed) > allowed)
        continue;
      g_string_append_printf (group, "%s\"%s\"", added > 0 ? " OR " : "", candidate);
      added++;
    }
  return added;
}

/* A word typed without its space ("nurhayati" for "nur hayati"): the
 * splits into two known words, as (a AND b) alternatives. */
static guint
split_words (GHashTable *known, const char *word, GString *group, guint added)
{
  gsize len = strlen (word);

  for (gsize cut = 2; cut + 2 <= len; cut++)
    {
      g_autofree char *left = g_strndup (word, cut);

      if (g_hash_table_contains (known, left) && g_hash_table_contains (known, word + cut))
        {
          g_string_append_printf (group, "%s(\"%s\" AND \"%s\")", added > 0 ? " OR " : "",
                                  left, word + cut);
          added++;
        }
    }
  return added;
}

/* The FTS5 query naming @key's words exactly, or NULL when one of them
 * is no known word (then only the fuzzy query can match). */
static char *
exact_query (GHashTable *known, char **words)
{
  g_autoptr(GString) query = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (!g_hash_table_contains (known, words[i]))
        return NULL;
      g_string_append_printf (query, "%s\"%s\"", query->len > 0 ? " AND " : "", words[i]);
    }
  return query->len > 0 ? g_string_free (g_steal_pointer (&query), FALSE) : NULL;
}

/* Builds the FTS5 query for @key's words: every word (or a close one)
 * must be in the name; a word may also be matched split in two, and two
 * neighbours may be matched as one word ("nur hayati" for "nurhayati").
 * Returns NULL when no word of the query resembles any known word. */
static char *
words_query (sqlite3 *db, const char *key, char **ret_exact, GError **error)
{
  g_autoptr(RkIntakeStmt) stmt = NULL;
  g_autoptr(GPtrArray) vocabulary = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) words = g_strsplit (key, " ", -1);
  g_autoptr(GString) query = g_string_new (NULL);
  guint n_words = g_strv_length (words);
  int rc;

  stmt = rk_intake_prepare (db, "SELECT word FROM name_word", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char *word = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

      g_ptr_array_add (vocabulary, word);
      g_hash_table_add (known, word);
    }
  if (rc != SQLITE_DONE)
    {
      rk_intake_set_sqlite_error (error, db, "read name words");
      return NULL;
    }

  *ret_exact = exact_query (known, words);
  for (guint i = 0; i < n_words; i++)
    {
      g_autoptr(GString) group = g_string_new (NULL);
      guint added = close_words (vocabulary, words[i], group);

      added = split_words (known, words[i], group, added);
      if (i + 1 < n_words)
        {
          g_autofree char *merged = g_strconcat (words[i], words[i + 1], NULL);
          g_autoptr(GString) merged_group = g_string_new (NULL);
          g_autoptr(GString) next_group = g_string_new (NULL);

          if (close_words (vocabulary, merged, merged_group) > 0)
            {
              guint next_added = close_words (vocabulary, words[i + 1], next_group);

              next_added = split_words (known, words[i + 1], next_group, next_added);
              /* (this AND next) OR merged, consuming both words. */
              g_string_append_printf (query, "%s(", query->len > 0 ? " AND " : "");
              if (added > 0 && next_added > 0)
                g_string_append_printf (query, "((%s) AND (%s)) OR ", group->str,
                                        next_group->str);
              g_string_append_printf (query, "%s)", merged_group->str);
              i++;
              continue;
            }
        }
      if (added == 0)
        continue;   /* nothing like it: leave the word out */
      g_string_append_printf (query, "%s(%s)", query->len > 0 ? " AND " : "", group->str);
    }
  if (query->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&query), FALSE);
}

GPtrArray *
rk_resident_search (sqlite3 *db, const char *name, const GDate *born, guint limit,
                    GError **error)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GPtrArray) matches =
    g_ptr_array_new_with_free_func ((GDestroyNotify) rk_resident_match_free);
  g_autoptr(RkIntakeStmt) fetch = NULL;
  char key[RK_NAME_KEY_MAX];
  char joined[RK_NAME_KEY_MAX];
  gsize joined_len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  rk_name_key (name != NULL ? name : "", key);
  joined_len = rk_name_key_join (key, joined);
  if (joined_len < 3)
    {
      g_set_error_literal (error, RK_INTAKE_ERROR, RK_INTAKE_ERROR_INVALID,
                           "give at least three letters of the name");
      return NULL;
    }
  if (limit == 0 || limit > RK_RESIDENT_SEARCH_MAX)
    limit = RK_RESIDENT_SEARCH_MAX;

  if (born != NULL)
    {
      g_autoptr(RkIntakeStmt) stmt = NULL;
      char iso[11];
      /* A birth date narrows the field to a few dozen people: score them
       * all, allowing a typo per four letters. */
      guint max = 1 + (guint) joined_len / 4;

      rk_date_format (born, iso);
      stmt = rk_intake_prepare (db, "SELECT nik, name_key FROM resident WHERE birth_date = ?1",
                                error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, iso, -1, SQLITE_STATIC);
      if (!collect (db, stmt, joined, joined_len, max, NULL, MAX_CANDIDATES, found, error))
        return NULL;
    }
  else
    {
      g_autoptr(RkIntakeStmt) stmt = NULL;
      g_autofree char *query = NULL;
      g_autofree char *exact = NULL;
      g_autoptr(GError) local_error = NULL;

      query = words_query (db, key, &exact, &local_error);
      if (query == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          return g_steal_pointer (&matches);   /* no word like any known name */
        }
      stmt = rk_intake_prepare (db, "SELECT rowid, name_key FROM resident_name "
                                    "WHERE resident_name MATCH ?1", error);
      if (stmt == NULL)
        return NULL;
      g_autoptr(RkIntakeStmt) whole = rk_intake_prepare (db, "SELECT nik, name_key FROM "
                                                             "resident WHERE name_key = ?1",
                                                         error);

      /* People whose whole name is the query, through the index. */
      if (whole == NULL)
        return NULL;
      sqlite3_bind_text (whole, 1, key, -1, SQLITE_STATIC);
      if (!collect (db, whole, joined, joined_len, G_MAXUINT, NULL, MAX_CANDIDATES, found,
                    error))
        return NULL;
      /* Then the words as typed inside longer names: when they already
       * name enough people (a common name spelt right), a sample is as
       * good as all, and the wider query would only add worse matches. */
      if (exact != NULL && found->len < limit)
        {
          sqlite3_bind_text (stmt, 1, exact, -1, SQLITE_STATIC);
          if (!collect (db, stmt, joined, joined_len, G_MAXUINT, key, EXACT_CANDIDATES, found,
                        error))
            return NULL;
          sqlite3_reset (stmt);
        }
      if (found->len < limit)
        {
          sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
          if (!collect (db, stmt, joined, joined_len, G_MAXUINT, key, MAX_CANDIDATES, found,
                        error))
            return NULL;
        }
    }

  /* The phases overlap: keep each person once. */
  g_array_sort (found, nik_compare);
  for (guint i = 1; i < found->len;)
    if (g_array_index (found, Candidate, i).nik == g_array_index (found, Candidate, i - 1).nik)
      g_array_remove_index (found, i);
    else
      i++;
  g_array_sort (found, candidate_compare);
  fetch = rk_intake_prepare (db, "SELECT " RESIDENT_COLUMNS " FROM resident WHERE nik = ?1",
                             error);
  if (fetch == NULL)
    return NULL;
  for (guint i = 0; i < found->len && matches->len < limit; i++)
    {
      Candidate *c = &g_array_index (found, Candidate, i);
      RkResidentMatch *match;

      sqlite3_reset (fetch);
      sqlite3_bind_int64 (fetch, 1, c->nik);
      if (sqlite3_step (fetch) != SQLITE_ROW)
        continue;
      match = g_new0 (RkResidentMatch, 1);
      match->resident = resident_from_row (fetch);
      match->distance = c->distance;
      g_ptr_array_add (matches, match);
    }
  return g_steal_pointer (&matches);
}
