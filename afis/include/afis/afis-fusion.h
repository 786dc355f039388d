/* afis: person-level decisions from several matchers' scores.
 *
 * Each matcher's score is calibrated against its own impostor
 * distribution: a calibration turns a score into the estimated false
 * match rate at that score (the chance that an unrelated person scores
 * at least this well), and the evidence is -ln(FMR). Independent pieces
 * of evidence (fingers, eyes, modalities) add up; under the null
 * hypothesis each -ln(FMR) is exponential with mean 1 (FMR uniform), so
 * the sum of k of them is Gamma(k,1) and the fused false-match rate is
 * known in closed form (Fisher's combination). The decision compares
 * that fused rate with a target, whatever k is: a missing or weak
 * modality lowers k or adds little, and the others can still reach the
 * target on their own.
 *
 * For 1:N, the target per comparison is the tolerated false hits per
 * search divided by the gallery size. */
#ifndef AFIS_FUSION_H
#define AFIS_FUSION_H

#include <stddef.h>

#include "afis/afis-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFIS_FUSION_MAX_EVIDENCE 32
/* No calibration claims rates below this: the models are fitted on at
 * most millions of impostor scores. */
#define AFIS_FUSION_MIN_FMR 1e-12

typedef enum {
  AFIS_SCORE_DISTANCE = 0,   /* lower = more similar (iris Hamming distance) */
  AFIS_SCORE_SIMILARITY = 1, /* higher = more similar (fingerprint score) */
} AfisScoreKind;

/* A normal model of the similar-side tail of one matcher's impostor
 * scores (fitted on two tail quantiles, not on the bulk). */
typedef struct {
  AfisScoreKind kind;
  double mean;        /* of the normal that fits the tail */
  double sd;          /* its standard deviation, > 0 */
  size_t count;       /* impostor scores fitted */
} AfisFusionCalibration;

/* Fits @ret_calibration to @n impostor scores (n >= 40, finite, with a
 * spread tail). */
AfisStatus afis_fusion_calibrate (AfisScoreKind kind, const double *impostor,
                                  size_t n,
                                  AfisFusionCalibration *ret_calibration)
  __attribute__ ((warn_unused_result));

/* Estimated false match rate of @score, in [AFIS_FUSION_MIN_FMR, 1]. */
double afis_fusion_fmr (const AfisFusionCalibration *calibration, double score);

/* One piece of evidence: a score and the calibration of its matcher. */
typedef struct {
  const AfisFusionCalibration *calibration;
  double score;
} AfisFusionEvidence;

typedef struct {
  double fused_fmr;   /* estimated false match rate of the combination */
  double evidence;    /* sum of -ln(FMR) */
  int count;          /* pieces combined */
  int hit;            /* fused_fmr <= target */
} AfisFusionDecision;

/* Combines @n pieces of evidence (0..AFIS_FUSION_MAX_EVIDENCE; 0 gives
 * no hit) and decides against @target_fmr (0 < target < 1). */
AfisStatus afis_fusion_decide (const AfisFusionEvidence *evidence, size_t n,
                               double target_fmr,
                               AfisFusionDecision *ret_decision)
  __attribute__ ((warn_unused_result));

/* One person against one gallery entry: up to ten finger similarity
 * scores (AfisCandidate.finger_scores of afis-gallery.h, -1 where not
 * compared) and the two eyes' distances (negative where not compared,
 * e.g. AfisIrisCandidate.left is 1.0 there, pass -1 instead). */
#define AFIS_FUSION_FINGERS 10
typedef struct {
  int finger_scores[AFIS_FUSION_FINGERS];
  double iris_left;
  double iris_right;
} AfisFusionPersonScores;

/* Fuses what @scores holds with @finger (calibration of the fingerprint
 * matcher, may be NULL when no finger is compared) and @iris (may be NULL
 * when no eye is) and decides against @target_fmr. */
AfisStatus afis_fusion_decide_person (const AfisFusionPersonScores *scores,
                                      const AfisFusionCalibration *finger,
                                      const AfisFusionCalibration *iris,
                                      double target_fmr,
                                      AfisFusionDecision *ret_decision)
  __attribute__ ((warn_unused_result));

#ifdef __cplusplus
}
#endif

#endif
