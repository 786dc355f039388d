/* afis: synthetic fingerprints in the SFinGe tradition.
 *
 * A master finger is made from a seed: a pattern class (arch, tented
 * arch, left/right loop, whorl) places singular points, the zero-pole
 * model gives the orientation field, a smooth random field the ridge
 * period, and ridges grow from random seeds by iterated Gabor filtering.
 * An impression of a master applies, from its own seed: elastic skin
 * distortion, rotation, translation, partial contact, dry or wet skin and
 * sensor noise, rendered as an 8-bit 500-ppi image (dark ridges).
 *
 * For 1:N benchmarks at scale, where rendering a million images is out
 * of reach, afis_synth_minutiae() makes minutia sets directly from the
 * same orientation model, with the same impression effects applied to the
 * points (distortion, rotation, translation, partial contact, missed and
 * spurious minutiae, position and angle noise).
 *
 * Everything is a pure function of its seeds. */
#ifndef AFIS_SYNTH_H
#define AFIS_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-finger.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFIS_SYNTH_WIDTH 320
#define AFIS_SYNTH_HEIGHT 400

typedef struct AfisSynthMaster AfisSynthMaster;

/* Grows the master finger of @seed. */
AfisStatus afis_synth_master_new (uint64_t seed, AfisSynthMaster **ret_master) AFIS_WARN_UNUSED;
void afis_synth_master_free (AfisSynthMaster *master);

/* Renders impression @impression of @master into @pixels
 * (AFIS_SYNTH_WIDTH x AFIS_SYNTH_HEIGHT bytes, row-major). Impression 0
 * is a clean, centred capture; later ones vary. */
AfisStatus afis_synth_impression (const AfisSynthMaster *master, uint32_t impression,
                                  uint8_t *pixels) AFIS_WARN_UNUSED;

/* Minutiae of impression @impression of synthetic finger @seed. */
AfisStatus afis_synth_minutiae (uint64_t seed, uint32_t impression,
                                AfisFingerprint *ret_print) AFIS_WARN_UNUSED;

#ifdef __cplusplus
}
#endif

#endif
