/* afis: synthetic near-infrared eye images.
 *
 * An eye is a seed: it fixes an iris texture (crypts, furrows and fine
 * grain laid out on the rubber sheet, so it stretches with the pupil
 * like a real iris) and the eye's shape. A capture is a second seed: it
 * moves the eye in the frame, rotates it, dilates the pupil, opens or
 * closes the lids, varies the lashes, the illuminator's reflections,
 * the blur and the sensor noise. Capture 0 is a clean, frontal one.
 * Same seeds, same pixels, on every machine (no libm calls whose last
 * bit could differ feed the pixel values' integer parts by more than
 * rounding; the tests only compare what they draw in the same run). */
#ifndef AFIS_IRIS_SYNTH_H
#define AFIS_IRIS_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFIS_IRIS_SYNTH_MIN_SIDE 160
#define AFIS_IRIS_SYNTH_MAX_SIDE 2048

/* What was drawn: the truth a segmentation test compares with. */
typedef struct {
  float pupil_x, pupil_y, pupil_radius;
  float iris_x, iris_y, iris_radius;
  float rotation;          /* radians, positive = towards +y */
  float upper_lid_y;       /* lid apex heights (parabolas), pixels */
  float lower_lid_y;
  float blur;              /* box blur half-size used, pixels */
} AfisIrisSynthTruth;

/* Options of one capture; zero-filled means "from the capture seed". */
typedef struct {
  int closed;              /* draw a closed eye (no iris visible) */
  float extra_blur;        /* add this blur half-size, pixels */
  float occlusion;         /* 0..1: push the upper lid down this much */
} AfisIrisSynthOptions;

/* Draws capture @capture_seed of eye @eye_seed into @pixels (@width x
 * @height, stride @width). @options may be NULL. @ret_truth may be NULL. */
AfisStatus afis_iris_synth_eye (uint64_t eye_seed, uint64_t capture_seed,
                                const AfisIrisSynthOptions *options,
                                int width, int height, uint8_t *pixels,
                                AfisIrisSynthTruth *ret_truth)
  __attribute__ ((warn_unused_result));

#ifdef __cplusplus
}
#endif

#endif
