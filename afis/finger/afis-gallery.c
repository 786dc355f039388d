/* afis: the in-memory 1:N gallery (see afis-gallery.h).
 *
 * People live in a dense array with an open-addressing hash from id to
 * index; each finger position has its own dense template array with the
 * owner's index beside it. Removal swaps the last element into the hole
 * (in both arrays), so add and remove are O(1) and arrays stay dense for
 * streaming search. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-gallery.h"

#define HASH_EMPTY (-1)
#define HASH_TOMBSTONE (-2)
#define SAVE_MAGIC "AFGL"
#define SAVE_VERSION 1u
#define SAVE_ENDIAN 0x01020304u

typedef struct {
  char id[AFIS_GALLERY_ID_SIZE];
  int32_t slot[AFIS_GALLERY_FINGERS]; /* index in the finger array, or -1 */
} Person;

typedef struct {
  AfisSearchTemplate *templates;
  uint32_t *owner;
  size_t count;
  size_t capacity;
} FingerArray;

struct AfisGallery {
  Person *people;
  size_t count;
  size_t capacity;
  FingerArray fingers[AFIS_GALLERY_FINGERS];
  int32_t *hash;
  size_t hash_capacity; /* power of two */
  size_t hash_used;     /* live entries + tombstones */
};

static uint64_t
id_hash (const char *id)
{
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < AFIS_GALLERY_ID_SIZE && id[i]; i++)
    h = (h ^ (uint8_t) id[i]) * 1099511628211ull;
  return h;
}

/* Index into hash[] of @id's entry, or of the first free slot for it. */
static size_t
hash_find (const AfisGallery *g, const char *id, int *ret_found)
{
  size_t mask = g->hash_capacity - 1, i = id_hash (id) & mask, free_slot = (size_t) -1;
  for (;;)
    {
      int32_t v = g->hash[i];
      if (v == HASH_EMPTY)
        {
          *ret_found = 0;
          return free_slot != (size_t) -1 ? free_slot : i;
        }
      if (v == HASH_TOMBSTONE)
        {
          if (free_slot == (size_t) -1)
            free_slot = i;
        }
      else if (strncmp (g->people[v].id, id, AFIS_GALLERY_ID_SIZE) == 0)
        {
          *ret_found = 1;
          return i;
        }
      i = (i + 1) & mask;
    }
}

static int
hash_grow (AfisGallery *g)
{
  size_t capacity = g->hash_capacity ? g->hash_capacity * 2 : 1024;
  while (capacity < 2 * (g->count + 1))
    capacity *= 2;
  int32_t *table = malloc (capacity * sizeof (int32_t));
  if (table == NULL)
    return -1;
  for (size_t i = 0; i < capacity; i++)
    table[i] = HASH_EMPTY;
  free (g->hash);
  g->hash = table;
  g->hash_capacity = capacity;
  g->hash_used = 0;
  for (size_t p = 0; p < g->count; p++)
    {
      int found;
      size_t at = hash_find (g, g->people[p].id, &found);
      g->hash[at] = (int32_t) p;
      g->hash_used++;
    }
  return 0;
}

AfisStatus
afis_gallery_new (AfisGallery **ret_gallery)
{
  if (ret_gallery == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  AfisGallery *g = calloc (1, sizeof *g);
  if (g == NULL || hash_grow (g) < 0)
    {
      free (g);
      return AFIS_ERROR_NO_MEMORY;
    }
  *ret_gallery = g;
  return AFIS_OK;
}

void
afis_gallery_free (AfisGallery *g)
{
  if (g == NULL)
    return;
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    {
      free (g->fingers[f].templates);
      free (g->fingers[f].owner);
    }
  free (g->people);
  free (g->hash);
  free (g);
}

size_t
afis_gallery_person_count (const AfisGallery *g)
{
  return g ? g->count : 0;
}

size_t
afis_gallery_template_count (const AfisGallery *g)
{
  size_t n = 0;
  for (int f = 0; g && f < AFIS_GALLERY_FINGERS; f++)
    n += g->fingers[f].count;
  return n;
}

size_t
afis_gallery_bytes_per_template (void)
{
  return sizeof (AfisSearchTemplate) + sizeof (uint32_t);
}

static int
valid_id (const char *id)
{
  if (id == NULL || id[0] == '\0')
    return 0;
  return memchr (id, '\0', AFIS_GALLERY_ID_SIZE) != NULL;
}

static int
valid_template (const AfisSearchTemplate *t)
{
  if (t->count > AFIS_SEARCH_MAX_MINUTIAE)
    return 0;
  uint32_t bits = 0;
  for (int w = 0; w < AFIS_SEARCH_FILTER_WORDS; w++)
    bits += (uint32_t) __builtin_popcountll (t->filter[w]);
  return bits == t->filter_bits;
}

static int
finger_reserve (FingerArray *a)
{
  if (a->count < a->capacity)
    return 0;
  size_t capacity = a->capacity ? a->capacity * 2 : 64;
  AfisSearchTemplate *t = realloc (a->templates, capacity * sizeof *t);
  if (t == NULL)
    return -1;
  a->templates = t;
  uint32_t *o = realloc (a->owner, capacity * sizeof *o);
  if (o == NULL)
    return -1;
  a->owner = o;
  a->capacity = capacity;
  return 0;
}

AfisStatus
afis_gallery_remove (AfisGallery *g, const char *id)
{
  if (g == NULL || !valid_id (id))
    return AFIS_ERROR_INVALID_ARGUMENT;
  int found;
  size_t at = hash_find (g, id, &found);
  if (!found)
    return AFIS_ERROR_NOT_FOUND;
  size_t p = (size_t) g->hash[at];
  g->hash[at] = HASH_TOMBSTONE;
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    {
      int32_t s = g->people[p].slot[f];
      if (s < 0)
        continue;
      FingerArray *a = &g->fingers[f];
      size_t last = a->count - 1;
      if ((size_t) s != last)
        {
          a->templates[s] = a->templates[last];
          a->owner[s] = a->owner[last];
          g->people[a->owner[s]].slot[f] = s;
        }
      a->count--;
    }
  size_t last = g->count - 1;
  if (p != last)
    {
      g->people[p] = g->people[last];
      for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
        if (g->people[p].slot[f] >= 0)
          g->fingers[f].owner[g->people[p].slot[f]] = (uint32_t) p;
      size_t moved = hash_find (g, g->people[p].id, &found);
      g->hash[moved] = (int32_t) p;
    }
  g->count--;
  return AFIS_OK;
}

AfisStatus
afis_gallery_add (AfisGallery *g, const char *id, const AfisProbe *fingers)
{
  if (g == NULL || fingers == NULL || !valid_id (id))
    return AFIS_ERROR_INVALID_ARGUMENT;
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    if (fingers->fingers[f] != NULL && !valid_template (fingers->fingers[f]))
      return AFIS_ERROR_INVALID_ARGUMENT;
  int found;
  hash_find (g, id, &found);
  if (found)
    {
      AfisStatus status = afis_gallery_remove (g, id);
      if (status != AFIS_OK)
        return status;
    }
  if (g->count >= AFIS_GALLERY_MAX_PEOPLE)
    return AFIS_ERROR_CAPACITY;
  if ((g->hash_used + 1) * 2 > g->hash_capacity && hash_grow (g) < 0)
    return AFIS_ERROR_NO_MEMORY;
  if (g->count == g->capacity)
    {
      size_t capacity = g->capacity ? g->capacity * 2 : 64;
      Person *people = realloc (g->people, capacity * sizeof *people);
      if (people == NULL)
        return AFIS_ERROR_NO_MEMORY;
      g->people = people;
      g->capacity = capacity;
    }
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    if (fingers->fingers[f] != NULL && finger_reserve (&g->fingers[f]) < 0)
      return AFIS_ERROR_NO_MEMORY;
  size_t p = g->count++;
  Person *person = &g->people[p];
  memset (person->id, 0, sizeof person->id);
  strncpy (person->id, id, AFIS_GALLERY_ID_SIZE - 1);
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    {
      person->slot[f] = -1;
      if (fingers->fingers[f] == NULL)
        continue;
      FingerArray *a = &g->fingers[f];
      a->templates[a->count] = *fingers->fingers[f];
      a->owner[a->count] = (uint32_t) p;
      person->slot[f] = (int32_t) a->count++;
    }
  size_t at = hash_find (g, person->id, &found);
  if (g->hash[at] == HASH_EMPTY)
    g->hash_used++;
  g->hash[at] = (int32_t) p;
  return AFIS_OK;
}

/* ---- search ---- */

typedef struct {
  uint32_t person;
  uint32_t value;
} Ranked;

typedef struct {
  const AfisGallery *gallery;
  const AfisProbe *probe;
  int index;
  int threads;
  uint16_t *filter_scores[AFIS_GALLERY_FINGERS];
  uint32_t *person_scores;
  /* stage 2 */
  const Ranked *shortlist;
  size_t shortlist_count;
  AfisCandidate *results;
} Job;

static void *
stage_filter (void *data)
{
  Job *job = data;
  const AfisGallery *g = job->gallery;
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    {
      const AfisSearchTemplate *probe = job->probe->fingers[f];
      if (probe == NULL)
        continue;
      const FingerArray *a = &g->fingers[f];
      size_t begin = a->count * (size_t) job->index / (size_t) job->threads;
      size_t end = a->count * (size_t) (job->index + 1) / (size_t) job->threads;
      for (size_t t = begin; t < end; t++)
        job->filter_scores[f][t] = (uint16_t) afis_finger_prefilter (probe, &a->templates[t]);
    }
  return NULL;
}

static void *
stage_sum (void *data)
{
  Job *job = data;
  const AfisGallery *g = job->gallery;
  size_t begin = g->count * (size_t) job->index / (size_t) job->threads;
  size_t end = g->count * (size_t) (job->index + 1) / (size_t) job->threads;
  for (size_t p = begin; p < end; p++)
    {
      uint32_t sum = 0;
      for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
        {
          int32_t s = g->people[p].slot[f];
          if (s >= 0 && job->probe->fingers[f] != NULL)
            sum += job->filter_scores[f][s];
        }
      job->person_scores[p] = sum;
    }
  return NULL;
}

static void *
stage_match (void *data)
{
  Job *job = data;
  const AfisGallery *g = job->gallery;
  for (size_t k = (size_t) job->index; k < job->shortlist_count; k += (size_t) job->threads)
    {
      const Person *person = &g->people[job->shortlist[k].person];
      AfisCandidate *c = &job->results[k];
      memcpy (c->id, person->id, AFIS_GALLERY_ID_SIZE);
      c->score = 0;
      for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
        {
          c->finger_scores[f] = -1;
          if (person->slot[f] < 0 || job->probe->fingers[f] == NULL)
            continue;
          int s = afis_finger_score (job->probe->fingers[f],
                                     &g->fingers[f].templates[person->slot[f]]);
          c->finger_scores[f] = s;
          c->score += s > AFIS_GALLERY_SCORE_FLOOR ? s - AFIS_GALLERY_SCORE_FLOOR : 0;
        }
    }
  return NULL;
}

static int
compare_ranked (const void *a, const void *b, const AfisGallery *g)
{
  const Ranked *ra = a, *rb = b;
  if (ra->value != rb->value)
    return ra->value > rb->value ? -1 : 1;
  return strncmp (g->people[ra->person].id, g->people[rb->person].id, AFIS_GALLERY_ID_SIZE);
}

static int
plain_sum (const AfisCandidate *c)
{
  int sum = 0;
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    sum += c->finger_scores[f] > 0 ? c->finger_scores[f] : 0;
  return sum;
}

static int
compare_candidate (const void *a, const void *b)
{
  const AfisCandidate *ca = a, *cb = b;
  if (ca->score != cb->score)
    return ca->score > cb->score ? -1 : 1;
  int sa = plain_sum (ca), sb = plain_sum (cb);
  if (sa != sb)
    return sa > sb ? -1 : 1;
  return strncmp (ca->id, cb->id, AFIS_GALLERY_ID_SIZE);
}

/* Keeps the @k best of @n people (value desc, id asc) in @out, sorted. A
 * simple insertion into a sorted array: k is small (hundreds). */
static size_t
select_best (const AfisGallery *g, const uint32_t *values, size_t n, Ranked *out, size_t k)
{
  size_t kept = 0;
  for (size_t p = 0; p < n; p++)
    {
      Ranked r = { (uint32_t) p, values[p] };
      if (kept == k && compare_ranked (&r, &out[k - 1], g) >= 0)
        continue;
      size_t at = kept < k ? kept++ : k - 1;
      while (at > 0 && compare_ranked (&r, &out[at - 1], g) < 0)
        {
          out[at] = out[at - 1];
          at--;
        }
      out[at] = r;
    }
  return kept;
}

static int
run_threads (Job *jobs, int threads, void *(*fn) (void *))
{
  pthread_t ids[AFIS_GALLERY_MAX_THREADS];
  int started = 0, failed = 0;
  for (int t = 1; t < threads; t++)
    {
      if (pthread_create (&ids[t], NULL, fn, &jobs[t]) != 0)
        {
          failed = 1;
          break;
        }
      started = t;
    }
  fn (&jobs[0]);
  for (int t = 1; t <= started; t++)
    pthread_join (ids[t], NULL);
  /* a thread that could not start: do its share here */
  if (failed)
    for (int t = started + 1; t < threads; t++)
      fn (&jobs[t]);
  return 0;
}

AfisStatus
afis_gallery_search (const AfisGallery *g, const AfisProbe *probe, const AfisSearchOptions *options,
                     AfisCandidate *ret_candidates, size_t max, size_t *ret_count)
{
  if (g == NULL || probe == NULL || options == NULL || ret_candidates == NULL || ret_count == NULL
      || options->threads < 1 || options->threads > AFIS_GALLERY_MAX_THREADS
      || options->shortlist < 1)
    return AFIS_ERROR_INVALID_ARGUMENT;
  int any = 0;
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    if (probe->fingers[f] != NULL)
      {
        if (!valid_template (probe->fingers[f]))
          return AFIS_ERROR_INVALID_ARGUMENT;
        any = 1;
      }
  if (!any || g->count == 0)
    {
      *ret_count = 0;
      return AFIS_OK;
    }
  int threads = options->threads;
  Job jobs[AFIS_GALLERY_MAX_THREADS];
  uint16_t *filter_scores[AFIS_GALLERY_FINGERS] = { NULL };
  uint32_t *person_scores = malloc (g->count * sizeof (uint32_t));
  size_t shortlist_max = (size_t) options->shortlist < g->count ? (size_t) options->shortlist : g->count;
  Ranked *shortlist = malloc (shortlist_max * sizeof (Ranked));
  AfisCandidate *results = malloc (shortlist_max * sizeof (AfisCandidate));
  AfisStatus status = AFIS_ERROR_NO_MEMORY;
  if (person_scores == NULL || shortlist == NULL || results == NULL)
    goto done;
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    if (probe->fingers[f] != NULL && g->fingers[f].count > 0)
      {
        filter_scores[f] = malloc (g->fingers[f].count * sizeof (uint16_t));
        if (filter_scores[f] == NULL)
          goto done;
      }
  for (int t = 0; t < threads; t++)
    {
      memset (&jobs[t], 0, sizeof jobs[t]);
      jobs[t].gallery = g;
      jobs[t].probe = probe;
      jobs[t].index = t;
      jobs[t].threads = threads;
      memcpy (jobs[t].filter_scores, filter_scores, sizeof filter_scores);
      jobs[t].person_scores = person_scores;
    }
  run_threads (jobs, threads, stage_filter);
  run_threads (jobs, threads, stage_sum);
  size_t shortlisted = select_best (g, person_scores, g->count, shortlist, shortlist_max);
  for (int t = 0; t < threads; t++)
    {
      jobs[t].shortlist = shortlist;
      jobs[t].shortlist_count = shortlisted;
      jobs[t].results = results;
    }
  run_threads (jobs, threads, stage_match);
  qsort (results, shortlisted, sizeof (AfisCandidate), compare_candidate);
  size_t n = shortlisted < max ? shortlisted : max;
  memcpy (ret_candidates, results, n * sizeof (AfisCandidate));
  *ret_count = n;
  status = AFIS_OK;
done:
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    free (filter_scores[f]);
  free (person_scores);
  free (shortlist);
  free (results);
  return status;
}

/* ---- save / load ----
 * "AFGL", version, endian marker, template size (all u32), people (u64),
 * then per person: id (32 bytes), finger mask (u32), and one raw search
 * template per set bit, in position order. */

#define SAVE_HEADER 24
#define SAVE_PERSON (AFIS_GALLERY_ID_SIZE + 4)

size_t
afis_gallery_saved_size (const AfisGallery *g)
{
  if (g == NULL)
    return 0;
  return SAVE_HEADER + g->count * SAVE_PERSON
         + afis_gallery_template_count (g) * sizeof (AfisSearchTemplate);
}

static void
put32 (uint8_t *p, uint32_t v)
{
  memcpy (p, &v, 4);
}

static uint32_t
get32 (const uint8_t *p)
{
  uint32_t v;
  memcpy (&v, p, 4);
  return v;
}

AfisStatus
afis_gallery_save (const AfisGallery *g, uint8_t *buffer, size_t size, size_t *ret_length)
{
  if (g == NULL || buffer == NULL || ret_length == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  size_t need = afis_gallery_saved_size (g);
  if (size < need)
    return AFIS_ERROR_BUFFER_TOO_SMALL;
  uint8_t *p = buffer;
  memcpy (p, SAVE_MAGIC, 4);
  put32 (p + 4, SAVE_VERSION);
  put32 (p + 8, SAVE_ENDIAN);
  put32 (p + 12, (uint32_t) sizeof (AfisSearchTemplate));
  uint64_t people = g->count;
  memcpy (p + 16, &people, 8);
  p += SAVE_HEADER;
  for (size_t i = 0; i < g->count; i++)
    {
      const Person *person = &g->people[i];
      memcpy (p, person->id, AFIS_GALLERY_ID_SIZE);
      uint32_t mask = 0;
      for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
        if (person->slot[f] >= 0)
          mask |= 1u << f;
      put32 (p + AFIS_GALLERY_ID_SIZE, mask);
      p += SAVE_PERSON;
      for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
        if (person->slot[f] >= 0)
          {
            memcpy (p, &g->fingers[f].templates[person->slot[f]], sizeof (AfisSearchTemplate));
            p += sizeof (AfisSearchTemplate);
          }
    }
  *ret_length = need;
  return AFIS_OK;
}

AfisStatus
afis_gallery_load (const uint8_t *data, size_t size, AfisGallery **ret_gallery)
{
  if (data == NULL || ret_gallery == NULL)
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (size < SAVE_HEADER || memcmp (data, SAVE_MAGIC, 4) != 0)
    return AFIS_ERROR_MALFORMED_RECORD;
  if (get32 (data + 4) != SAVE_VERSION || get32 (data + 8) != SAVE_ENDIAN
      || get32 (data + 12) != sizeof (AfisSearchTemplate))
    return AFIS_ERROR_UNSUPPORTED;
  uint64_t people;
  memcpy (&people, data + 16, 8);
  if (people > AFIS_GALLERY_MAX_PEOPLE || people > (size - SAVE_HEADER) / SAVE_PERSON)
    return AFIS_ERROR_MALFORMED_RECORD;
  AfisGallery *g;
  AfisStatus status = afis_gallery_new (&g);
  if (status != AFIS_OK)
    return status;
  /* size everything up front: one allocation per array */
  g->people = malloc ((people ? people : 1) * sizeof (Person));
  g->capacity = people ? people : 1;
  if (g->people == NULL)
    {
      afis_gallery_free (g);
      return AFIS_ERROR_NO_MEMORY;
    }
  size_t counts[AFIS_GALLERY_FINGERS] = { 0 };
  size_t at = SAVE_HEADER;
  for (uint64_t i = 0; i < people; i++)
    {
      if (size - at < SAVE_PERSON)
        goto malformed;
      uint32_t mask = get32 (data + at + AFIS_GALLERY_ID_SIZE);
      if (mask >> AFIS_GALLERY_FINGERS)
        goto malformed;
      at += SAVE_PERSON;
      for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
        if (mask >> f & 1)
          {
            if (size - at < sizeof (AfisSearchTemplate))
              goto malformed;
            counts[f]++;
            at += sizeof (AfisSearchTemplate);
          }
    }
  if (at != size)
    goto malformed;
  for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
    {
      FingerArray *a = &g->fingers[f];
      a->capacity = counts[f] ? counts[f] : 1;
      a->templates = malloc (a->capacity * sizeof (AfisSearchTemplate));
      a->owner = malloc (a->capacity * sizeof (uint32_t));
      if (a->templates == NULL || a->owner == NULL)
        {
          afis_gallery_free (g);
          return AFIS_ERROR_NO_MEMORY;
        }
    }
  g->count = 0;
  if (hash_grow (g) < 0)
    {
      afis_gallery_free (g);
      return AFIS_ERROR_NO_MEMORY;
    }
  at = SAVE_HEADER;
  for (uint64_t i = 0; i < people; i++)
    {
      char id[AFIS_GALLERY_ID_SIZE];
      memcpy (id, data + at, AFIS_GALLERY_ID_SIZE);
      uint32_t mask = get32 (data + at + AFIS_GALLERY_ID_SIZE);
      at += SAVE_PERSON;
      int found;
      if (!valid_id (id))
        goto malformed;
      hash_find (g, id, &found);
      if (found)
        goto malformed; /* duplicate id */
      if ((g->hash_used + 1) * 2 > g->hash_capacity && hash_grow (g) < 0)
        {
          afis_gallery_free (g);
          return AFIS_ERROR_NO_MEMORY;
        }
      size_t p = g->count++;
      Person *person = &g->people[p];
      memcpy (person->id, id, AFIS_GALLERY_ID_SIZE);
      for (int f = 0; f < AFIS_GALLERY_FINGERS; f++)
        {
          person->slot[f] = -1;
          if (!(mask >> f & 1))
            continue;
          FingerArray *a = &g->fingers[f];
          memcpy (&a->templates[a->count], data + at, sizeof (AfisSearchTemplate));
          at += sizeof (AfisSearchTemplate);
          if (!valid_template (&a->templates[a->count]))
            goto malformed;
          a->owner[a->count] = (uint32_t) p;
          person->slot[f] = (int32_t) a->count++;
        }
      size_t slot = hash_find (g, person->id, &found);
      g->hash[slot] = (int32_t) p;
      g->hash_used++;
    }
  *ret_gallery = g;
  return AFIS_OK;
malformed:
  afis_gallery_free (g);
  return AFIS_ERROR_MALFORMED_RECORD;
}
