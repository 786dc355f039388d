/* afis: the 1:N gallery of people with up to ten fingers each.
 *
 * Held in memory, one array of search templates per finger position, so
 * a search streams through memory. A search runs in two stages: the fast
 * filter scores every template of every probe finger, the sums per person
 * pick a shortlist, and the full matcher scores the shortlisted people's
 * fingers. The fused score adds, over the fingers, how far each finger
 * score rises above AFIS_GALLERY_SCORE_FLOOR (about the impostor mean plus
 * two deviations): ten impostor fingers then add up to almost nothing,
 * while plain sums would grow with the number of fingers compared.
 * Results are ranked by fused score, then the plain sum, then id, so they
 * do not depend on the thread count or on the order people were added or
 * removed.
 *
 * Not thread-safe for writers: add/remove/load must not run during a
 * search. Concurrent searches on one gallery are fine. */
#ifndef AFIS_GALLERY_H
#define AFIS_GALLERY_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-finger.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFIS_GALLERY_ID_SIZE 32 /* bytes of a person id, NUL-padded */
#define AFIS_GALLERY_FINGERS 10 /* ISO finger positions 1..10 */
#define AFIS_GALLERY_MAX_PEOPLE 50000000u
#define AFIS_GALLERY_MAX_THREADS 64
#define AFIS_GALLERY_SCORE_FLOOR 45
/* A candidate at or above this fused score goes to adjudication: two
 * fingers at the 1/100,000 finger threshold, or one far above it. */
#define AFIS_GALLERY_ADJUDICATION_THRESHOLD                                                      \
  (2 * (AFIS_THRESHOLD_FMR_100000 - AFIS_GALLERY_SCORE_FLOOR))

typedef struct AfisGallery AfisGallery;

/* One probe: fingers[i] is the template of ISO position i + 1, or NULL. */
typedef struct {
  const AfisSearchTemplate *fingers[AFIS_GALLERY_FINGERS];
} AfisProbe;

typedef struct {
  int threads;   /* worker threads, 1..AFIS_GALLERY_MAX_THREADS */
  int shortlist; /* people scored by the full matcher, e.g. 200 */
} AfisSearchOptions;

typedef struct {
  char id[AFIS_GALLERY_ID_SIZE];
  int score;                                /* fused, see above */
  int finger_scores[AFIS_GALLERY_FINGERS];  /* -1 where not compared */
} AfisCandidate;

AfisStatus afis_gallery_new (AfisGallery **ret_gallery) AFIS_WARN_UNUSED;
void afis_gallery_free (AfisGallery *gallery);

/* Adds (or replaces) person @id (NUL-terminated, shorter than
 * AFIS_GALLERY_ID_SIZE) with the fingers of @fingers. Copies the
 * templates. O(1) amortised. */
AfisStatus afis_gallery_add (AfisGallery *gallery, const char *id, const AfisProbe *fingers) AFIS_WARN_UNUSED;
/* Removes person @id: O(1). AFIS_ERROR_NOT_FOUND if absent. */
AfisStatus afis_gallery_remove (AfisGallery *gallery, const char *id) AFIS_WARN_UNUSED;
size_t afis_gallery_person_count (const AfisGallery *gallery);
size_t afis_gallery_template_count (const AfisGallery *gallery);
/* Bytes of memory held per template (templates, filters, owners). */
size_t afis_gallery_bytes_per_template (void);

/* Searches @probe and writes up to @max candidates, best first, into
 * @ret_candidates; *ret_count gets how many. */
AfisStatus afis_gallery_search (const AfisGallery *gallery, const AfisProbe *probe,
                                const AfisSearchOptions *options, AfisCandidate *ret_candidates,
                                size_t max, size_t *ret_count) AFIS_WARN_UNUSED;

/* Serialised form: a flat little-endian image, loadable with one pass. */
size_t afis_gallery_saved_size (const AfisGallery *gallery);
AfisStatus afis_gallery_save (const AfisGallery *gallery, uint8_t *buffer, size_t size,
                              size_t *ret_length) AFIS_WARN_UNUSED;
/* Rejects a malformed image (AFIS_ERROR_MALFORMED_RECORD) without
 * reading outside @data[0..size). */
AfisStatus afis_gallery_load (const uint8_t *data, size_t size, AfisGallery **ret_gallery) AFIS_WARN_UNUSED;

#ifdef __cplusplus
}
#endif

#endif
