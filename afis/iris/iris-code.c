/* afis: iris code rotation, comparison and our template file.
 *
 * Speed matters here (1:N over hundreds of thousands of eyes): a probe
 * keeps its code and mask pre-rotated for every shift, so a comparison
 * is AND/XOR/popcount over whole words with no bit shuffling. The
 * kernel is picked once at run time: AVX-512 VPOPCNTDQ, then the POPCNT
 * instruction, then portable C. */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "afis/afis-iris-code.h"
#include "iris-private.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define IRIS_X86 1
#include <immintrin.h>
#endif

/* sqrt (n / AFIS_IRIS_HD_TYPICAL_BITS) for every possible n */
static float scale_table[AFIS_IRIS_CODE_BITS + 1];
static pthread_once_t scale_once = PTHREAD_ONCE_INIT;

typedef double (*CompareFn) (const AfisIrisProbe *, const uint64_t *,
                             const uint64_t *, int *);
static CompareFn compare_fn;

static inline double
normalised (unsigned differing, unsigned compared)
{
  double raw;

  if (compared < AFIS_IRIS_MIN_COMPARED_BITS)
    return 1.0;
  raw = (double) differing / (double) compared;
  raw = 0.5 - (0.5 - raw) * scale_table[compared];
  /* more bits than typical stretch the distance away from 0.5: keep it
   * a fraction */
  return raw < 0 ? 0 : raw;
}

/* The shift search, shared by the kernels. Coarse: every other shift,
 * on the first half of the code (angles 0-180 degrees, the lower half of
 * the eye, which lids cover least). Fine: the full code at the best
 * coarse shift and its two neighbours. Neighbouring shifts differ by
 * less than the filters' width, so the best shift is not missed by more
 * than a column; 9 half and 3 full distances cost 7.5 full ones instead
 * of 17. When the lower half has too few usable bits to place the eye
 * (coarse distances all 1.0), every shift is computed in full. The
 * result is deterministic. */
#define HALF_WORDS (AFIS_IRIS_CODE_WORDS / 2)
#define SHIFT_SEARCH(distance_at)                                             \
  do                                                                          \
    {                                                                         \
      double best = 2.0;                                                      \
      int best_k = AFIS_IRIS_MAX_SHIFT;                                       \
      for (int k = 0; k < AFIS_IRIS_SHIFTS; k += 2)                           \
        {                                                                     \
          double h = distance_at (probe, k, code, mask, HALF_WORDS);          \
          if (h < best)                                                       \
            {                                                                 \
              best = h;                                                       \
              best_k = k;                                                     \
            }                                                                 \
        }                                                                     \
      int lo = best_k - 1, hi = best_k + 1;                                   \
      if (best >= 1.0)                                                        \
        lo = 0, hi = AFIS_IRIS_SHIFTS - 1;                                    \
      best = 2.0;                                                             \
      for (int k = lo; k <= hi; k++)                                          \
        {                                                                     \
          if (k < 0 || k >= AFIS_IRIS_SHIFTS)                                 \
            continue;                                                         \
          double h = distance_at (probe, k, code, mask, AFIS_IRIS_CODE_WORDS); \
          if (h < best)                                                       \
            {                                                                 \
              best = h;                                                       \
              best_k = k;                                                     \
            }                                                                 \
        }                                                                     \
      if (ret_shift != NULL)                                                  \
        *ret_shift = best_k - AFIS_IRIS_MAX_SHIFT;                            \
      return best > 1.0 ? 1.0 : best;                                         \
    }                                                                         \
  while (0)

static inline double
distance_portable (const AfisIrisProbe *probe, int k, const uint64_t *code,
                   const uint64_t *mask, int words)
{
  unsigned n = 0, d = 0;
  for (int w = 0; w < words; w++)
    {
      uint64_t m = probe->mask[k][w] & mask[w];
      n += (unsigned) __builtin_popcountll (m);
      d += (unsigned) __builtin_popcountll ((probe->code[k][w] ^ code[w]) & m);
    }
  return normalised (d, n);
}

static double
compare_portable (const AfisIrisProbe *probe, const uint64_t *code,
                  const uint64_t *mask, int *ret_shift)
{
  SHIFT_SEARCH (distance_portable);
}

#ifdef IRIS_X86
__attribute__ ((target ("popcnt"))) static inline double
distance_popcnt (const AfisIrisProbe *probe, int k, const uint64_t *code,
                 const uint64_t *mask, int words)
{
  unsigned n = 0, d = 0;
  for (int w = 0; w < words; w++)
    {
      uint64_t m = probe->mask[k][w] & mask[w];
      n += (unsigned) __builtin_popcountll (m);
      d += (unsigned) __builtin_popcountll ((probe->code[k][w] ^ code[w]) & m);
    }
  return normalised (d, n);
}

__attribute__ ((target ("popcnt"))) static double
compare_popcnt (const AfisIrisProbe *probe, const uint64_t *code,
                const uint64_t *mask, int *ret_shift)
{
  SHIFT_SEARCH (distance_popcnt);
}

#if AFIS_IRIS_CODE_WORDS % 16 == 0
__attribute__ ((target ("avx512f,avx512vpopcntdq"))) static inline double
distance_avx512 (const AfisIrisProbe *probe, int k, const uint64_t *code,
                 const uint64_t *mask, int words)
{
  __m512i n = _mm512_setzero_si512 ();
  __m512i d = _mm512_setzero_si512 ();
  for (int v = 0; v < words / 8; v++)
    {
      __m512i gc = _mm512_loadu_si512 ((const void *) &code[8 * v]);
      __m512i gm = _mm512_loadu_si512 ((const void *) &mask[8 * v]);
      __m512i pc = _mm512_loadu_si512 ((const void *) &probe->code[k][8 * v]);
      __m512i pm = _mm512_loadu_si512 ((const void *) &probe->mask[k][8 * v]);
      __m512i m = _mm512_and_si512 (pm, gm);
      __m512i x = _mm512_and_si512 (_mm512_xor_si512 (pc, gc), m);
      n = _mm512_add_epi64 (n, _mm512_popcnt_epi64 (m));
      d = _mm512_add_epi64 (d, _mm512_popcnt_epi64 (x));
    }
  return normalised ((unsigned) _mm512_reduce_add_epi64 (d),
                     (unsigned) _mm512_reduce_add_epi64 (n));
}

__attribute__ ((target ("avx512f,avx512vpopcntdq"))) static double
compare_avx512 (const AfisIrisProbe *probe, const uint64_t *code,
                const uint64_t *mask, int *ret_shift)
{
  SHIFT_SEARCH (distance_avx512);
}
#endif
#endif

static void
init_once (void)
{
  for (int n = 0; n <= AFIS_IRIS_CODE_BITS; n++)
    scale_table[n] = (float) sqrt ((double) n / AFIS_IRIS_HD_TYPICAL_BITS);
  compare_fn = compare_portable;
#ifdef IRIS_X86
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("popcnt"))
    compare_fn = compare_popcnt;
#if AFIS_IRIS_CODE_WORDS % 16 == 0
  if (__builtin_cpu_supports ("avx512f")
      && __builtin_cpu_supports ("avx512vpopcntdq"))
    compare_fn = compare_avx512;
#endif
#endif
}

/* Column @c of a code (AFIS_IRIS_CODE_COLUMN_BITS == 16: four per word). */
static inline uint16_t
column_get (const uint64_t *words, int c)
{
  return (uint16_t) (words[c / 4] >> (16 * (c % 4)));
}

static inline void
column_set (uint64_t *words, int c, uint16_t value)
{
  words[c / 4] |= (uint64_t) value << (16 * (c % 4));
}

AfisStatus
afis_iris_probe_prepare (const AfisIrisTemplate *template_,
                         AfisIrisProbe *ret_probe)
{
  _Static_assert (AFIS_IRIS_CODE_COLUMN_BITS == 16, "column layout");

  if (template_ == NULL || ret_probe == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  pthread_once (&scale_once, init_once);
  memset (ret_probe, 0, sizeof *ret_probe);
  for (int k = 0; k < AFIS_IRIS_SHIFTS; k++)
    {
      int s = k - AFIS_IRIS_MAX_SHIFT;
      for (int c = 0; c < AFIS_IRIS_CODE_COLUMNS; c++)
        {
          int from = ((c + s) % AFIS_IRIS_CODE_COLUMNS + AFIS_IRIS_CODE_COLUMNS)
                     % AFIS_IRIS_CODE_COLUMNS;
          column_set (ret_probe->code[k], c, column_get (template_->code, from));
          column_set (ret_probe->mask[k], c, column_get (template_->mask, from));
        }
    }
  return AFIS_OK;
}

double
afis_iris_probe_compare_shift (const AfisIrisProbe *probe,
                               const AfisIrisTemplate *gallery, int *ret_shift)
{
  if (probe == NULL || gallery == NULL)
    return 1.0;
  pthread_once (&scale_once, init_once);
  return compare_fn (probe, gallery->code, gallery->mask, ret_shift);
}

double
iris_probe_compare_words (const AfisIrisProbe *probe, const uint64_t *code,
                          const uint64_t *mask)
{
  pthread_once (&scale_once, init_once);
  return compare_fn (probe, code, mask, NULL);
}

double
afis_iris_probe_compare (const AfisIrisProbe *probe,
                         const AfisIrisTemplate *gallery)
{
  return afis_iris_probe_compare_shift (probe, gallery, NULL);
}

AfisStatus
afis_iris_template_match (const AfisIrisTemplate *a, const AfisIrisTemplate *b,
                          double *ret_distance)
{
  static _Thread_local AfisIrisProbe probe;
  AfisStatus status;

  if (a == NULL || b == NULL || ret_distance == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  status = afis_iris_probe_prepare (a, &probe);
  if (status != AFIS_OK)
    return status;
  *ret_distance = afis_iris_probe_compare (&probe, b);
  return AFIS_OK;
}

static void
put_u64 (uint8_t *p, uint64_t v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static uint64_t
get_u64 (const uint8_t *p)
{
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v |= (uint64_t) p[i] << (8 * i);
  return v;
}

/* Header: "RKIRIS" 1(version) columns/4(u8) column_bits(u8) quality eye
 * then 5 reserved zero bytes. */
static const uint8_t magic[6] = { 'R', 'K', 'I', 'R', 'I', 'S' };

AfisStatus
afis_iris_template_serialize (const AfisIrisTemplate *template_,
                              uint8_t *buffer, size_t buffer_size,
                              size_t *ret_size)
{
  uint8_t *p;

  if (template_ == NULL || buffer == NULL || ret_size == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (buffer_size < AFIS_IRIS_TEMPLATE_SIZE)
    return AFIS_ERROR_BUFFER_TOO_SMALL;
  memset (buffer, 0, 16);
  memcpy (buffer, magic, sizeof magic);
  buffer[6] = 1;
  buffer[7] = AFIS_IRIS_CODE_COLUMNS / 4;
  buffer[8] = AFIS_IRIS_CODE_COLUMN_BITS;
  buffer[9] = template_->quality;
  buffer[10] = template_->eye;
  p = buffer + 16;
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++, p += 8)
    put_u64 (p, template_->code[w]);
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++, p += 8)
    put_u64 (p, template_->mask[w]);
  *ret_size = AFIS_IRIS_TEMPLATE_SIZE;
  return AFIS_OK;
}

AfisStatus
afis_iris_template_deserialize (const uint8_t *data, size_t size,
                                AfisIrisTemplate *ret_template)
{
  AfisIrisTemplate t;
  const uint8_t *p;

  if (data == NULL || ret_template == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (size != AFIS_IRIS_TEMPLATE_SIZE || memcmp (data, magic, sizeof magic) != 0)
    return AFIS_ERROR_MALFORMED_RECORD;
  if (data[6] != 1)
    return AFIS_ERROR_UNSUPPORTED;
  if (data[7] != AFIS_IRIS_CODE_COLUMNS / 4 || data[8] != AFIS_IRIS_CODE_COLUMN_BITS
      || data[9] > 100 || data[10] > 2)
    return AFIS_ERROR_MALFORMED_RECORD;
  for (int i = 11; i < 16; i++)
    if (data[i] != 0)
      return AFIS_ERROR_MALFORMED_RECORD;
  memset (&t, 0, sizeof t);
  t.quality = data[9];
  t.eye = data[10];
  p = data + 16;
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++, p += 8)
    t.code[w] = get_u64 (p);
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++, p += 8)
    t.mask[w] = get_u64 (p);
  /* a code bit under a zero mask bit carries no information: keep it 0
   * so equal templates serialise equally */
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++)
    if ((t.code[w] & ~t.mask[w]) != 0)
      return AFIS_ERROR_MALFORMED_RECORD;
  *ret_template = t;
  return AFIS_OK;
}
