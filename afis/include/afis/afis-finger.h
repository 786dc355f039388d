/* afis: fingerprint feature extraction and 1:1 matching.
 *
 * Coordinates are pixels of the image resampled to 500 ppi, origin at the
 * top-left, y growing downwards. Angles are in "angle units" of 1/256 turn
 * (the ISO/IEC 19794-2 unit, 1.40625 degrees), measured counter-clockwise
 * from the x axis as a person sees the image (ISO convention). A ridge
 * ending points away from its ridge; a bifurcation points into its single
 * stem, so an ending and the bifurcation of the valley beside it agree. */
#ifndef AFIS_FINGER_H
#define AFIS_FINGER_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define AFIS_WARN_UNUSED __attribute__ ((warn_unused_result))
#else
#define AFIS_WARN_UNUSED
#endif

/* ISO/IEC 19794-2 allows at most 255 minutiae per view. */
#define AFIS_FINGER_MAX_MINUTIAE 255
/* Images are refused above this side, both at their own resolution and
 * once resampled to 500 ppi. */
#define AFIS_FINGER_MAX_SIDE 4096
/* ... and below this side once resampled to 500 ppi. */
#define AFIS_FINGER_MIN_SIDE 64
#define AFIS_FINGER_PPI 500

typedef enum {
  AFIS_MINUTIA_OTHER = 0,
  AFIS_MINUTIA_ENDING = 1,
  AFIS_MINUTIA_BIFURCATION = 2,
} AfisMinutiaType;

typedef struct {
  uint16_t x;      /* pixels at 500 ppi */
  uint16_t y;
  uint8_t angle;   /* 1/256 turn, counter-clockwise (ISO) */
  uint8_t type;    /* AfisMinutiaType */
  uint8_t quality; /* 0..100, 0 = not reported */
} AfisMinutia;

typedef struct {
  uint16_t width;            /* image size at 500 ppi */
  uint16_t height;
  uint8_t quality;           /* 0..100, see afis_finger_extract() */
  uint8_t position;          /* ISO finger position code, 0 = unknown */
  uint16_t count;            /* number of minutiae */
  AfisMinutia minutiae[AFIS_FINGER_MAX_MINUTIAE];
} AfisFingerprint;

/* Extracts minutiae and a quality score from an 8-bit grayscale image
 * (dark ridges on a light background, as scanners deliver them) of
 * @width x @height pixels with rows @stride bytes apart, scanned at @ppi
 * pixels per inch (resampled to 500 ppi internally). Fills @ret_print on
 * success. Returns AFIS_ERROR_UNUSABLE_IMAGE when no finger area is found
 * or too few minutiae survive; @ret_print is then untouched.
 *
 * The quality (0..100) grows with the expected match performance: it
 * combines the ridge-flow clarity of the foreground, its area and the
 * number of reliable minutiae. Below 30 a retry is advisable. */
AfisStatus afis_finger_extract (const uint8_t *pixels, int width, int height,
                                size_t stride, int ppi,
                                AfisFingerprint *ret_print) AFIS_WARN_UNUSED;

/* The compact search template: a fixed-size (~650 bytes), self-contained
 * structure derived from an AfisFingerprint, holding its best minutiae and
 * a binary summary of their triplet geometry for the fast first stage of 1:N
 * search. Plain data (memcpy-able, position independent). */
#define AFIS_SEARCH_MAX_MINUTIAE 64
#define AFIS_SEARCH_FILTER_WORDS 32 /* 2048 bits */

typedef struct {
  uint16_t x;
  uint16_t y;
  uint8_t angle; /* 1/256 turn, image convention (clockwise on screen) */
  uint8_t type;
} AfisSearchMinutia;

typedef struct {
  uint8_t count;        /* minutiae used */
  uint8_t quality;      /* of the source print */
  uint16_t reserved;
  uint32_t filter_bits; /* bits set in filter */
  uint64_t filter[AFIS_SEARCH_FILTER_WORDS];
  AfisSearchMinutia minutiae[AFIS_SEARCH_MAX_MINUTIAE];
} AfisSearchTemplate;

/* Builds the search template of @print into @ret_template. Never fails on
 * a valid print (a print without minutiae gives an empty template that
 * matches nothing). */
AfisStatus afis_search_template_build (const AfisFingerprint *print,
                                       AfisSearchTemplate *ret_template) AFIS_WARN_UNUSED;

/* Similarity of two search templates in 0..AFIS_SCORE_MAX; symmetric in
 * expectation, higher is more similar. Thresholds for a false match rate,
 * from the 11,520 cross-finger impostor pairs of FVC2002 DB1-DB4 B (see
 * docs/afis.md): 1/1,000 is measured (12th highest impostor score),
 * 1/10,000 sits just above the highest impostor seen, 1/100,000 is an
 * extrapolation of the tail and needs a larger impostor set to confirm. */
#define AFIS_SCORE_MAX 1000
#define AFIS_THRESHOLD_FMR_1000 82
#define AFIS_THRESHOLD_FMR_10000 92
#define AFIS_THRESHOLD_FMR_100000 110

AfisStatus afis_finger_match (const AfisSearchTemplate *probe,
                              const AfisSearchTemplate *candidate,
                              int *ret_score) AFIS_WARN_UNUSED;

/* Score without argument checks for inner loops (1:N search). */
int afis_finger_score (const AfisSearchTemplate *probe,
                       const AfisSearchTemplate *candidate) AFIS_WARN_UNUSED;

/* Fast first-stage similarity 0..1000 from the filter bits alone. */
int afis_finger_prefilter (const AfisSearchTemplate *probe,
                           const AfisSearchTemplate *candidate) AFIS_WARN_UNUSED;

#ifdef __cplusplus
}
#endif

#endif
