/* The 1:N gallery: cheap add/remove, save/load round trips and rejection
 * of damaged images, and search results that do not depend on the thread
 * count. People are synthetic (minutia-level synthesis). */
#include <stdio.h>
#include <string.h>

#include "afis-test.h"
#include "afis/afis-gallery.h"
#include "afis/afis-synth.h"

#define PEOPLE 300

static AfisSearchTemplate storage[AFIS_GALLERY_FINGERS];
static AfisFingerprint print;
static AfisGallery *gallery;

static int
person (uint64_t who, uint32_t impression, AfisProbe *probe)
{
  memset (probe, 0, sizeof *probe);
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    {
      if (afis_synth_minutiae (who * 10 + (uint64_t) f + 1, impression, &print) != AFIS_OK
          || afis_search_template_build (&print, &storage[f]) != AFIS_OK)
        return -1;
      probe->fingers[f] = &storage[f];
    }
  return 0;
}

static void
gallery_add_remove (void)
{
  CHECK (afis_gallery_new (&gallery) == AFIS_OK);
  for (int p = 0; p < PEOPLE; p++)
    {
      AfisProbe fingers;
      char id[32];
      CHECK (person ((uint64_t) p, 0, &fingers) == 0);
      snprintf (id, sizeof id, "person-%03d", p);
      CHECK (afis_gallery_add (gallery, id, &fingers) == AFIS_OK);
    }
  CHECK (afis_gallery_person_count (gallery) == PEOPLE);
  CHECK (afis_gallery_template_count (gallery) == PEOPLE * 10);
  CHECK (afis_gallery_bytes_per_template () <= 1024);
  /* replacing keeps the count; removing frees the slot */
  AfisProbe fingers;
  CHECK (person (7, 0, &fingers) == 0);
  CHECK (afis_gallery_add (gallery, "person-007", &fingers) == AFIS_OK);
  CHECK (afis_gallery_person_count (gallery) == PEOPLE);
  CHECK (afis_gallery_remove (gallery, "person-100") == AFIS_OK);
  CHECK (afis_gallery_remove (gallery, "person-100") == AFIS_ERROR_NOT_FOUND);
  CHECK (afis_gallery_person_count (gallery) == PEOPLE - 1);
  CHECK (afis_gallery_template_count (gallery) == (PEOPLE - 1) * 10);
  CHECK (afis_gallery_add (gallery, "", &fingers) == AFIS_ERROR_INVALID_ARGUMENT);
}

static void
gallery_search_same_for_any_thread_count (void)
{
  static const int probes[] = { 3, 42, 100, 250 };
  for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
    {
      AfisProbe probe;
      CHECK (person ((uint64_t) probes[i], 1, &probe) == 0);
      AfisCandidate first[10], other[10];
      size_t n1 = 0, n2 = 0;
      AfisSearchOptions options = { 1, 50 };
      CHECK (afis_gallery_search (gallery, &probe, &options, first, 10, &n1) == AFIS_OK);
      CHECK (n1 == 10);
      for (int threads = 2; threads <= 4; threads++)
        {
          options.threads = threads;
          CHECK (afis_gallery_search (gallery, &probe, &options, other, 10, &n2) == AFIS_OK);
          CHECK (n2 == n1 && memcmp (first, other, n1 * sizeof first[0]) == 0);
        }
      char id[32];
      snprintf (id, sizeof id, "person-%03d", probes[i]);
      if (probes[i] == 100)
        CHECK (strcmp (first[0].id, id) != 0); /* removed */
      else
        {
          CHECK (strcmp (first[0].id, id) == 0);
          CHECK (first[0].score > first[1].score);
          for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
            CHECK (first[0].finger_scores[f] >= 0);
        }
    }
}

static void
gallery_save_load_round_trip (void)
{
  size_t size = afis_gallery_saved_size (gallery), length = 0, again_length = 0;
  uint8_t *image = malloc (size), *again = malloc (size);
  CHECK (image != NULL && again != NULL);
  CHECK (afis_gallery_save (gallery, image, size, &length) == AFIS_OK && length == size);
  AfisGallery *loaded;
  CHECK (afis_gallery_load (image, length, &loaded) == AFIS_OK);
  CHECK (afis_gallery_person_count (loaded) == afis_gallery_person_count (gallery));
  CHECK (afis_gallery_save (loaded, again, size, &again_length) == AFIS_OK);
  CHECK (again_length == length && memcmp (image, again, length) == 0);
  afis_gallery_free (loaded);
  /* damaged images are refused, never read past */
  for (size_t cut = 0; cut < length; cut += 97)
    CHECK (afis_gallery_load (image, cut, &loaded) != AFIS_OK);
  memcpy (again, image, length);
  again[24 + 33] = 0xff; /* finger mask with undefined bits */
  CHECK (afis_gallery_load (again, length, &loaded) == AFIS_ERROR_MALFORMED_RECORD);
  memcpy (again, image, length);
  memcpy (again + 24 + 36 + 456, again + 24, 32); /* duplicate id */
  memcpy (again + 24 + 36 + 10 * 456, image + 24, 32);
  CHECK (afis_gallery_load (again, length, &loaded) != AFIS_OK);
  free (image);
  free (again);
}

int
main (void)
{
  RUN (gallery_add_remove);
  if (afis_test_failures)
    return 1;
  RUN (gallery_search_same_for_any_thread_count);
  RUN (gallery_save_load_round_trip);
  afis_gallery_free (gallery);
  return afis_test_failures ? 1 : 0;
}
