/* afis iris: the 1:N gallery (see afis-iris-gallery.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-iris-gallery.h"
#include "iris-private.h"

#define HAS_LEFT 1
#define HAS_RIGHT 2

struct AfisIrisGallery {
  size_t capacity;
  size_t count;
  uint64_t *ids;
  uint8_t *eyes;            /* HAS_LEFT | HAS_RIGHT */
  /* code then mask words of each person's eye, 512 bytes, 64-aligned:
   * a search streams these arrays, so nothing else lives in them */
  uint64_t *left;
  uint64_t *right;
};

#define EYE_WORDS (2 * AFIS_IRIS_CODE_WORDS)

AfisStatus
afis_iris_gallery_new (size_t capacity, AfisIrisGallery **ret_gallery)
{
  AfisIrisGallery *g;
  size_t bytes;

  if (ret_gallery == NULL || capacity == 0 || capacity > AFIS_IRIS_GALLERY_MAX_PEOPLE)
    return AFIS_ERROR_INVALID_ARGUMENT;
  g = calloc (1, sizeof *g);
  if (g == NULL)
    return AFIS_ERROR_NO_MEMORY;
  bytes = capacity * EYE_WORDS * sizeof (uint64_t);
  bytes = (bytes + 63) / 64 * 64;
  g->capacity = capacity;
  g->ids = malloc (capacity * sizeof *g->ids);
  g->eyes = malloc (capacity);
  g->left = aligned_alloc (64, bytes);
  g->right = aligned_alloc (64, bytes);
  if (g->ids == NULL || g->eyes == NULL || g->left == NULL || g->right == NULL)
    {
      afis_iris_gallery_free (g);
      return AFIS_ERROR_NO_MEMORY;
    }
  *ret_gallery = g;
  return AFIS_OK;
}

void
afis_iris_gallery_free (AfisIrisGallery *g)
{
  if (g == NULL)
    return;
  free (g->ids);
  free (g->eyes);
  free (g->left);
  free (g->right);
  free (g);
}

size_t
afis_iris_gallery_count (const AfisIrisGallery *g)
{
  return g ? g->count : 0;
}

AfisStatus
afis_iris_gallery_add (AfisIrisGallery *g, uint64_t person_id,
                       const AfisIrisTemplate *left, const AfisIrisTemplate *right)
{
  size_t i;

  if (g == NULL || (left == NULL && right == NULL))
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (g->count == g->capacity)
    return AFIS_ERROR_CAPACITY;
  i = g->count++;
  g->ids[i] = person_id;
  g->eyes[i] = (uint8_t) ((left ? HAS_LEFT : 0) | (right ? HAS_RIGHT : 0));
  uint64_t *l = g->left + i * EYE_WORDS, *r = g->right + i * EYE_WORDS;
  memset (l, 0, EYE_WORDS * sizeof *l);
  memset (r, 0, EYE_WORDS * sizeof *r);
  if (left)
    {
      memcpy (l, left->code, sizeof left->code);
      memcpy (l + AFIS_IRIS_CODE_WORDS, left->mask, sizeof left->mask);
    }
  if (right)
    {
      memcpy (r, right->code, sizeof right->code);
      memcpy (r + AFIS_IRIS_CODE_WORDS, right->mask, sizeof right->mask);
    }
  return AFIS_OK;
}

typedef struct {
  const AfisIrisGallery *g;
  const AfisIrisProbe *left;   /* NULL: no such eye in the probe */
  const AfisIrisProbe *right;
  double threshold;
  size_t begin, end;
  size_t max;
  AfisIrisCandidate *best;     /* max slots, sorted */
  size_t *index;               /* gallery index of each best */
  size_t n;
} Slice;

/* Inserts into the slice's sorted list; ties keep gallery order because
 * the scan is in gallery order and equal distances go after. */
static void
slice_offer (Slice *s, const AfisIrisCandidate *c, size_t index)
{
  size_t pos = s->n;

  if (s->n == s->max && !(c->distance < s->best[s->n - 1].distance))
    return;
  while (pos > 0 && c->distance < s->best[pos - 1].distance)
    pos--;
  size_t last = s->n < s->max ? s->n : s->max - 1;
  for (size_t k = last; k > pos; k--)
    {
      s->best[k] = s->best[k - 1];
      s->index[k] = s->index[k - 1];
    }
  s->best[pos] = *c;
  s->index[pos] = index;
  if (s->n < s->max)
    s->n++;
}

static void *
slice_run (void *data)
{
  Slice *s = data;
  const AfisIrisGallery *g = s->g;

  for (size_t i = s->begin; i < s->end; i++)
    {
      AfisIrisCandidate c;
      double sum = 0;
      c.eyes = 0;
      c.left = c.right = 1.0;
      if (s->left && (g->eyes[i] & HAS_LEFT))
        {
          const uint64_t *e = g->left + i * EYE_WORDS;
          c.left = iris_probe_compare_words (s->left, e, e + AFIS_IRIS_CODE_WORDS);
          sum += c.left;
          c.eyes++;
        }
      if (s->right && (g->eyes[i] & HAS_RIGHT))
        {
          const uint64_t *e = g->right + i * EYE_WORDS;
          c.right = iris_probe_compare_words (s->right, e, e + AFIS_IRIS_CODE_WORDS);
          sum += c.right;
          c.eyes++;
        }
      if (c.eyes == 0)
        continue;
      c.distance = sum / c.eyes;
      if (c.distance > s->threshold)
        continue;
      c.person_id = g->ids[i];
      slice_offer (s, &c, i);
    }
  return NULL;
}

AfisStatus
afis_iris_gallery_search (const AfisIrisGallery *g, const AfisIrisTemplate *left,
                          const AfisIrisTemplate *right, double threshold,
                          int threads, AfisIrisCandidate *ret_candidates,
                          size_t max, size_t *ret_count)
{
  AfisIrisProbe *probes;
  Slice slices[AFIS_IRIS_GALLERY_MAX_THREADS];
  pthread_t tids[AFIS_IRIS_GALLERY_MAX_THREADS];
  AfisIrisCandidate *all;
  size_t *all_index;
  AfisStatus status = AFIS_OK;
  int started = 0;
  size_t n_out = 0;

  if (g == NULL || (left == NULL && right == NULL) || ret_candidates == NULL
      || ret_count == NULL || max == 0 || max > AFIS_IRIS_GALLERY_MAX_CANDIDATES
      || threads < 1 || threads > AFIS_IRIS_GALLERY_MAX_THREADS)
    return AFIS_ERROR_INVALID_ARGUMENT;
  probes = aligned_alloc (64, 2 * sizeof *probes);
  all = malloc ((size_t) threads * max * sizeof *all);
  all_index = malloc ((size_t) threads * max * sizeof *all_index);
  if (probes == NULL || all == NULL || all_index == NULL)
    {
      free (probes);
      free (all);
      free (all_index);
      return AFIS_ERROR_NO_MEMORY;
    }
  if ((left && afis_iris_probe_prepare (left, &probes[0]) != AFIS_OK)
      || (right && afis_iris_probe_prepare (right, &probes[1]) != AFIS_OK))
    status = AFIS_ERROR_INVALID_ARGUMENT;
  for (int t = 0; t < threads && status == AFIS_OK; t++)
    {
      Slice *s = &slices[t];
      s->g = g;
      s->left = left ? &probes[0] : NULL;
      s->right = right ? &probes[1] : NULL;
      s->threshold = threshold;
      s->begin = g->count * (size_t) t / (size_t) threads;
      s->end = g->count * (size_t) (t + 1) / (size_t) threads;
      s->max = max;
      s->best = all + (size_t) t * max;
      s->index = all_index + (size_t) t * max;
      s->n = 0;
    }
  /* slice 0 runs on the calling thread */
  for (int t = 1; t < threads && status == AFIS_OK; t++)
    {
      if (pthread_create (&tids[t], NULL, slice_run, &slices[t]) != 0)
        {
          status = AFIS_ERROR_THREAD;
          break;
        }
      started = t;
    }
  if (status == AFIS_OK)
    slice_run (&slices[0]);
  for (int t = 1; t <= started; t++)
    pthread_join (tids[t], NULL);
  if (status == AFIS_OK)
    {
      /* merge: smallest distance, then smallest gallery index */
      size_t head[AFIS_IRIS_GALLERY_MAX_THREADS] = { 0 };
      while (n_out < max)
        {
          int pick = -1;
          for (int t = 0; t < threads; t++)
            {
              if (head[t] >= slices[t].n)
                continue;
              if (pick < 0)
                {
                  pick = t;
                  continue;
                }
              const AfisIrisCandidate *a = &slices[t].best[head[t]];
              const AfisIrisCandidate *b = &slices[pick].best[head[pick]];
              if (a->distance < b->distance
                  || (a->distance == b->distance
                      && slices[t].index[head[t]] < slices[pick].index[head[pick]]))
                pick = t;
            }
          if (pick < 0)
            break;
          ret_candidates[n_out++] = slices[pick].best[head[pick]++];
        }
      *ret_count = n_out;
    }
  free (probes);
  free (all);
  free (all_index);
  return status;
}
