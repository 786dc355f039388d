/* afis: internals shared by the fingerprint extraction stages.
 *
 * The extractor works on one AfisFingerImage: the input resampled to
 * 500 ppi and the per-block fields computed from it. Blocks are
 * AFIS_BLOCK x AFIS_BLOCK pixels. Orientation angles here are in radians
 * in image coordinates (y down), ridge direction modulo pi. */
#ifndef AFIS_FINGER_PRIVATE_H
#define AFIS_FINGER_PRIVATE_H

#include <stdint.h>

#include "afis/afis-finger.h"

#define AFIS_BLOCK 8
#define AFIS_PI 3.14159265358979323846f

typedef struct {
  int width;          /* pixels at 500 ppi */
  int height;
  float *pixels;      /* gray levels 0..255, then locally normalised */
  int block_width;    /* blocks across */
  int block_height;
  float *orientation; /* per block, ridge direction in [0, pi) */
  float *coherence;   /* per block, 0..1 */
  float *period;      /* per block, ridge period in pixels */
  uint8_t *mask;      /* per block, 1 = finger */
  uint8_t *border;    /* per block, distance in blocks to the background, capped */
  float *enhanced;    /* per pixel, ridges negative */
  uint8_t *skeleton;  /* per pixel, 1 = ridge skeleton */
} AfisFingerImage;

/* Every function returns 0 on success, -1 when out of memory. */
int afis_finger_image_resample (AfisFingerImage *image, const uint8_t *pixels,
                                int width, int height, size_t stride, int ppi);
void afis_finger_image_clear (AfisFingerImage *image);
/* Orientation, coherence, segmentation mask and local normalisation. */
int afis_finger_fields_compute (AfisFingerImage *image);
/* Ridge period per block (fills image->period). */
int afis_finger_period_compute (AfisFingerImage *image);
/* Contextual (Gabor) filtering into image->enhanced. */
int afis_finger_enhance (AfisFingerImage *image);
/* The even Gabor kernel for ridge direction index @direction (of 16 over
 * pi) and integer @period; (2 * radius + 1)^2 floats, static storage. */
const float *afis_finger_gabor_kernel (int direction, int period, int *ret_radius);
/* Binarise and thin into image->skeleton. */
int afis_finger_thin (AfisFingerImage *image);
/* Minutiae from the skeleton, false ones removed, best first; fills
 * print->minutiae/count in image convention angles (converted by the
 * caller). */
int afis_finger_minutiae_detect (const AfisFingerImage *image, AfisFingerprint *print);

/* What the matcher found, for evaluation and tuning. */
typedef struct {
  int n;          /* paired minutiae */
  int supported;  /* pairs whose neighbourhoods also agree */
  int overlap_a;  /* minutiae of each side in the common area */
  int overlap_b;
  int votes;      /* local votes of the winning anchor */
  int same_type;  /* pairs of the same minutia type */
} AfisMatchDetail;

int afis_finger_score_detail (const AfisSearchTemplate *a, const AfisSearchTemplate *b,
                              AfisMatchDetail *detail);

static inline float
afis_block_value (const float *field, const AfisFingerImage *image, int x, int y)
{
  int bx = x / AFIS_BLOCK, by = y / AFIS_BLOCK;
  if (bx >= image->block_width) bx = image->block_width - 1;
  if (by >= image->block_height) by = image->block_height - 1;
  return field[by * image->block_width + bx];
}

#endif
