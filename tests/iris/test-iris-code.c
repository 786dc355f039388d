/* Iris codes: rotation invariance, masks, distances, template files,
 * determinism. */
#include <math.h>
#include <string.h>

#include "iris-test-util.h"

static void
extract_synth (uint64_t eye, uint64_t capture, AfisIrisTemplate *t, AfisIrisSynthTruth *truth)
{
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
  uint8_t *pixels = iris_test_synth (eye, capture, NULL, 320, 280, truth);
  g_assert_cmpint (afis_iris_extract (pixels, 320, 280, 320, t, NULL, NULL, &reject), ==, AFIS_OK);
  g_free (pixels);
}

static void
test_same_eye_close_other_far (void)
{
  AfisIrisTemplate a, b, c;
  double same, other;

  extract_synth (11, 0, &a, NULL);
  extract_synth (11, 2, &b, NULL);
  extract_synth (12, 0, &c, NULL);
  g_assert_cmpint (afis_iris_template_match (&a, &b, &same), ==, AFIS_OK);
  g_assert_cmpint (afis_iris_template_match (&a, &c, &other), ==, AFIS_OK);
  g_assert_cmpfloat (same, <, 0.3);
  g_assert_cmpfloat (other, >, 0.38);
  g_assert_cmpfloat (other, <=, 1.0);
}

static void
test_rotation_invariance (void)
{
  /* capture 0 is drawn unrotated; other captures rotate the eye: the best
   * shift must follow the drawn rotation */
  AfisIrisTemplate base, turned;
  AfisIrisSynthTruth truth;
  AfisIrisProbe *probe = g_malloc (sizeof *probe);
  int checked = 0;

  extract_synth (13, 0, &base, NULL);
  g_assert_cmpint (afis_iris_probe_prepare (&base, probe), ==, AFIS_OK);
  for (uint64_t capture = 1; capture <= 6; capture++)
    {
      int shift = 99;
      extract_synth (13, capture, &turned, &truth);
      double hd = afis_iris_probe_compare_shift (probe, &turned, &shift);
      double expected = truth.rotation / (2 * G_PI) * AFIS_IRIS_CODE_COLUMNS;
      if (fabs (expected) > AFIS_IRIS_MAX_SHIFT - 1)
        continue;
      g_assert_cmpfloat (hd, <, 0.32);
      /* probe column c holds gallery column c+shift: the gallery (turned)
       * eye is rotated by +rotation, so shift = -expected */
      g_assert_cmpfloat (fabs (shift + expected), <=, 1.5);
      checked++;
    }
  g_assert_cmpint (checked, >=, 3);
  g_free (probe);
}

static void
test_code_shift_exact (void)
{
  /* a template rotated by k whole columns matches at distance 0, shift k */
  AfisIrisTemplate a, rotated;
  AfisIrisProbe *probe = g_malloc (sizeof *probe);
  int shift = 0;

  extract_synth (14, 0, &a, NULL);
  g_assert_cmpint (afis_iris_probe_prepare (&a, probe), ==, AFIS_OK);
  /* probe->code[MAX_SHIFT + 3] is a rotated by 3 columns */
  memcpy (rotated.code, probe->code[AFIS_IRIS_MAX_SHIFT + 3], sizeof rotated.code);
  memcpy (rotated.mask, probe->mask[AFIS_IRIS_MAX_SHIFT + 3], sizeof rotated.mask);
  g_assert_cmpfloat (afis_iris_probe_compare_shift (probe, &rotated, &shift), ==, 0.0);
  g_assert_cmpint (shift, ==, 3);
  g_free (probe);
}

static void
test_mask_handling (void)
{
  AfisIrisTemplate a, b, b2;
  double hd, hd2;

  extract_synth (15, 0, &a, NULL);
  /* bits under a zero mask carry nothing: change them, nothing moves */
  b = a;
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS / 2; w++)
    b.mask[w] = 0, b.code[w] = 0;
  b2 = b;
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS / 2; w++)
    b2.code[w] = 0x5555555555555555ull;
  g_assert_cmpint (afis_iris_template_match (&a, &b, &hd), ==, AFIS_OK);
  g_assert_cmpint (afis_iris_template_match (&a, &b2, &hd2), ==, AFIS_OK);
  g_assert_cmpfloat (hd, ==, hd2);
  /* identical visible bits, but fewer of them: close, not certain */
  g_assert_cmpfloat (hd, <, 0.2);
  /* flipping all visible bits of half the code: the raw distance is the
   * flipped share of the compared bits */
  b = a;
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++)
    if (w % 2 == 0)
      b.code[w] = ~a.code[w] & a.mask[w];
  g_assert_cmpint (afis_iris_template_match (&a, &b, &hd), ==, AFIS_OK);
  g_assert_cmpfloat (hd, >, 0.2);
  /* nothing comparable: no decision, distance 1 */
  memset (b.mask, 0, sizeof b.mask);
  memset (b.code, 0, sizeof b.code);
  g_assert_cmpint (afis_iris_template_match (&a, &b, &hd), ==, AFIS_OK);
  g_assert_cmpfloat (hd, ==, 1.0);
}

static void
test_normalisation_penalises_few_bits (void)
{
  /* the same share of disagreeing bits means less when fewer bits are
   * compared: the normalised distance moves towards 0.5 */
  AfisIrisTemplate a, b, a_small, b_small;
  double full, small;
  guint32 state = 99;

  memset (&a, 0, sizeof a);
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++)
    {
      uint64_t r = 0;
      for (int k = 0; k < 4; k++)
        {
          state = state * 1664525u + 1013904223u;
          r = (r << 16) ^ (state >> 16);
        }
      a.code[w] = r;
      a.mask[w] = ~0ull;
    }
  b = a;
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++)
    b.code[w] ^= 0x000000000000FFFFull;  /* 25% of the bits differ */
  a_small = a;
  b_small = b;
  for (int w = AFIS_IRIS_CODE_WORDS / 4; w < AFIS_IRIS_CODE_WORDS; w++)
    {
      a_small.mask[w] = b_small.mask[w] = 0;
      a_small.code[w] = b_small.code[w] = 0;
    }
  g_assert_cmpint (afis_iris_template_match (&a, &b, &full), ==, AFIS_OK);
  g_assert_cmpint (afis_iris_template_match (&a_small, &b_small, &small), ==, AFIS_OK);
  g_assert_cmpfloat (full, <, small);
  g_assert_cmpfloat (small, <, 0.5);
}

static void
test_template_roundtrip (void)
{
  AfisIrisTemplate a, back;
  uint8_t buffer[AFIS_IRIS_TEMPLATE_SIZE];
  size_t size = 0;

  extract_synth (16, 1, &a, NULL);
  a.eye = 2;
  g_assert_cmpint (afis_iris_template_serialize (&a, buffer, sizeof buffer - 1, &size), ==,
                   AFIS_ERROR_BUFFER_TOO_SMALL);
  g_assert_cmpint (afis_iris_template_serialize (&a, buffer, sizeof buffer, &size), ==, AFIS_OK);
  g_assert_cmpuint (size, ==, AFIS_IRIS_TEMPLATE_SIZE);
  g_assert_cmpint (afis_iris_template_deserialize (buffer, size, &back), ==, AFIS_OK);
  g_assert_cmpmem (back.code, sizeof back.code, a.code, sizeof a.code);
  g_assert_cmpmem (back.mask, sizeof back.mask, a.mask, sizeof a.mask);
  g_assert_cmpint (back.quality, ==, a.quality);
  g_assert_cmpint (back.eye, ==, 2);
  /* rejections: truncation, magic, version, a code bit outside the mask */
  g_assert_cmpint (afis_iris_template_deserialize (buffer, size - 1, &back), ==,
                   AFIS_ERROR_MALFORMED_RECORD);
  buffer[0] ^= 1;
  g_assert_cmpint (afis_iris_template_deserialize (buffer, size, &back), ==,
                   AFIS_ERROR_MALFORMED_RECORD);
  buffer[0] ^= 1;
  buffer[6] = 9;
  g_assert_cmpint (afis_iris_template_deserialize (buffer, size, &back), ==,
                   AFIS_ERROR_UNSUPPORTED);
  buffer[6] = 1;
  for (int w = 0; w < AFIS_IRIS_CODE_WORDS; w++)
    if (~a.mask[w] != 0)
      {
        int bit = __builtin_ctzll (~a.mask[w]);
        buffer[16 + 8 * w + bit / 8] |= (uint8_t) (1u << (bit % 8));
        break;
      }
  g_assert_cmpint (afis_iris_template_deserialize (buffer, size, &back), ==,
                   AFIS_ERROR_MALFORMED_RECORD);
}

static void
test_deterministic_extraction (void)
{
  AfisIrisTemplate a, b;

  extract_synth (17, 3, &a, NULL);
  extract_synth (17, 3, &b, NULL);
  g_assert_cmpmem (a.code, sizeof a.code, b.code, sizeof b.code);
  g_assert_cmpmem (a.mask, sizeof a.mask, b.mask, sizeof b.mask);
  g_assert_cmpint (a.quality, ==, b.quality);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/iris/code/same-eye-close-other-far", test_same_eye_close_other_far);
  g_test_add_func ("/iris/code/rotation-invariance", test_rotation_invariance);
  g_test_add_func ("/iris/code/shift-exact", test_code_shift_exact);
  g_test_add_func ("/iris/code/mask-handling", test_mask_handling);
  g_test_add_func ("/iris/code/normalisation-penalises-few-bits", test_normalisation_penalises_few_bits);
  g_test_add_func ("/iris/code/template-roundtrip", test_template_roundtrip);
  g_test_add_func ("/iris/code/deterministic-extraction", test_deterministic_extraction);
  return g_test_run ();
}
