/* afis: iris segmentation, quality, encoding (near-infrared eye images).
 *
 * Pipeline: afis_iris_segment() finds the pupil and limbic boundaries, the
 * eyelids and the noise (eyelashes, specular reflections);
 * afis_iris_quality() scores the capture per ISO/IEC 29794-6;
 * afis_iris_encode() unwraps the iris onto a fixed polar grid (rubber
 * sheet) and turns it into a binary code with its mask (afis-iris-code.h).
 * afis_iris_extract() runs all three.
 *
 * Images are 8-bit grayscale buffers, row-major with a stride; the
 * library never opens files. Every function is reentrant. */
#ifndef AFIS_IRIS_H
#define AFIS_IRIS_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-status.h"
#include "afis/afis-iris-code.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFIS_IRIS_MIN_WIDTH 96
#define AFIS_IRIS_MIN_HEIGHT 96
#define AFIS_IRIS_MAX_WIDTH 4096
#define AFIS_IRIS_MAX_HEIGHT 4096
/* Samples of a boundary: radius at angle 2*pi*i/N from the centre,
 * angle 0 pointing to +x (image right), increasing towards +y (down). */
#define AFIS_IRIS_BOUNDARY_POINTS 64

/* Why an image gave no usable iris (AFIS_ERROR_UNUSABLE_IMAGE). */
typedef enum {
  AFIS_IRIS_REJECT_NONE = 0,
  AFIS_IRIS_REJECT_NO_EYE,       /* no pupil/iris pair found */
  AFIS_IRIS_REJECT_CLOSED_EYE,   /* eyelids leave too little iris */
  AFIS_IRIS_REJECT_OFF_AXIS,     /* gaze too far from the camera axis */
  AFIS_IRIS_REJECT_BLUR,         /* motion or focus blur */
  AFIS_IRIS_REJECT_TOO_SMALL,    /* iris radius below the minimum */
  AFIS_IRIS_REJECT_OUT_OF_FRAME, /* iris cut by the image border */
} AfisIrisReject;

/* A short English reason; never NULL, static storage. */
const char *afis_iris_reject_string (AfisIrisReject reject);

typedef struct {
  float x;                                /* centre, image pixels */
  float y;
  float radius;                           /* mean radius, pixels */
  float radii[AFIS_IRIS_BOUNDARY_POINTS]; /* radius per angle, pixels */
} AfisIrisBoundary;

/* An eyelid as a parabola y = apex_y + curvature * (x - apex_x)^2 in
 * image pixels; for the lower lid curvature is negative. */
typedef struct {
  int present;       /* 0: the lid does not reach the iris */
  float apex_x;
  float apex_y;
  float curvature;
} AfisIrisEyelid;

typedef struct {
  AfisIrisBoundary pupil;
  AfisIrisBoundary iris;  /* limbus */
  AfisIrisEyelid upper;
  AfisIrisEyelid lower;
  float pupil_contrast;   /* mean grey step at the pupil boundary */
  float iris_contrast;    /* mean grey step at the limbus */
  float eyelash_level;    /* grey level under which iris pixels are lashes */
  float reflection_level; /* grey level over which pixels are reflections */
  int width;              /* of the image segmented */
  int height;
} AfisIrisSegmentation;

/* ISO/IEC 29794-6 style measures; each one is on the scale named. */
typedef struct {
  float usable_area;      /* % of the iris annulus not occluded, 0..100 */
  float iris_sclera_contrast; /* 0..100 */
  float iris_pupil_contrast;  /* 0..100 */
  float pupil_circularity;    /* 0..100, 100 = a perfect circle */
  float pupil_iris_ratio;     /* pupil radius / iris radius, % */
  float iris_radius;          /* pixels */
  float sharpness;            /* 0..100 */
  float gaze;                 /* estimated off-axis angle, degrees */
  float concentricity;        /* 0..100, 100 = concentric */
  float margin;               /* 0..100, iris distance to the border */
  int overall;                /* 0..100 */
} AfisIrisQuality;

/* Finds the iris in @pixels. Returns AFIS_OK and fills @ret_segmentation;
 * AFIS_ERROR_UNUSABLE_IMAGE with *@ret_reject set (when not NULL) if no
 * usable iris is there; AFIS_ERROR_IMAGE_TOO_SMALL/LARGE,
 * AFIS_ERROR_INVALID_ARGUMENT, AFIS_ERROR_NO_MEMORY otherwise. On failure
 * @ret_segmentation is untouched. */
AfisStatus afis_iris_segment (const uint8_t *pixels, int width, int height,
                              int stride,
                              AfisIrisSegmentation *ret_segmentation,
                              AfisIrisReject *ret_reject)
  __attribute__ ((warn_unused_result));

/* Measures @segmentation of @pixels. Returns AFIS_OK and fills
 * @ret_quality, or an error leaving it untouched. */
AfisStatus afis_iris_quality (const uint8_t *pixels, int width, int height,
                              int stride,
                              const AfisIrisSegmentation *segmentation,
                              AfisIrisQuality *ret_quality)
  __attribute__ ((warn_unused_result));

/* Unwraps and encodes the iris of @segmentation into @ret_template (its
 * quality field is left 0). Returns AFIS_OK or an error leaving
 * @ret_template untouched. */
AfisStatus afis_iris_encode (const uint8_t *pixels, int width, int height,
                             int stride,
                             const AfisIrisSegmentation *segmentation,
                             AfisIrisTemplate *ret_template)
  __attribute__ ((warn_unused_result));

/* Segment + quality + encode. On AFIS_ERROR_UNUSABLE_IMAGE *@ret_reject
 * says why (when not NULL); @ret_segmentation and @ret_quality may be
 * NULL. All out-parameters but @ret_reject are untouched on failure. */
AfisStatus afis_iris_extract (const uint8_t *pixels, int width, int height,
                              int stride, AfisIrisTemplate *ret_template,
                              AfisIrisSegmentation *ret_segmentation,
                              AfisIrisQuality *ret_quality,
                              AfisIrisReject *ret_reject)
  __attribute__ ((warn_unused_result));

/* Polar ("rubber sheet") image of the iris, for records and debugging. */
#define AFIS_IRIS_POLAR_ROWS 32   /* pupil (row 0) to limbus */
#define AFIS_IRIS_POLAR_COLS 256  /* angle, same origin as boundaries */

typedef struct {
  uint8_t pixels[AFIS_IRIS_POLAR_ROWS * AFIS_IRIS_POLAR_COLS];
  uint8_t noise[AFIS_IRIS_POLAR_ROWS * AFIS_IRIS_POLAR_COLS]; /* 1 = noise */
} AfisIrisPolar;

/* Unwraps @segmentation of @pixels into @ret_polar. */
AfisStatus afis_iris_normalize (const uint8_t *pixels, int width, int height,
                                int stride,
                                const AfisIrisSegmentation *segmentation,
                                AfisIrisPolar *ret_polar)
  __attribute__ ((warn_unused_result));

/* Pupil boundary radius at @angle (radians) by interpolating the samples. */
float afis_iris_boundary_radius (const AfisIrisBoundary *boundary,
                                 float angle);

#ifdef __cplusplus
}
#endif

#endif
