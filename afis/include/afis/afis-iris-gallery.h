/* afis: in-memory 1:N iris gallery, left and right eye per person.
 *
 * A search compares the probe's eyes with the same eyes of every person
 * (left with left, right with right) on worker threads, each over a
 * fixed slice of the gallery, and merges the slices' best candidates in
 * a fixed order: the same gallery and probe always give the same list.
 * The person's distance is the mean of the eyes both sides have, or the
 * one eye they share. Not thread-safe for adds during a search. */
#ifndef AFIS_IRIS_GALLERY_H
#define AFIS_IRIS_GALLERY_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-status.h"
#include "afis/afis-iris-code.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFIS_IRIS_GALLERY_MAX_PEOPLE 10000000
#define AFIS_IRIS_GALLERY_MAX_THREADS 64
#define AFIS_IRIS_GALLERY_MAX_CANDIDATES 100

typedef struct AfisIrisGallery AfisIrisGallery;

typedef struct {
  uint64_t person_id;
  double distance;   /* fused: mean of the eyes compared */
  double left;       /* 1.0 when not compared */
  double right;
  int eyes;          /* eyes compared: 1 or 2 */
} AfisIrisCandidate;

/* A gallery for up to @capacity people. */
AfisStatus afis_iris_gallery_new (size_t capacity, AfisIrisGallery **ret_gallery)
  __attribute__ ((warn_unused_result));
void afis_iris_gallery_free (AfisIrisGallery *gallery);
size_t afis_iris_gallery_count (const AfisIrisGallery *gallery);

/* Adds a person; either eye may be NULL, not both. Copies the templates. */
AfisStatus afis_iris_gallery_add (AfisIrisGallery *gallery, uint64_t person_id,
                                  const AfisIrisTemplate *left,
                                  const AfisIrisTemplate *right)
  __attribute__ ((warn_unused_result));

/* Searches with @left and/or @right on @threads workers (1..MAX_THREADS)
 * and writes the best @max candidates with distance <= @threshold,
 * nearest first (ties: earlier added first), into @ret_candidates;
 * their number into *@ret_count. */
AfisStatus afis_iris_gallery_search (const AfisIrisGallery *gallery,
                                     const AfisIrisTemplate *left,
                                     const AfisIrisTemplate *right,
                                     double threshold, int threads,
                                     AfisIrisCandidate *ret_candidates,
                                     size_t max, size_t *ret_count)
  __attribute__ ((warn_unused_result));

#ifdef __cplusplus
}
#endif

#endif
