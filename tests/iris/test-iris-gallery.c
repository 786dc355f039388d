/* 1:N gallery: mates found first, both eyes and one eye, determinism
 * across thread counts, capacity and argument checks. */
#include <string.h>

#include "afis/afis-iris-gallery.h"
#include "iris-test-util.h"

#define PEOPLE 12

static AfisIrisTemplate enrol[PEOPLE][2], probe[PEOPLE][2];

static void
extract (uint64_t eye, uint64_t capture, AfisIrisTemplate *t)
{
  AfisIrisReject reject;
  uint8_t *pixels = iris_test_synth (eye, capture, NULL, 320, 280, NULL);
  g_assert_cmpint (afis_iris_extract (pixels, 320, 280, 320, t, NULL, NULL, &reject), ==, AFIS_OK);
  g_free (pixels);
}

static void
setup_once (void)
{
  static int done;
  if (done)
    return;
  for (int p = 0; p < PEOPLE; p++)
    for (int e = 0; e < 2; e++)
      {
        extract (500 + 2 * p + e, 0, &enrol[p][e]);
        extract (500 + 2 * p + e, 2, &probe[p][e]);
      }
  done = 1;
}

static AfisIrisGallery *
gallery_make (void)
{
  AfisIrisGallery *g = NULL;
  g_assert_cmpint (afis_iris_gallery_new (PEOPLE, &g), ==, AFIS_OK);
  for (int p = 0; p < PEOPLE; p++)
    g_assert_cmpint (afis_iris_gallery_add (g, 1000 + (uint64_t) p, &enrol[p][0], &enrol[p][1]), ==,
                     AFIS_OK);
  return g;
}

static void
test_mates_first (void)
{
  AfisIrisGallery *g;

  setup_once ();
  g = gallery_make ();
  g_assert_cmpuint (afis_iris_gallery_count (g), ==, PEOPLE);
  for (int p = 0; p < PEOPLE; p++)
    {
      AfisIrisCandidate c[3];
      size_t n = 0;
      g_assert_cmpint (afis_iris_gallery_search (g, &probe[p][0], &probe[p][1], 1.0, 2, c, 3, &n),
                       ==, AFIS_OK);
      g_assert_cmpuint (n, ==, 3);
      g_assert_cmpuint (c[0].person_id, ==, 1000 + (uint64_t) p);
      g_assert_cmpint (c[0].eyes, ==, 2);
      g_assert_cmpfloat (c[0].distance, <, 0.3);
      g_assert_cmpfloat (c[1].distance, >, c[0].distance + 0.08);
      g_assert_cmpfloat (c[0].distance, <=, c[1].distance);
      g_assert_cmpfloat (c[1].distance, <=, c[2].distance);
    }
  afis_iris_gallery_free (g);
}

static void
test_one_eye (void)
{
  AfisIrisGallery *g;
  AfisIrisCandidate c[2];
  size_t n = 0;

  setup_once ();
  g = gallery_make ();
  /* probe with the right eye only; a threshold keeps impostors out */
  g_assert_cmpint (afis_iris_gallery_search (g, NULL, &probe[4][1], 0.33, 1, c, 2, &n), ==, AFIS_OK);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (c[0].person_id, ==, 1004);
  g_assert_cmpint (c[0].eyes, ==, 1);
  g_assert_cmpfloat (c[0].left, ==, 1.0);
  afis_iris_gallery_free (g);
}

static void
test_deterministic_across_threads (void)
{
  AfisIrisGallery *g;
  AfisIrisCandidate one[10], many[10];
  size_t n1 = 0, n2 = 0;

  setup_once ();
  g = gallery_make ();
  g_assert_cmpint (afis_iris_gallery_search (g, &probe[7][0], &probe[7][1], 1.0, 1, one, 10, &n1), ==,
                   AFIS_OK);
  g_assert_cmpint (afis_iris_gallery_search (g, &probe[7][0], &probe[7][1], 1.0, 5, many, 10, &n2), ==,
                   AFIS_OK);
  g_assert_cmpuint (n1, ==, n2);
  for (size_t i = 0; i < n1; i++)
    {
      g_assert_cmpuint (one[i].person_id, ==, many[i].person_id);
      g_assert_cmpfloat (one[i].distance, ==, many[i].distance);
    }
  afis_iris_gallery_free (g);
}

static void
test_arguments_and_capacity (void)
{
  AfisIrisGallery *g = NULL;
  AfisIrisCandidate c[1];
  size_t n = 0;

  setup_once ();
  g_assert_cmpint (afis_iris_gallery_new (0, &g), ==, AFIS_ERROR_INVALID_ARGUMENT);
  g_assert_null (g);
  g_assert_cmpint (afis_iris_gallery_new (1, &g), ==, AFIS_OK);
  g_assert_cmpint (afis_iris_gallery_add (g, 1, NULL, NULL), ==, AFIS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (afis_iris_gallery_add (g, 1, &enrol[0][0], NULL), ==, AFIS_OK);
  g_assert_cmpint (afis_iris_gallery_add (g, 2, &enrol[1][0], NULL), ==, AFIS_ERROR_CAPACITY);
  g_assert_cmpint (afis_iris_gallery_search (g, NULL, NULL, 1.0, 1, c, 1, &n), ==,
                   AFIS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (afis_iris_gallery_search (g, &probe[0][0], NULL, 1.0, 0, c, 1, &n), ==,
                   AFIS_ERROR_INVALID_ARGUMENT);
  /* the enrolled person has no right eye: a right-only probe finds nobody */
  g_assert_cmpint (afis_iris_gallery_search (g, NULL, &probe[0][1], 1.0, 1, c, 1, &n), ==, AFIS_OK);
  g_assert_cmpuint (n, ==, 0);
  afis_iris_gallery_free (g);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/iris/gallery/mates-first", test_mates_first);
  g_test_add_func ("/iris/gallery/one-eye", test_one_eye);
  g_test_add_func ("/iris/gallery/deterministic-across-threads", test_deterministic_across_threads);
  g_test_add_func ("/iris/gallery/arguments-and-capacity", test_arguments_and_capacity);
  return g_test_run ();
}
