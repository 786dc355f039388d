/* Huffman tables for WSQ (the same canonical, length-limited codes as
 * JPEG: ITU-T T.81 Annex C for the codes, Annex K.2/K.3 for building a
 * table from frequencies). */
#include <math.h>
#include <string.h>

#include "wsq-private.h"

#define N_SYMBOLS 256
#define RESERVED N_SYMBOLS   /* extra symbol that keeps all-ones codes free */

void
wsq_huffman_build (WsqHuffmanTable *table, const uint32_t frequencies[256])
{
  uint32_t freq[N_SYMBOLS + 1];
  int code_size[N_SYMBOLS + 1] = { 0 };
  int others[N_SYMBOLS + 1];
  memcpy (freq, frequencies, sizeof (uint32_t) * N_SYMBOLS);
  freq[RESERVED] = 1;
  for (int i = 0; i <= N_SYMBOLS; i++)
    others[i] = -1;

  /* Merge the two least frequent trees until one is left; each merge
   * lengthens the codes of every symbol in both trees by one bit. */
  for (;;)
    {
      int v1 = -1, v2 = -1;
      for (int i = 0; i <= N_SYMBOLS; i++)
        if (freq[i] != 0 && (v1 < 0 || freq[i] <= freq[v1]))
          v1 = i;
      for (int i = 0; i <= N_SYMBOLS; i++)
        if (freq[i] != 0 && i != v1 && (v2 < 0 || freq[i] <= freq[v2]))
          v2 = i;
      if (v2 < 0)
        break;
      freq[v1] += freq[v2];
      freq[v2] = 0;
      for (code_size[v1]++; others[v1] >= 0; code_size[v1]++)
        v1 = others[v1];
      others[v1] = v2;
      for (code_size[v2]++; others[v2] >= 0; code_size[v2]++)
        v2 = others[v2];
    }

  int bits[40] = { 0 };
  for (int i = 0; i <= N_SYMBOLS; i++)
    if (code_size[i] > 0)
      bits[code_size[i] < 39 ? code_size[i] : 39]++;

  /* Limit code lengths to 16 bits (Annex K.3): move pairs of codes from
   * the longest length up while shortening a shorter code. */
  for (int i = 39; i > 16; i--)
    while (bits[i] > 0)
      {
        int j = i - 2;
        while (bits[j] == 0)
          j--;
        bits[i] -= 2;
        bits[i - 1]++;
        bits[j + 1] += 2;
        bits[j]--;
      }
  /* Drop the reserved code point (it is the longest code). */
  int longest = 16;
  while (longest > 0 && bits[longest] == 0)
    longest--;
  if (longest > 0)
    bits[longest]--;

  memset (table, 0, sizeof *table);
  for (int l = 1; l <= 16; l++)
    table->counts[l] = (uint8_t) bits[l];
  /* Symbols sorted by code length, then by value. */
  int n = 0;
  for (int l = 1; l <= 39; l++)
    for (int s = 0; s < N_SYMBOLS; s++)
      if (code_size[s] == l && n < 256)
        table->values[n++] = (uint8_t) s;
  table->n_values = n;
  table->defined = true;
}

void
wsq_huffman_codes (const WsqHuffmanTable *table, uint16_t codes[256],
                   uint8_t lengths[256])
{
  memset (lengths, 0, 256);
  memset (codes, 0, 256 * sizeof (uint16_t));
  unsigned code = 0;
  int k = 0;
  for (int l = 1; l <= 16; l++)
    {
      for (int i = 0; i < table->counts[l] && k < table->n_values; i++, k++)
        {
          codes[table->values[k]] = (uint16_t) code;
          lengths[table->values[k]] = (uint8_t) l;
          code++;
        }
      code <<= 1;
    }
}

double
wsq_scaled_value (uint32_t value, int exponent)
{
  double x = value;
  for (int i = 0; i < exponent; i++)
    x /= 10.0;
  return x;
}

void
wsq_scale (double x, uint32_t max_value, int *ret_exponent, uint32_t *ret_value)
{
  int exponent = 0;
  if (!(x > 0))
    {
      *ret_exponent = 0;
      *ret_value = 0;
      return;
    }
  /* Most significant digits that still fit the field. */
  while (exponent < 20 && x * 10.0 < (double) max_value)
    {
      x *= 10.0;
      exponent++;
    }
  double rounded = floor (x + 0.5);
  if (rounded > (double) max_value)
    rounded = (double) max_value;
  *ret_exponent = exponent;
  *ret_value = (uint32_t) rounded;
}
