/* afis: iris codes and their comparison.
 *
 * A code is AFIS_IRIS_CODE_COLUMNS angular columns of
 * AFIS_IRIS_CODE_COLUMN_BITS bits (radial bands x filter phase bits),
 * column after column, in 64-bit words; the mask says which bits are
 * valid (1) or noise (0). Rotating the eye by one column shifts the code
 * by AFIS_IRIS_CODE_COLUMN_BITS bits.
 *
 * Comparison is the masked fractional Hamming distance over the bits
 * both masks keep, normalised for that number of bits (Daugman:
 * HDnorm = 0.5 - (0.5 - HDraw) * sqrt(n / AFIS_IRIS_HD_TYPICAL_BITS)),
 * the smallest over rotations of -AFIS_IRIS_MAX_SHIFT..+MAX_SHIFT
 * columns (every other shift, then the best one's neighbours). 0 =
 * identical, about 0.45-0.5 for different eyes. */
#ifndef AFIS_IRIS_CODE_H
#define AFIS_IRIS_CODE_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFIS_IRIS_CODE_COLUMNS 128
#define AFIS_IRIS_CODE_COLUMN_BITS 16
#define AFIS_IRIS_CODE_BITS (AFIS_IRIS_CODE_COLUMNS * AFIS_IRIS_CODE_COLUMN_BITS)
#define AFIS_IRIS_CODE_WORDS (AFIS_IRIS_CODE_BITS / 64)
#define AFIS_IRIS_MAX_SHIFT 8
#define AFIS_IRIS_SHIFTS (2 * AFIS_IRIS_MAX_SHIFT + 1)
#define AFIS_IRIS_HD_TYPICAL_BITS 1200
/* Fewer bits than this in common: the comparison says 1.0 (no decision) */
#define AFIS_IRIS_MIN_COMPARED_BITS 256

typedef struct {
  uint64_t code[AFIS_IRIS_CODE_WORDS];
  uint64_t mask[AFIS_IRIS_CODE_WORDS];
  uint8_t quality;   /* overall ISO/IEC 29794-6 style quality, 0..100 */
  uint8_t eye;       /* 0 unknown, 1 right, 2 left (ISO 19794-6 values) */
} AfisIrisTemplate;

/* A template prepared as a probe: its code and mask rotated by every
 * shift, so that a comparison is straight word operations. No alignment
 * is required of either struct (the kernels use unaligned loads), so
 * malloc'd arrays of them are fine. */
typedef struct {
  uint64_t code[AFIS_IRIS_SHIFTS][AFIS_IRIS_CODE_WORDS];
  uint64_t mask[AFIS_IRIS_SHIFTS][AFIS_IRIS_CODE_WORDS];
} AfisIrisProbe;

/* Fills @ret_probe from @template. */
AfisStatus afis_iris_probe_prepare (const AfisIrisTemplate *template_,
                                    AfisIrisProbe *ret_probe)
  __attribute__ ((warn_unused_result));

/* Normalised Hamming distance of @probe against @gallery (best rotation);
 * 1.0 when too few bits are comparable. Never fails. */
double afis_iris_probe_compare (const AfisIrisProbe *probe,
                                const AfisIrisTemplate *gallery)
  __attribute__ ((warn_unused_result));

/* Same, also giving the best shift in columns (when not NULL). */
double afis_iris_probe_compare_shift (const AfisIrisProbe *probe,
                                      const AfisIrisTemplate *gallery,
                                      int *ret_shift)
  __attribute__ ((warn_unused_result));

/* One-to-one: prepares a probe from @a and compares it with @b. Stores the
 * distance in *@ret_distance. */
AfisStatus afis_iris_template_match (const AfisIrisTemplate *a,
                                     const AfisIrisTemplate *b,
                                     double *ret_distance)
  __attribute__ ((warn_unused_result));

/* Our template file ("RKIRIS", version 1): 16-byte header then code and
 * mask as little-endian words. */
#define AFIS_IRIS_TEMPLATE_SIZE (16 + 2 * 8 * AFIS_IRIS_CODE_WORDS)

/* Writes @template_ into @buffer (at least AFIS_IRIS_TEMPLATE_SIZE bytes)
 * and the size into *@ret_size. */
AfisStatus afis_iris_template_serialize (const AfisIrisTemplate *template_,
                                         uint8_t *buffer, size_t buffer_size,
                                         size_t *ret_size)
  __attribute__ ((warn_unused_result));

/* Parses @size bytes; AFIS_ERROR_MALFORMED_RECORD on anything unexpected. */
AfisStatus afis_iris_template_deserialize (const uint8_t *data, size_t size,
                                           AfisIrisTemplate *ret_template)
  __attribute__ ((warn_unused_result));

#ifdef __cplusplus
}
#endif

#endif
