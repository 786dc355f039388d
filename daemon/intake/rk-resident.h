/* Residents of the registry extract: lookup by NIK and the forgiving
 * search by name (and birth date). */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "rk-intake-types.h"

G_BEGIN_DECLS

typedef struct {
  char       nik[17];
  char       no_kk[17];
  char      *name;
  char      *birth_place;
  GDate      birth_date;
  RkSex      sex;
  RkMarital  marital;
  char      *religion;
  char      *occupation;
  char      *address;
  char      *rt;
  char      *rw;
  char       kode_kel[11];
} RkResident;

void        rk_resident_free (RkResident *resident);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkResident, rk_resident_free)

/* Returns the resident (transfer full) or NULL with error:
 * RK_INTAKE_ERROR_NOT_FOUND when the NIK is not in the extract,
 * RK_INTAKE_ERROR_INVALID when @nik is not 16 digits. */
RkResident *rk_resident_lookup (sqlite3 *db, const char *nik, GError **error);

/* The residents sharing @resident's family card (without @resident),
 * RkResident*, transfer full. */
GPtrArray  *rk_resident_family (sqlite3 *db, const RkResident *resident, GError **error);

typedef struct {
  RkResident *resident;
  guint       distance;   /* edits between the query and the name (keys) */
} RkResidentMatch;

void        rk_resident_match_free (RkResidentMatch *match);

#define RK_RESIDENT_SEARCH_MAX 50

/* Forgiving search over spelling-normalised names (rk-name-key.h).
 * Without @born: each query word is matched to the known name words
 * within 0 (up to 3 letters), 1 (up to 6) or 2 typos, or split in two
 * known words, or merged with its neighbour; names holding a match for
 * every word are candidates (a query may name part of a name). With
 * @born (may be NULL): everyone born that day, up to one typo per four
 * letters. Candidates are ranked by edits between the whole names, then
 * closeness of length. Returns up to @limit matches (RkResidentMatch*,
 * transfer full), best first; error RK_INTAKE_ERROR_INVALID when the
 * name has fewer than 3 letters. */
GPtrArray  *rk_resident_search (sqlite3 *db, const char *name, const GDate *born,
                                guint limit, GError **error);

G_END_DECLS
