/* afis: search templates and the 1:1 matcher.
 *
 * An "edge" joins two minutiae less than EDGE_MAX apart; its length and
 * the two bearings (direction of the edge relative to each minutia's own
 * angle) do not change when the print is rotated or moved, and change
 * little when skin stretches, because an edge is short.
 *  1. roots: every edge of one template is looked up among similar edges
 *     of the other (a grid on length and first bearing); each agreement
 *     votes for the pair of minutiae at its start.
 *  2. growth: from each of the best-voted pairs, matching spreads along
 *     agreeing edges, always taking the closest agreement first (a
 *     best-first search, as SourceAFIS does). Only neighbouring edges are
 *     compared, so distortion that accumulates across the print does not
 *     break the match, unlike one global rigid alignment.
 *  3. score: how many edges between the paired minutiae agree on both
 *     sides, against the minutiae each side shows in the common area (so
 *     a partial print is not punished for what the other never saw). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "afis-finger-private.h"

#define EDGE_MIN 6         /* px: closer pairs are too unstable to describe */
#define EDGE_MAX 120       /* px: beyond this, skin distortion dominates */
#define TOL_ANGLE 12       /* 1/256 turn: ~17 degrees */
#define ANCHORS 10         /* best-voted root pairs to grow from */
#define HEAP_MAX 1024
#define TOL_ROTATION 20    /* a pair may turn ~28 degrees from the root's */
#define FRAME_BASE 8.0f    /* px a pair may sit from where the root puts it ... */
#define FRAME_SLOPE 0.06f  /* ... plus this per px of distance from the root */
#define CELL_D 4           /* root-search cells: 4 px of length ... */
#define CELL_A 32          /* ... by 1/8 turn of the first bearing */
#define CELL_B 32          /* ... by 1/8 turn of the second bearing */
#define CELLS ((EDGE_MAX / CELL_D + 1) * (256 / CELL_A) * (256 / CELL_B))
#define CELL_OF(l, a1, a2) (((l) * (256 / CELL_A) + (a1)) * (256 / CELL_B) + (a2))

static inline int
angle_delta (int a, int b)
{
  return (int) (int8_t) (uint8_t) (a - b);
}

static inline uint8_t
angle_of (float dx, float dy)
{
  int units = (int) lroundf (atan2f (dy, dx) * 256.0f / (2.0f * AFIS_PI));
  return (uint8_t) (units & 255);
}

typedef struct {
  int index;
  uint8_t quality;
} Order;

static int
compare_order (const void *a, const void *b)
{
  const Order *oa = a, *ob = b;
  if (oa->quality != ob->quality)
    return ob->quality - oa->quality;
  return oa->index - ob->index;
}

/* Filter bits: each minutia with two of its nearest neighbours forms a
 * triplet whose shape (both distances, both bearings, both turns,
 * quantised coarsely) does not change with rotation or translation; the
 * triplet hashes to one bit of a 2048-bit set. Pairs alone are too few
 * distinct shapes (every print has most of them); triplets are specific
 * enough that two prints share many bits only when they share many
 * minutiae. */
#define FILTER_NEIGHBOURS 4

static void
filter_build (AfisSearchTemplate *t)
{
  memset (t->filter, 0, sizeof t->filter);
  for (int i = 0; i < t->count; i++)
    {
      const AfisSearchMinutia *mi = &t->minutiae[i];
      int near[FILTER_NEIGHBOURS], near_d[FILTER_NEIGHBOURS], found = 0;
      for (int j = 0; j < t->count; j++)
        {
          if (j == i)
            continue;
          int dx = t->minutiae[j].x - mi->x, dy = t->minutiae[j].y - mi->y;
          int d = dx * dx + dy * dy;
          if (d < 10 * 10 || d > 100 * 100)
            continue;
          int k;
          if (found < FILTER_NEIGHBOURS)
            k = found++;
          else if (d < near_d[FILTER_NEIGHBOURS - 1])
            k = FILTER_NEIGHBOURS - 1;
          else
            continue;
          while (k > 0 && near_d[k - 1] > d)
            {
              near_d[k] = near_d[k - 1];
              near[k] = near[k - 1];
              k--;
            }
          near_d[k] = d;
          near[k] = j;
        }
      int dq[FILTER_NEIGHBOURS], bq[FILTER_NEIGHBOURS], tq[FILTER_NEIGHBOURS];
      for (int k = 0; k < found; k++)
        {
          const AfisSearchMinutia *mj = &t->minutiae[near[k]];
          float dx = (float) mj->x - mi->x, dy = (float) mj->y - mi->y;
          dq[k] = (int) (sqrtf ((float) near_d[k]) / 10.0f);
          bq[k] = (uint8_t) (angle_of (dx, dy) - mi->angle) / 32;
          tq[k] = (uint8_t) (mj->angle - mi->angle) / 32;
        }
      for (int k = 0; k < found; k++)
        for (int l = k + 1; l < found; l++)
          {
            uint32_t key = (uint32_t) (((((dq[k] * 11 + dq[l]) * 8 + bq[k]) * 8 + bq[l]) * 8 + tq[k]) * 8 + tq[l]);
            key = (key * 2654435761u) >> (32 - 11);
            t->filter[key >> 6] |= 1ull << (key & 63);
          }
    }
  uint32_t bits = 0;
  for (int w = 0; w < AFIS_SEARCH_FILTER_WORDS; w++)
    bits += (uint32_t) __builtin_popcountll (t->filter[w]);
  t->filter_bits = bits;
}

AfisStatus
afis_search_template_build (const AfisFingerprint *print, AfisSearchTemplate *ret_template)
{
  if (print == NULL || ret_template == NULL || print->count > AFIS_FINGER_MAX_MINUTIAE)
    return AFIS_ERROR_INVALID_ARGUMENT;
  AfisSearchTemplate t;
  memset (&t, 0, sizeof t);
  Order order[AFIS_FINGER_MAX_MINUTIAE];
  for (int i = 0; i < print->count; i++)
    {
      order[i].index = i;
      order[i].quality = print->minutiae[i].quality;
    }
  qsort (order, print->count, sizeof (Order), compare_order);
  int n = print->count < AFIS_SEARCH_MAX_MINUTIAE ? print->count : AFIS_SEARCH_MAX_MINUTIAE;
  for (int i = 0; i < n; i++)
    {
      const AfisMinutia *m = &print->minutiae[order[i].index];
      t.minutiae[i].x = m->x;
      t.minutiae[i].y = m->y;
      t.minutiae[i].angle = (uint8_t) (256 - m->angle);
      t.minutiae[i].type = m->type;
    }
  t.count = (uint8_t) n;
  t.quality = print->quality;
  filter_build (&t);
  memcpy (ret_template, &t, sizeof t);
  return AFIS_OK;
}

int
afis_finger_prefilter (const AfisSearchTemplate *probe, const AfisSearchTemplate *candidate)
{
  uint32_t common = 0;
  for (int w = 0; w < AFIS_SEARCH_FILTER_WORDS; w++)
    common += (uint32_t) __builtin_popcountll (probe->filter[w] & candidate->filter[w]);
  /* shared bits beyond what two random sets of these sizes would share */
  uint32_t chance = probe->filter_bits * candidate->filter_bits / (64u * AFIS_SEARCH_FILTER_WORDS);
  uint32_t smaller = probe->filter_bits < candidate->filter_bits ? probe->filter_bits
                                                                 : candidate->filter_bits;
  if (smaller == 0 || common <= chance)
    return 0;
  return (int) ((common - chance) * 1000u / smaller);
}

typedef struct {
  uint8_t to;     /* other minutia */
  uint8_t length; /* px */
  uint8_t b1;     /* edge direction relative to the start minutia */
  uint8_t b2;     /* edge direction relative to the end minutia */
} Edge;

typedef struct {
  int count;
  uint16_t start[AFIS_SEARCH_MAX_MINUTIAE + 1];
  Edge edges[AFIS_SEARCH_MAX_MINUTIAE * (AFIS_SEARCH_MAX_MINUTIAE - 1)];
} EdgeTable;

/* atan2 in 1/256 turn from a polynomial (max error ~0.1 degree): exact
 * enough for 1.4-degree units and several times faster than atan2f. */
static inline int
fast_angle (float dx, float dy)
{
  float ax = fabsf (dx), ay = fabsf (dy);
  float mx = ax > ay ? ax : ay, mn = ax > ay ? ay : ax;
  if (mx == 0.0f)
    return 0;
  float a = mn / mx, s = a * a;
  float r = ((-0.0464964749f * s + 0.15931422f) * s - 0.327622764f) * s * a + a;
  if (ay > ax)
    r = 1.57079637f - r;
  if (dx < 0)
    r = 3.14159274f - r;
  if (dy < 0)
    r = -r;
  return (int) lrintf (r * (256.0f / (2.0f * AFIS_PI))) & 255;
}

static void
edges_build (const AfisSearchTemplate *t, EdgeTable *table)
{
  int n = t->count, e = 0;
  table->count = n;
  for (int i = 0; i < n; i++)
    {
      table->start[i] = (uint16_t) e;
      const AfisSearchMinutia *mi = &t->minutiae[i];
      for (int j = 0; j < n; j++)
        {
          if (j == i)
            continue;
          const AfisSearchMinutia *mj = &t->minutiae[j];
          int dx = mj->x - mi->x, dy = mj->y - mi->y;
          int d2 = dx * dx + dy * dy;
          if (d2 < EDGE_MIN * EDGE_MIN || d2 > EDGE_MAX * EDGE_MAX)
            continue;
          int dir = fast_angle ((float) dx, (float) dy);
          Edge *edge = &table->edges[e++];
          edge->to = (uint8_t) j;
          edge->length = (uint8_t) lrintf (sqrtf ((float) d2));
          edge->b1 = (uint8_t) (dir - mi->angle);
          edge->b2 = (uint8_t) (dir - mj->angle);
        }
      /* sorted by length, so edge lists can be merged with a window */
      for (int k = table->start[i] + 1; k < e; k++)
        {
          Edge tmp = table->edges[k];
          int m = k;
          while (m > table->start[i] && table->edges[m - 1].length > tmp.length)
            {
              table->edges[m] = table->edges[m - 1];
              m--;
            }
          table->edges[m] = tmp;
        }
    }
  table->start[n] = (uint16_t) e;
}

static inline int
length_tolerance (int length)
{
  return 3 + length / 12;
}

/* 0 when the edges do not agree, else a closeness rank (lower = closer) */
static inline int
edge_error (const Edge *a, const Edge *b)
{
  int dl = abs ((int) a->length - (int) b->length);
  if (dl > length_tolerance (a->length))
    return 0;
  int d1 = abs (angle_delta (a->b1, b->b1));
  if (d1 > TOL_ANGLE)
    return 0;
  int d2 = abs (angle_delta (a->b2, b->b2));
  if (d2 > TOL_ANGLE)
    return 0;
  return 1 + dl * 4 + d1 + d2;
}

typedef struct {
  int error;
  uint8_t a, b;
} Candidate;

typedef struct {
  int size;
  Candidate items[HEAP_MAX];
} Heap;

static void
heap_push (Heap *h, int error, int a, int b)
{
  if (h->size >= HEAP_MAX)
    return;
  int k = h->size++;
  while (k > 0)
    {
      int parent = (k - 1) / 2;
      if (h->items[parent].error <= error)
        break;
      h->items[k] = h->items[parent];
      k = parent;
    }
  h->items[k].error = error;
  h->items[k].a = (uint8_t) a;
  h->items[k].b = (uint8_t) b;
}

static Candidate
heap_pop (Heap *h)
{
  Candidate top = h->items[0];
  Candidate last = h->items[--h->size];
  int k = 0;
  for (;;)
    {
      int child = 2 * k + 1;
      if (child >= h->size)
        break;
      if (child + 1 < h->size && h->items[child + 1].error < h->items[child].error)
        child++;
      if (h->items[child].error >= last.error)
        break;
      h->items[k] = h->items[child];
      k = child;
    }
  if (h->size > 0)
    h->items[k] = last;
  return top;
}

typedef struct {
  int pairs;
  int consistent; /* edges between paired minutiae that agree */
  int same_type;
  int overlap_a;
  int overlap_b;
  float score;
} Growth;

/* The root's rigid alignment: where b's minutiae land in a's frame. */
typedef struct {
  int rotation;
  float c, s, tx, ty;
  float rx, ry; /* the root in a's frame */
} Frame;

/* A new pair must stay near where the root's alignment puts it; the
 * allowance grows with the distance from the root (skin stretches). This
 * is what stops a chain of local agreements from drifting across two
 * unrelated prints. */
static inline int
frame_accepts (const Frame *fr, const AfisSearchMinutia *ma, const AfisSearchMinutia *mb)
{
  float x = fr->c * mb->x - fr->s * mb->y + fr->tx;
  float y = fr->s * mb->x + fr->c * mb->y + fr->ty;
  float dx = x - ma->x, dy = y - ma->y;
  float rx = ma->x - fr->rx, ry = ma->y - fr->ry;
  float allow = FRAME_BASE + FRAME_SLOPE * sqrtf (rx * rx + ry * ry);
  return dx * dx + dy * dy <= allow * allow;
}

static void
expand (const AfisSearchTemplate *a, const AfisSearchTemplate *b, const EdgeTable *ea,
        const EdgeTable *eb, int p, int q, const int *pair_a, const int *pair_b,
        const Frame *frame, Heap *heap)
{
  int rotation = frame->rotation;
  int lo = eb->start[q], end = eb->start[q + 1];
  for (int e = ea->start[p]; e < ea->start[p + 1]; e++)
    {
      const Edge *x = &ea->edges[e];
      int tol = length_tolerance (x->length);
      while (lo < end && eb->edges[lo].length + tol < x->length)
        lo++;
      if (pair_a[x->to] >= 0)
        continue;
      for (int f = lo; f < end && eb->edges[f].length <= x->length + tol; f++)
        {
          const Edge *y = &eb->edges[f];
          if (pair_b[y->to] >= 0)
            continue;
          int err = edge_error (x, y);
          /* skin bends, but a chain that keeps turning is two different
           * prints agreeing by chance, edge after edge */
          if (err
              && abs (angle_delta (a->minutiae[x->to].angle - b->minutiae[y->to].angle, rotation))
                     <= TOL_ROTATION
              && frame_accepts (frame, &a->minutiae[x->to], &b->minutiae[y->to]))
            heap_push (heap, err, x->to, y->to);
        }
    }
}

/* Counts minutiae of @t lying inside the bounding box of the others'
 * pairs mapped through a rigid fit: the common area. */
static void
overlap_count (const AfisSearchTemplate *a, const AfisSearchTemplate *b, const int *pair_a,
               Growth *g)
{
  float sax = 0, say = 0, sbx = 0, sby = 0;
  int n = 0;
  for (int i = 0; i < a->count; i++)
    if (pair_a[i] >= 0)
      {
        sax += a->minutiae[i].x;
        say += a->minutiae[i].y;
        sbx += b->minutiae[pair_a[i]].x;
        sby += b->minutiae[pair_a[i]].y;
        n++;
      }
  sax /= n;
  say /= n;
  sbx /= n;
  sby /= n;
  float dot = 0, cross = 0;
  for (int i = 0; i < a->count; i++)
    if (pair_a[i] >= 0)
      {
        float ux = b->minutiae[pair_a[i]].x - sbx, uy = b->minutiae[pair_a[i]].y - sby;
        float vx = a->minutiae[i].x - sax, vy = a->minutiae[i].y - say;
        dot += ux * vx + uy * vy;
        cross += ux * vy - uy * vx;
      }
  float len = sqrtf (dot * dot + cross * cross);
  float c = len > 0 ? dot / len : 1.0f, s = len > 0 ? cross / len : 0.0f;
  /* b's minutiae in a's frame, and the two bounding boxes */
  float minax = 1e9f, maxax = -1e9f, minay = 1e9f, maxay = -1e9f;
  float minbx = 1e9f, maxbx = -1e9f, minby = 1e9f, maxby = -1e9f;
  float bx[AFIS_SEARCH_MAX_MINUTIAE], by[AFIS_SEARCH_MAX_MINUTIAE];
  for (int k = 0; k < b->count; k++)
    {
      float x = b->minutiae[k].x - sbx, y = b->minutiae[k].y - sby;
      bx[k] = c * x - s * y + sax;
      by[k] = s * x + c * y + say;
      minbx = fminf (minbx, bx[k]);
      maxbx = fmaxf (maxbx, bx[k]);
      minby = fminf (minby, by[k]);
      maxby = fmaxf (maxby, by[k]);
    }
  for (int i = 0; i < a->count; i++)
    {
      minax = fminf (minax, a->minutiae[i].x);
      maxax = fmaxf (maxax, a->minutiae[i].x);
      minay = fminf (minay, a->minutiae[i].y);
      maxay = fmaxf (maxay, a->minutiae[i].y);
    }
  const float margin = 10.0f;
  int ova = 0, ovb = 0;
  for (int i = 0; i < a->count; i++)
    if (a->minutiae[i].x >= minbx - margin && a->minutiae[i].x <= maxbx + margin
        && a->minutiae[i].y >= minby - margin && a->minutiae[i].y <= maxby + margin)
      ova++;
  for (int k = 0; k < b->count; k++)
    if (bx[k] >= minax - margin && bx[k] <= maxax + margin && by[k] >= minay - margin
        && by[k] <= maxay + margin)
      ovb++;
  g->overlap_a = ova;
  g->overlap_b = ovb;
}

/* The edge between minutiae @i and @j of @t, computed on the fly. */
static inline void
edge_between (const AfisSearchTemplate *t, int i, int j, Edge *e)
{
  const AfisSearchMinutia *mi = &t->minutiae[i], *mj = &t->minutiae[j];
  int dx = mj->x - mi->x, dy = mj->y - mi->y;
  int dir = fast_angle ((float) dx, (float) dy);
  float len = sqrtf ((float) (dx * dx + dy * dy));
  e->to = (uint8_t) j;
  e->length = (uint8_t) (len > 255.0f ? 255 : lrintf (len));
  e->b1 = (uint8_t) (dir - mi->angle);
  e->b2 = (uint8_t) (dir - mj->angle);
}

static void
grow (const AfisSearchTemplate *a, const AfisSearchTemplate *b, const EdgeTable *ea,
      const EdgeTable *eb, int root_a, int root_b, Heap *heap, Growth *g)
{
  int pair_a[AFIS_SEARCH_MAX_MINUTIAE], pair_b[AFIS_SEARCH_MAX_MINUTIAE];
  for (int i = 0; i < a->count; i++)
    pair_a[i] = -1;
  for (int k = 0; k < b->count; k++)
    pair_b[k] = -1;
  int pairs = 0;
  Frame frame;
  frame.rotation = (a->minutiae[root_a].angle - b->minutiae[root_b].angle) & 255;
  float phi = frame.rotation * (2.0f * AFIS_PI / 256.0f);
  frame.c = cosf (phi);
  frame.s = sinf (phi);
  frame.rx = a->minutiae[root_a].x;
  frame.ry = a->minutiae[root_a].y;
  frame.tx = frame.rx - (frame.c * b->minutiae[root_b].x - frame.s * b->minutiae[root_b].y);
  frame.ty = frame.ry - (frame.s * b->minutiae[root_b].x + frame.c * b->minutiae[root_b].y);
  heap->size = 0;
  heap_push (heap, 0, root_a, root_b);
  while (heap->size > 0)
    {
      Candidate c = heap_pop (heap);
      if (pair_a[c.a] >= 0 || pair_b[c.b] >= 0)
        continue;
      pair_a[c.a] = c.b;
      pair_b[c.b] = c.a;
      pairs++;
      expand (a, b, ea, eb, c.a, c.b, pair_a, pair_b, &frame, heap);
    }
  /* every edge between two paired minutiae that agrees on both sides */
  int consistent = 0;
  for (int i = 0; i < a->count; i++)
    {
      if (pair_a[i] < 0)
        continue;
      int q = pair_a[i];
      for (int e = ea->start[i]; e < ea->start[i + 1]; e++)
        {
          const Edge *x = &ea->edges[e];
          if (x->to < i || pair_a[x->to] < 0)
            continue;
          Edge y;
          edge_between (b, q, pair_a[x->to], &y);
          consistent += edge_error (x, &y) != 0;
        }
    }
  int same = 0;
  for (int i = 0; i < a->count; i++)
    if (pair_a[i] >= 0 && a->minutiae[i].type == b->minutiae[pair_a[i]].type)
      same++;
  g->same_type = same;
  g->pairs = pairs;
  g->consistent = consistent;
  if (pairs >= 2)
    overlap_count (a, b, pair_a, g);
  else
    g->overlap_a = g->overlap_b = 0;
  float oa = g->overlap_a < 10 ? 10.0f : (float) g->overlap_a;
  float ob = g->overlap_b < 10 ? 10.0f : (float) g->overlap_b;
  /* supported pairs: a pair counts once it shares agreeing edges */
  /* agreeing edges grow about with the square of the pairs, so the
   * normaliser grows a little faster than the overlap's geometric mean:
   * a small overlap with a few chance agreements should not score like a
   * large one fully matched */
  g->score = (float) consistent / powf (oa * ob, 0.6f) / 8.0f;
}

int
afis_finger_score_detail (const AfisSearchTemplate *a, const AfisSearchTemplate *b,
                          AfisMatchDetail *detail)
{
  memset (detail, 0, sizeof *detail);
  if (a->count < 3 || b->count < 3 || a->count > AFIS_SEARCH_MAX_MINUTIAE
      || b->count > AFIS_SEARCH_MAX_MINUTIAE)
    return 0;
  /* about 40 KB of scratch: heap-allocated once per thread would be
   * faster, but the stack keeps the function reentrant and simple */
  EdgeTable ea, eb;
  edges_build (a, &ea);
  edges_build (b, &eb);
  /* b's edges on the (length, first bearing) grid */
  static const int ncell = CELLS;
  uint16_t cell_start[CELLS + 1];
  uint16_t cell_items[AFIS_SEARCH_MAX_MINUTIAE * (AFIS_SEARCH_MAX_MINUTIAE - 1)];
  uint8_t cell_root[AFIS_SEARCH_MAX_MINUTIAE * (AFIS_SEARCH_MAX_MINUTIAE - 1)];
  memset (cell_start, 0, sizeof cell_start);
  int total = eb.start[eb.count];
  const int root_max = EDGE_MAX;
  for (int f = 0; f < total; f++)
    {
      const Edge *y = &eb.edges[f];
      if (y->length > root_max + length_tolerance (root_max))
        continue;
      cell_start[CELL_OF (y->length / CELL_D, y->b1 / CELL_A, y->b2 / CELL_B) + 1]++;
    }
  for (int c = 0; c < ncell; c++)
    cell_start[c + 1] = (uint16_t) (cell_start[c + 1] + cell_start[c]);
  {
    uint16_t fill[CELLS];
    memcpy (fill, cell_start, sizeof fill);
    for (int q = 0; q < eb.count; q++)
      for (int f = eb.start[q]; f < eb.start[q + 1]; f++)
        {
          const Edge *y = &eb.edges[f];
          if (y->length > root_max + length_tolerance (root_max))
            break; /* sorted by length */
          int c = CELL_OF (y->length / CELL_D, y->b1 / CELL_A, y->b2 / CELL_B);
          cell_items[fill[c]] = (uint16_t) f;
          cell_root[fill[c]] = (uint8_t) q;
          fill[c]++;
        }
  }
  uint8_t votes[AFIS_SEARCH_MAX_MINUTIAE][AFIS_SEARCH_MAX_MINUTIAE];
  memset (votes, 0, sizeof votes);
  for (int p = 0; p < ea.count; p++)
    for (int e = ea.start[p]; e < ea.start[p + 1]; e++)
      {
        const Edge *x = &ea.edges[e];
        if (x->length > root_max)
          break; /* sorted by length */
        int tol = length_tolerance (x->length);
        int l0 = (x->length - tol) / CELL_D, l1 = (x->length + tol) / CELL_D;
        if (l0 < 0)
          l0 = 0;
        if (l1 > EDGE_MAX / CELL_D)
          l1 = EDGE_MAX / CELL_D;
        int a0 = ((x->b1 - TOL_ANGLE) & 255) / CELL_A, a1 = ((x->b1 + TOL_ANGLE) & 255) / CELL_A;
        int c0 = ((x->b2 - TOL_ANGLE) & 255) / CELL_B, c1 = ((x->b2 + TOL_ANGLE) & 255) / CELL_B;
        for (int l = l0; l <= l1; l++)
          for (int ab = a0;; ab = (ab + 1) % (256 / CELL_A))
            {
              for (int cb = c0;; cb = (cb + 1) % (256 / CELL_B))
                {
                  int c = CELL_OF (l, ab, cb);
                  for (int k = cell_start[c]; k < cell_start[c + 1]; k++)
                    if (edge_error (x, &eb.edges[cell_items[k]]))
                      {
                        uint8_t *v = &votes[p][cell_root[k]];
                        if (*v < 255)
                          (*v)++;
                      }
                  if (cb == c1)
                    break;
                }
              if (ab == a1)
                break;
            }
      }
  int anchor_a[ANCHORS], anchor_b[ANCHORS], anchor_v[ANCHORS], anchors = 0;
  for (int i = 0; i < a->count; i++)
    for (int j = 0; j < b->count; j++)
      {
        int v = votes[i][j];
        if (v < 2)
          continue;
        int k = anchors < ANCHORS ? anchors++ : ANCHORS;
        if (k == ANCHORS)
          {
            if (v <= anchor_v[ANCHORS - 1])
              continue;
            k = ANCHORS - 1;
          }
        while (k > 0 && anchor_v[k - 1] < v)
          {
            anchor_v[k] = anchor_v[k - 1];
            anchor_a[k] = anchor_a[k - 1];
            anchor_b[k] = anchor_b[k - 1];
            k--;
          }
        anchor_v[k] = v;
        anchor_a[k] = i;
        anchor_b[k] = j;
      }
  Heap heap_storage;
  Heap *heap = &heap_storage;
  Growth best;
  memset (&best, 0, sizeof best);
  for (int k = 0; k < anchors; k++)
    {
      Growth g;
      grow (a, b, &ea, &eb, anchor_a[k], anchor_b[k], heap, &g);
      if (g.score > best.score)
        {
          best = g;
          detail->votes = anchor_v[k];
        }
    }
  detail->n = best.pairs;
  detail->same_type = best.same_type;
  detail->supported = best.consistent;
  detail->overlap_a = best.overlap_a;
  detail->overlap_b = best.overlap_b;
  int result = (int) lroundf (1000.0f * best.score);
  return result > AFIS_SCORE_MAX ? AFIS_SCORE_MAX : result;
}

int
afis_finger_score (const AfisSearchTemplate *a, const AfisSearchTemplate *b)
{
  AfisMatchDetail detail;
  return afis_finger_score_detail (a, b, &detail);
}

AfisStatus
afis_finger_match (const AfisSearchTemplate *probe, const AfisSearchTemplate *candidate,
                   int *ret_score)
{
  if (probe == NULL || candidate == NULL || ret_score == NULL
      || probe->count > AFIS_SEARCH_MAX_MINUTIAE || candidate->count > AFIS_SEARCH_MAX_MINUTIAE)
    return AFIS_ERROR_INVALID_ARGUMENT;
  *ret_score = afis_finger_score (probe, candidate);
  return AFIS_OK;
}
