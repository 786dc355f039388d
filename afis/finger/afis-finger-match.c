/* afis: search templates and the 1:1 matcher.
 *
 * Matching has three stages, each cheap because the search template
 * carries precomputed neighbourhoods:
 *  1. local: each minutia's edges to its nearest neighbours (distance,
 *     bearing and turn, all relative to the minutia, hence invariant to
 *     rotation and translation) are compared across the two templates;
 *     pairs of minutiae whose neighbourhoods agree get votes.
 *  2. global: the best-voted pairs are tried as anchors; each gives a
 *     rotation and translation, under which minutiae are paired greedily
 *     with a tolerance that widens away from the anchor (skin stretches
 *     more the further it is from where alignment was fixed); the rigid
 *     fit is then re-estimated from the pairs and the pairing repeated.
 *  3. score: matched pairs squared over the minutiae each side has in
 *     the common area, so partial overlap is not punished for minutiae
 *     the other print could never have seen. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "afis-finger-private.h"

#define EDGE_MIN_DISTANCE 8
#define TOL_DISTANCE 3     /* in half-pixels units of the edge table: 6 px */
#define TOL_BEARING 12     /* 1/256 turn: ~17 degrees */
#define TOL_TURN 14        /* ~20 degrees */
#define ANCHORS 6
#define GLOBAL_ANGLE 18    /* ~25 degrees */

static float cos_table[256], sin_table[256];
static int tables_ready;

static void
tables_build (void)
{
  for (int i = 0; i < 256; i++)
    {
      cos_table[i] = cosf (i * 2.0f * AFIS_PI / 256.0f);
      sin_table[i] = sinf (i * 2.0f * AFIS_PI / 256.0f);
    }
  tables_ready = 1;
}

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

/* Filter bits: every pair of minutiae 16..160 px apart hashes its
 * rotation-invariant shape (distance, both relative bearings) into a
 * 512-bit set. Shared bits between two templates estimate how many pair
 * shapes they share. */
static void
filter_build (AfisSearchTemplate *t)
{
  memset (t->filter, 0, sizeof t->filter);
  for (int i = 0; i < t->count; i++)
    for (int j = 0; j < t->count; j++)
      {
        if (i == j)
          continue;
        float dx = (float) t->minutiae[j].x - t->minutiae[i].x;
        float dy = (float) t->minutiae[j].y - t->minutiae[i].y;
        float d = sqrtf (dx * dx + dy * dy);
        if (d < 16.0f || d > 160.0f)
          continue;
        uint8_t dir = angle_of (dx, dy);
        int b1 = (uint8_t) (dir - t->minutiae[i].angle) / 32;
        int b2 = (uint8_t) (dir - t->minutiae[j].angle) / 32;
        int db = (int) (d / 12.0f);
        uint32_t key = (uint32_t) (db * 64 + b1 * 8 + b2);
        key = (key * 2654435761u) >> 23;
        t->filter[key >> 6] |= 1ull << (key & 63);
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
  for (int i = 0; i < n; i++)
    {
      int best[AFIS_SEARCH_NEIGHBOURS];
      int best_d[AFIS_SEARCH_NEIGHBOURS];
      int found = 0;
      for (int j = 0; j < n; j++)
        {
          if (j == i)
            continue;
          int dx = t.minutiae[j].x - t.minutiae[i].x, dy = t.minutiae[j].y - t.minutiae[i].y;
          int d = dx * dx + dy * dy;
          if (d < EDGE_MIN_DISTANCE * EDGE_MIN_DISTANCE)
            continue;
          int k = found < AFIS_SEARCH_NEIGHBOURS ? found++ : AFIS_SEARCH_NEIGHBOURS;
          if (k == AFIS_SEARCH_NEIGHBOURS)
            {
              if (d >= best_d[AFIS_SEARCH_NEIGHBOURS - 1])
                continue;
              k = AFIS_SEARCH_NEIGHBOURS - 1;
            }
          while (k > 0 && best_d[k - 1] > d)
            {
              best_d[k] = best_d[k - 1];
              best[k] = best[k - 1];
              k--;
            }
          best_d[k] = d;
          best[k] = j;
        }
      for (int k = 0; k < AFIS_SEARCH_NEIGHBOURS; k++)
        {
          AfisSearchEdge *e = &t.edges[i][k];
          if (k >= found)
            {
              e->distance = 0; /* no edge */
              e->index = 255;
              continue;
            }
          int j = best[k];
          float dx = (float) t.minutiae[j].x - t.minutiae[i].x;
          float dy = (float) t.minutiae[j].y - t.minutiae[i].y;
          float d = sqrtf (dx * dx + dy * dy) / 2.0f;
          e->distance = (uint8_t) (d > 255.0f ? 255 : lroundf (d));
          e->bearing = (uint8_t) (angle_of (dx, dy) - t.minutiae[i].angle);
          e->turn = (uint8_t) (t.minutiae[j].angle - t.minutiae[i].angle);
          e->index = (uint8_t) j;
        }
    }
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
  uint32_t denom = probe->filter_bits < candidate->filter_bits ? probe->filter_bits
                                                                : candidate->filter_bits;
  if (denom == 0)
    return 0;
  return (int) (common * 1000u / denom);
}

typedef struct {
  float x, y;
  int angle;
} Point;

/* Pairs the minutiae of @a with @b transformed into @a's frame; fills
 * @pair_a/@pair_b; returns the number of pairs. The radius grows with the
 * distance from (@cx, @cy), the point alignment was fixed at. */
static int
pair_up (const AfisSearchTemplate *a, const Point *bt, int nb, float cx, float cy,
         float base, float slope, int *pair_a, int *pair_b)
{
  uint64_t used_b = 0;
  int n = 0;
  for (int i = 0; i < a->count; i++)
    {
      float ax = a->minutiae[i].x, ay = a->minutiae[i].y;
      float rx = ax - cx, ry = ay - cy;
      float r = base + slope * sqrtf (rx * rx + ry * ry);
      float r2 = r * r, best = r2;
      int best_k = -1;
      for (int k = 0; k < nb; k++)
        {
          if (used_b >> k & 1)
            continue;
          float dx = bt[k].x - ax, dy = bt[k].y - ay;
          float d2 = dx * dx + dy * dy;
          if (d2 >= best)
            continue;
          if (abs (angle_delta (bt[k].angle, a->minutiae[i].angle)) > GLOBAL_ANGLE)
            continue;
          best = d2;
          best_k = k;
        }
      if (best_k >= 0)
        {
          used_b |= 1ull << best_k;
          pair_a[n] = i;
          pair_b[n] = best_k;
          n++;
        }
    }
  return n;
}

static void
transform (const AfisSearchTemplate *b, float c, float s, float tx, float ty, int rot, Point *out)
{
  for (int k = 0; k < b->count; k++)
    {
      float x = b->minutiae[k].x, y = b->minutiae[k].y;
      out[k].x = c * x - s * y + tx;
      out[k].y = s * x + c * y + ty;
      out[k].angle = (b->minutiae[k].angle + rot) & 255;
    }
}

/* Counts minutiae of @t lying inside the bounding box of @pts (expanded
 * by a margin): those the other print could have shown. */
static int
count_inside (const Point *pts, int n, const Point *box_pts, int box_n)
{
  if (box_n == 0)
    return 0;
  float minx = box_pts[0].x, maxx = minx, miny = box_pts[0].y, maxy = miny;
  for (int k = 1; k < box_n; k++)
    {
      minx = fminf (minx, box_pts[k].x);
      maxx = fmaxf (maxx, box_pts[k].x);
      miny = fminf (miny, box_pts[k].y);
      maxy = fmaxf (maxy, box_pts[k].y);
    }
  int inside = 0;
  for (int k = 0; k < n; k++)
    if (pts[k].x >= minx - 12 && pts[k].x <= maxx + 12 && pts[k].y >= miny - 12
        && pts[k].y <= maxy + 12)
      inside++;
  return inside;
}

int
afis_finger_score (const AfisSearchTemplate *a, const AfisSearchTemplate *b)
{
  if (!tables_ready)
    tables_build ();
  int na = a->count, nb = b->count;
  if (na < 3 || nb < 3)
    return 0;
  /* 1. local votes */
  uint8_t votes[AFIS_SEARCH_MAX_MINUTIAE][AFIS_SEARCH_MAX_MINUTIAE];
  memset (votes, 0, sizeof votes);
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nb; j++)
      {
        int v = 0;
        for (int e = 0; e < AFIS_SEARCH_NEIGHBOURS; e++)
          {
            const AfisSearchEdge *ea = &a->edges[i][e];
            if (ea->index == 255)
              break;
            for (int f = 0; f < AFIS_SEARCH_NEIGHBOURS; f++)
              {
                const AfisSearchEdge *eb = &b->edges[j][f];
                if (eb->index == 255)
                  break;
                if (abs ((int) ea->distance - (int) eb->distance) > TOL_DISTANCE + ea->distance / 16)
                  continue;
                if (abs (angle_delta (ea->bearing, eb->bearing)) > TOL_BEARING)
                  continue;
                if (abs (angle_delta (ea->turn, eb->turn)) > TOL_TURN)
                  continue;
                v++;
                break;
              }
          }
        votes[i][j] = (uint8_t) v;
      }
  /* 2. best anchors */
  int anchor_a[ANCHORS], anchor_b[ANCHORS], anchor_v[ANCHORS], anchors = 0;
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nb; j++)
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
  int best_n = 0;
  float best_score = 0.0f;
  Point bt[AFIS_SEARCH_MAX_MINUTIAE], at[AFIS_SEARCH_MAX_MINUTIAE];
  int pa[AFIS_SEARCH_MAX_MINUTIAE], pb[AFIS_SEARCH_MAX_MINUTIAE];
  for (int k = 0; k < anchors; k++)
    {
      const AfisSearchMinutia *ma = &a->minutiae[anchor_a[k]], *mb = &b->minutiae[anchor_b[k]];
      int rot = (ma->angle - mb->angle) & 255;
      float c = cos_table[rot], s = sin_table[rot];
      float tx = ma->x - (c * mb->x - s * mb->y), ty = ma->y - (s * mb->x + c * mb->y);
      transform (b, c, s, tx, ty, rot, bt);
      int n = pair_up (a, bt, nb, ma->x, ma->y, 10.0f, 0.07f, pa, pb);
      if (n >= 3)
        {
          /* least-squares rigid refit on the pairs, then pair again */
          float sax = 0, say = 0, sbx = 0, sby = 0;
          for (int p = 0; p < n; p++)
            {
              sax += a->minutiae[pa[p]].x;
              say += a->minutiae[pa[p]].y;
              sbx += b->minutiae[pb[p]].x;
              sby += b->minutiae[pb[p]].y;
            }
          sax /= n;
          say /= n;
          sbx /= n;
          sby /= n;
          float dot = 0, cross = 0;
          for (int p = 0; p < n; p++)
            {
              float ux = b->minutiae[pb[p]].x - sbx, uy = b->minutiae[pb[p]].y - sby;
              float vx = a->minutiae[pa[p]].x - sax, vy = a->minutiae[pa[p]].y - say;
              dot += ux * vx + uy * vy;
              cross += ux * vy - uy * vx;
            }
          float phi = atan2f (cross, dot);
          /* keep the refit only if it agrees with the anchor's rotation */
          int rot2 = (int) lroundf (phi * 256.0f / (2.0f * AFIS_PI)) & 255;
          if (abs (angle_delta (rot2, rot)) <= GLOBAL_ANGLE)
            {
              c = cosf (phi);
              s = sinf (phi);
              tx = sax - (c * sbx - s * sby);
              ty = say - (s * sbx + c * sby);
              transform (b, c, s, tx, ty, rot2, bt);
              int n2 = pair_up (a, bt, nb, sax, say, 10.0f, 0.06f, pa, pb);
              if (n2 >= n)
                n = n2;
              else
                transform (b, cos_table[rot], sin_table[rot],
                           ma->x - (cos_table[rot] * mb->x - sin_table[rot] * mb->y),
                           ma->y - (sin_table[rot] * mb->x + cos_table[rot] * mb->y), rot, bt);
            }
        }
      if (n < best_n)
        continue;
      for (int i = 0; i < na; i++)
        {
          at[i].x = a->minutiae[i].x;
          at[i].y = a->minutiae[i].y;
          at[i].angle = a->minutiae[i].angle;
        }
      int ov_a = count_inside (at, na, bt, nb);
      int ov_b = count_inside (bt, nb, at, na);
      ov_a = ov_a < 12 ? 12 : ov_a;
      ov_b = ov_b < 12 ? 12 : ov_b;
      float score = (float) n * n / ((float) ov_a * ov_b);
      if (n > best_n || score > best_score)
        {
          best_n = n;
          if (score > best_score)
            best_score = score;
        }
    }
  int result = (int) lroundf (1000.0f * best_score);
  return result > AFIS_SCORE_MAX ? AFIS_SCORE_MAX : result;
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
