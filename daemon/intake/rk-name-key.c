#include "rk-name-key.h"

#include <string.h>

static gboolean
is_vowel (char c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Folds one word (ASCII lower-case letters) in place; returns its length. */
static gsize
fold_word (char *w, gsize n)
{
  char out[RK_NAME_KEY_MAX];
  gsize o = 0;

  for (gsize i = 0; i < n && o < sizeof out - 1; i++)
    {
      char c = w[i], d = i + 1 < n ? w[i + 1] : '\0';

      if (c == 'o' && d == 'e')
        {
          out[o++] = 'u';
          i++;
        }
      else if ((c == 'd' || c == 't') && d == 'j')
        {
          /* dj -> j (merged with y below), tj -> c */
          out[o++] = c == 'd' ? 'y' : 'c';
          i++;
        }
      else if ((c == 'c' || c == 'k') && d == 'h')
        {
          out[o++] = 'h';    /* ch (old) = kh, and kh is written h too */
          i++;
        }
      else if ((c == 'p' && d == 'h') || c == 'v')
        {
          out[o++] = 'f';
          i += c == 'p';
        }
      else if ((c == 'd' || c == 't') && d == 'h')
        {
          out[o++] = c;
          i++;
        }
      else if (c == 's' && (d == 'j' || d == 'y'))
        {
          out[o++] = 's';
          i++;
        }
      else if (c == 'j')
        out[o++] = 'y';
      else if (c == 'q')
        out[o++] = 'k';
      else
        out[o++] = c;
    }
  /* Final h after a vowel is often dropped in writing. */
  if (o >= 2 && out[o - 1] == 'h' && is_vowel (out[o - 2]))
    o--;
  /* Collapse doubled letters. */
  n = 0;
  for (gsize i = 0; i < o; i++)
    if (n == 0 || w[n - 1] != out[i])
      w[n++] = out[i];
  return n;
}

gsize
rk_name_key (const char *name, char buf[RK_NAME_KEY_MAX])
{
  char word[RK_NAME_KEY_MAX];
  gsize word_len = 0, len = 0;
  const char *p = name;

  for (;;)
    {
      gunichar c;
      char letter = '\0';

      if (*p == '\0')
        c = 0;
      else if ((guchar) *p < 0x80)
        c = (guchar) *p++;
      else
        {
          c = g_utf8_get_char_validated (p, -1);
          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              p++;
              continue;
            }
          p = g_utf8_next_char (p);
          /* Base letter of an accented one (é -> e). */
          {
            gunichar decomposed[4];
            gsize n = g_unichar_fully_decompose (c, FALSE, decomposed, 4);

            if (n > 0)
              c = decomposed[0];
          }
        }
      if (c < 0x80 && g_ascii_isalpha ((char) c))
        letter = g_ascii_tolower ((char) c);
      if (letter != '\0')
        {
          if (word_len < sizeof word - 1)
            word[word_len++] = letter;
          continue;
        }
      /* Apostrophes and hyphens join (Ma'ruf, Nur-Hayati); anything else
       * ends a word. */
      if (c == '\'' || c == '-' || c == 0x2019)
        continue;
      if (word_len > 0)
        {
          word_len = fold_word (word, word_len);
          if (len > 0 && len < RK_NAME_KEY_MAX - 1)
            buf[len++] = ' ';
          for (gsize i = 0; i < word_len && len < RK_NAME_KEY_MAX - 1; i++)
            buf[len++] = word[i];
          word_len = 0;
        }
      if (c == 0)
        break;
    }
  buf[len] = '\0';
  return len;
}

gsize
rk_name_key_join (const char *key, char buf[RK_NAME_KEY_MAX])
{
  gsize len = 0;

  for (const char *p = key; *p != '\0' && len < RK_NAME_KEY_MAX - 1; p++)
    if (*p != ' ')
      buf[len++] = *p;
  buf[len] = '\0';
  return len;
}

guint
rk_name_distance (const char *query, gsize query_len, const char *text, gsize text_len,
                  gboolean substring, guint max)
{
  /* Optimal string alignment distance, three rows; with @substring the
   * first row is all zeros and the answer is the minimum of the last
   * row (free leading and trailing text). */
  guint rows[3][RK_NAME_KEY_MAX + 1];
  guint *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

  if (query_len > RK_NAME_KEY_MAX - 1)
    query_len = RK_NAME_KEY_MAX - 1;
  if (text_len > RK_NAME_KEY_MAX - 1)
    text_len = RK_NAME_KEY_MAX - 1;
  /* Rows run over the text, columns over the query: row 0 = no text. */
  for (gsize j = 0; j <= query_len; j++)
    prev[j] = (guint) j;
  {
    guint best = substring ? prev[query_len] : G_MAXUINT;

    for (gsize i = 1; i <= text_len; i++)
      {
        guint row_min;

        cur[0] = substring ? 0 : (guint) i;
        row_min = cur[0];
        for (gsize j = 1; j <= query_len; j++)
          {
            guint cost = text[i - 1] == query[j - 1] ? 0 : 1;
            guint v = prev[j - 1] + cost;

            if (prev[j] + 1 < v)
              v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
              v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && text[i - 1] == query[j - 2] && text[i - 2] == query[j - 1] &&
                prev2[j - 2] + 1 < v)
              v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < row_min)
              row_min = v;
          }
        if (substring && cur[query_len] < best)
          best = cur[query_len];
        /* Whole-text mode: once every cell exceeds max, it stays so. */
        if (!substring && row_min > max)
          return max + 1;
        {
          guint *t = prev2;

          prev2 = prev;
          prev = cur;
          cur = t;
        }
      }
    return substring ? best : prev[query_len];
  }
}
