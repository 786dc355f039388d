/* The spelling-normalised form of an Indonesian name that search matches
 * on, and the edit distance used to rank matches.
 *
 * Normalisation, per word: ASCII-fold and lower-case; old (Van Ophuijsen
 * and Soewandi) spellings to the 1972 ones: oe->u, dj->j, tj->c, ch->kh;
 * then the sounds writers confuse are merged: j/y (old j = new y), kh->h,
 * sy->s, ph->f, v->f, dh->d, th->t, q->k, z->j... is NOT merged (too
 * lossy); a final h after a vowel is dropped (Fatimah/Fatima); doubled
 * letters collapse (Muhammad/Muhamad). The key keeps the words apart with
 * one space ("nur hayati"); rk_name_key_join() removes them so that
 * "Nur Hayati" and "Nurhayati" agree when whole names are compared. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RK_NAME_KEY_MAX 128

/* Writes the key of @name (UTF-8) into @buf, NUL-terminated, truncated
 * to RK_NAME_KEY_MAX - 1 bytes. Returns its length. */
gsize rk_name_key (const char *name, char buf[RK_NAME_KEY_MAX]);

/* Copies @key without its spaces into @buf; returns the length. */
gsize rk_name_key_join (const char *key, char buf[RK_NAME_KEY_MAX]);

/* Edit distance (insert, delete, substitute, swap of neighbours) between
 * @query and the best-matching substring of @text when @substring is TRUE
 * (a query may name part of the full name), or the whole @text otherwise.
 * Returns a value > @max as soon as the distance is known to exceed @max. */
guint rk_name_distance (const char *query, gsize query_len,
                        const char *text, gsize text_len,
                        gboolean substring, guint max);

G_END_DECLS
