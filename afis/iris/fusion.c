/* afis: score-level fusion (see afis-fusion.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-fusion.h"

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Inverse of the standard normal's lower tail for the two probabilities
 * used below (no inverse erf in C11's libm; bisection is enough here). */
static double
normal_quantile (double p)
{
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; i++)
    {
      double mid = 0.5 * (lo + hi);
      if (0.5 * erfc (-mid / sqrt (2.0)) < p)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

/* The model is fitted to the impostor tail that matters (the side of
 * genuine scores), not to the whole distribution: best-over-rotations
 * Hamming distances and fingerprint scores have heavier tails than a
 * normal fitted on their bulk, which would promise false match rates
 * far too low. Two quantiles fix the line: a shallow one (5%) and the
 * deepest one with at least 20 scores beyond it. */
AfisStatus
afis_fusion_calibrate (AfisScoreKind kind, const double *impostor, size_t n,
                       AfisFusionCalibration *ret_calibration)
{
  AfisFusionCalibration c;
  double *sorted, p_deep, p_shallow = 0.05, q_deep, q_shallow, z_deep, z_shallow;

  if (impostor == NULL || ret_calibration == NULL || n < 40
      || (kind != AFIS_SCORE_DISTANCE && kind != AFIS_SCORE_SIMILARITY))
    return AFIS_ERROR_INVALID_ARGUMENT;
  for (size_t i = 0; i < n; i++)
    if (!isfinite (impostor[i]))
      return AFIS_ERROR_INVALID_ARGUMENT;
  sorted = malloc (n * sizeof *sorted);
  if (sorted == NULL)
    return AFIS_ERROR_NO_MEMORY;
  memcpy (sorted, impostor, n * sizeof *sorted);
  qsort (sorted, n, sizeof *sorted, compare_double);
  p_deep = 20.0 / (double) n;
  if (p_deep < 1e-4)
    p_deep = 1e-4;
  if (p_deep > 0.5 * p_shallow)
    p_deep = 0.5 * p_shallow;
  /* the similar side: low distances, high similarities */
  size_t i_deep = (size_t) (p_deep * (double) n), i_shallow = (size_t) (p_shallow * (double) n);
  if (kind == AFIS_SCORE_DISTANCE)
    {
      q_deep = sorted[i_deep];
      q_shallow = sorted[i_shallow];
    }
  else
    {
      q_deep = sorted[n - 1 - i_deep];
      q_shallow = sorted[n - 1 - i_shallow];
    }
  free (sorted);
  z_deep = -normal_quantile (p_deep);        /* positive */
  z_shallow = -normal_quantile (p_shallow);
  c.sd = fabs (q_shallow - q_deep) / (z_deep - z_shallow);
  if (!(c.sd > 0))
    return AFIS_ERROR_INVALID_ARGUMENT;
  c.mean = kind == AFIS_SCORE_DISTANCE ? q_shallow + z_shallow * c.sd
                                        : q_shallow - z_shallow * c.sd;
  c.kind = kind;
  c.count = n;
  *ret_calibration = c;
  return AFIS_OK;
}

double
afis_fusion_fmr (const AfisFusionCalibration *c, double score)
{
  double z, fmr;

  if (c == NULL || !(c->sd > 0) || !isfinite (score))
    return 1.0;
  /* z > 0 means "more similar than the average impostor" */
  z = (c->kind == AFIS_SCORE_DISTANCE ? c->mean - score : score - c->mean) / c->sd;
  fmr = 0.5 * erfc (z / sqrt (2.0));
  if (fmr < AFIS_FUSION_MIN_FMR)
    fmr = AFIS_FUSION_MIN_FMR;
  return fmr > 1.0 ? 1.0 : fmr;
}

/* P(Gamma(k,1) >= x) = exp(-x) * sum_{j<k} x^j / j! */
static double
gamma_tail (int k, double x)
{
  double term = 1.0, sum = 1.0;

  if (x <= 0)
    return 1.0;
  for (int j = 1; j < k; j++)
    {
      term *= x / j;
      sum += term;
    }
  double p = exp (-x) * sum;
  return p > 1.0 ? 1.0 : p;
}

AfisStatus
afis_fusion_decide (const AfisFusionEvidence *evidence, size_t n,
                    double target_fmr, AfisFusionDecision *ret_decision)
{
  AfisFusionDecision d = { 1.0, 0.0, 0, 0 };

  if (ret_decision == NULL || (evidence == NULL && n > 0)
      || n > AFIS_FUSION_MAX_EVIDENCE || !(target_fmr > 0 && target_fmr < 1))
    return AFIS_ERROR_INVALID_ARGUMENT;
  for (size_t i = 0; i < n; i++)
    {
      if (evidence[i].calibration == NULL)
        return AFIS_ERROR_INVALID_ARGUMENT;
      d.evidence += -log (afis_fusion_fmr (evidence[i].calibration, evidence[i].score));
      d.count++;
    }
  if (d.count > 0)
    {
      d.fused_fmr = gamma_tail (d.count, d.evidence);
      d.hit = d.fused_fmr <= target_fmr;
    }
  *ret_decision = d;
  return AFIS_OK;
}

AfisStatus
afis_fusion_decide_person (const AfisFusionPersonScores *scores,
                           const AfisFusionCalibration *finger,
                           const AfisFusionCalibration *iris,
                           double target_fmr, AfisFusionDecision *ret_decision)
{
  AfisFusionEvidence evidence[AFIS_FUSION_FINGERS + 2];
  size_t n = 0;

  if (scores == NULL || ret_decision == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  for (int i = 0; i < AFIS_FUSION_FINGERS; i++)
    if (scores->finger_scores[i] >= 0)
      {
        if (finger == NULL)
          return AFIS_ERROR_INVALID_ARGUMENT;
        evidence[n].calibration = finger;
        evidence[n++].score = scores->finger_scores[i];
      }
  const double eyes[2] = { scores->iris_left, scores->iris_right };
  for (int e = 0; e < 2; e++)
    if (eyes[e] >= 0)
      {
        if (iris == NULL)
          return AFIS_ERROR_INVALID_ARGUMENT;
        evidence[n].calibration = iris;
        evidence[n++].score = eyes[e];
      }
  return afis_fusion_decide (evidence, n, target_fmr, ret_decision);
}
