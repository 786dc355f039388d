/* afis: minutiae from the ridge skeleton, and false-minutia removal.
 *
 * Candidates are skeleton pixels with crossing number 1 (ending) or 3
 * (bifurcation). Each is traced along its ridge(s); the traces give the
 * direction and expose the classic artefacts: spurs (an ending that runs
 * into a bifurcation within a ridge period), short islands, bridges
 * between ridges (two bifurcations joined by a short line), broken ridges
 * (two endings facing each other across a small gap), clusters in noisy
 * areas, and anything near the finger's outline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "afis-finger-private.h"

#define MAX_CANDIDATES 2048
#define TRACE_LENGTH 20
#define KEEP_MAX 100

static const int nbx[8] = { 0, 1, 1, 1, 0, -1, -1, -1 };
static const int nby[8] = { -1, -1, 0, 1, 1, 1, 0, -1 };

typedef struct {
  int x, y;
  int type;        /* AfisMinutiaType */
  float angle;     /* radians, image convention */
  int removed;
  float quality;
} Candidate;

typedef struct {
  int x, y;      /* where the trace stopped */
  int dir_x, dir_y; /* point about 10 px along */
  int length;
  int stop;      /* 0 = full length, 1 = line end, 2 = junction */
} Trace;

static int
crossing_number (const uint8_t *s, int w, int x, int y)
{
  int cn = 0;
  for (int i = 0; i < 8; i++)
    {
      int a = s[(y + nby[i]) * w + x + nbx[i]];
      int b = s[(y + nby[(i + 1) & 7]) * w + x + nbx[(i + 1) & 7]];
      cn += a != b;
    }
  return cn / 2;
}

static Trace
trace_ridge (const uint8_t *s, int w, int h, int sx, int sy, int fx, int fy)
{
  Trace t = { fx, fy, fx, fy, 1, 0 };
  int px = sx, py = sy, ppx = sx, ppy = sy, cx = fx, cy = fy;
  for (int step = 1; step <= TRACE_LENGTH; step++)
    {
      t.x = cx;
      t.y = cy;
      t.length = step;
      if (step <= 10)
        {
          t.dir_x = cx;
          t.dir_y = cy;
        }
      if (cx < 1 || cy < 1 || cx >= w - 1 || cy >= h - 1)
        {
          t.stop = 1;
          return t;
        }
      int cn = crossing_number (s, w, cx, cy);
      if (cn == 1)
        {
          t.stop = 1;
          return t;
        }
      if (cn >= 3)
        {
          t.stop = 2;
          return t;
        }
      int nx = -1, ny = -1, fallback_x = -1, fallback_y = -1;
      for (int i = 0; i < 8; i++)
        {
          int qx = cx + nbx[i], qy = cy + nby[i];
          if (!s[qy * w + qx] || (qx == px && qy == py) || (qx == ppx && qy == ppy)
              || (qx == sx && qy == sy))
            continue;
          int adjacent = abs (qx - px) <= 1 && abs (qy - py) <= 1;
          if (!adjacent)
            {
              /* prefer 4-neighbours: they are the line's true next step */
              if (nx < 0 || (i & 1) == 0)
                {
                  nx = qx;
                  ny = qy;
                }
            }
          else if (fallback_x < 0)
            {
              fallback_x = qx;
              fallback_y = qy;
            }
        }
      if (nx < 0)
        {
          nx = fallback_x;
          ny = fallback_y;
        }
      if (nx < 0)
        {
          t.stop = 1;
          return t;
        }
      ppx = px;
      ppy = py;
      px = cx;
      py = cy;
      cx = nx;
      cy = ny;
    }
  return t;
}

static float
angle_diff (float a, float b)
{
  float d = fmodf (a - b, 2.0f * AFIS_PI);
  if (d > AFIS_PI)
    d -= 2.0f * AFIS_PI;
  if (d < -AFIS_PI)
    d += 2.0f * AFIS_PI;
  return fabsf (d);
}

/* Snaps a traced direction to the (smoother, more precise) orientation
 * field when they agree within 45 degrees. */
static float
refine_angle (const AfisFingerImage *image, int x, int y, float traced)
{
  float o = afis_block_value (image->orientation, image, x, y);
  float best = angle_diff (o, traced) < angle_diff (o + AFIS_PI, traced) ? o : o + AFIS_PI;
  if (angle_diff (best, traced) < AFIS_PI / 4)
    return best;
  return traced;
}

static int
find_nearest (Candidate *c, int n, int x, int y, int type, int skip, int radius)
{
  int best = -1, best_d = radius * radius + 1;
  for (int i = 0; i < n; i++)
    {
      if (i == skip || (type && c[i].type != type))
        continue;
      int dx = c[i].x - x, dy = c[i].y - y, d = dx * dx + dy * dy;
      if (d < best_d)
        {
          best_d = d;
          best = i;
        }
    }
  return best;
}

static int
compare_quality (const void *a, const void *b)
{
  const Candidate *ca = a, *cb = b;
  if (ca->quality != cb->quality)
    return ca->quality < cb->quality ? 1 : -1;
  if (ca->y != cb->y)
    return ca->y - cb->y;
  return ca->x - cb->x;
}

int
afis_finger_minutiae_detect (const AfisFingerImage *image, AfisFingerprint *print)
{
  int w = image->width, h = image->height, bw = image->block_width;
  const uint8_t *s = image->skeleton;
  Candidate *c = malloc (MAX_CANDIDATES * sizeof (Candidate));
  if (c == NULL)
    return -1;
  int n = 0;
  for (int y = 2; y < h - 2 && n < MAX_CANDIDATES; y++)
    for (int x = 2; x < w - 2 && n < MAX_CANDIDATES; x++)
      {
        if (!s[y * w + x])
          continue;
        int b = (y / AFIS_BLOCK) * bw + x / AFIS_BLOCK;
        if (image->border[b] < 1)
          continue;
        int cn = crossing_number (s, w, x, y);
        if (cn != 1 && cn != 3)
          continue;
        c[n].x = x;
        c[n].y = y;
        c[n].type = cn == 1 ? AFIS_MINUTIA_ENDING : AFIS_MINUTIA_BIFURCATION;
        c[n].removed = 0;
        c[n].angle = 0.0f;
        c[n].quality = 0.0f;
        n++;
      }
  /* Adjacent bifurcation pixels (a 3-way junction drawn over 2 pixels)
   * are one minutia: keep the first. */
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (!c[i].removed && !c[j].removed && c[i].type == AFIS_MINUTIA_BIFURCATION
          && c[j].type == AFIS_MINUTIA_BIFURCATION && abs (c[i].x - c[j].x) <= 1
          && abs (c[i].y - c[j].y) <= 1)
        c[j].removed = 2;

  for (int i = 0; i < n; i++)
    {
      if (c[i].removed)
        continue;
      float period = afis_block_value (image->period, image, c[i].x, c[i].y);
      Trace traces[3];
      int branches = 0;
      for (int k = 0; k < 8 && branches < 3; k++)
        {
          int ax = c[i].x + nbx[k], ay = c[i].y + nby[k];
          int bx2 = c[i].x + nbx[(k + 1) & 7], by2 = c[i].y + nby[(k + 1) & 7];
          if (!s[ay * w + ax] && s[by2 * w + bx2])
            traces[branches++] = trace_ridge (s, w, h, c[i].x, c[i].y, bx2, by2);
        }
      if (c[i].type == AFIS_MINUTIA_ENDING)
        {
          if (branches < 1)
            {
              c[i].removed = 1;
              continue;
            }
          Trace *t = &traces[0];
          if (t->stop == 2 && t->length < 1.5f * period)
            {
              /* spur: the ending and the junction it hangs from */
              c[i].removed = 1;
              int j = find_nearest (c, n, t->x, t->y, AFIS_MINUTIA_BIFURCATION, i, 3);
              if (j >= 0)
                c[j].removed = 1;
              continue;
            }
          if (t->stop == 1 && t->length < 2.0f * period)
            {
              c[i].removed = 1;
              int j = find_nearest (c, n, t->x, t->y, AFIS_MINUTIA_ENDING, i, 3);
              if (j >= 0)
                c[j].removed = 1;
              continue;
            }
          float traced = atan2f ((float) (c[i].y - t->dir_y), (float) (c[i].x - t->dir_x));
          c[i].angle = refine_angle (image, c[i].x, c[i].y, traced);
        }
      else
        {
          if (branches != 3)
            {
              c[i].removed = 1;
              continue;
            }
          int bad = 0;
          for (int k = 0; k < 3; k++)
            if (traces[k].stop == 2 && traces[k].length < period)
              {
                bad = 1;
                int j = find_nearest (c, n, traces[k].x, traces[k].y,
                                      AFIS_MINUTIA_BIFURCATION, i, 3);
                if (j >= 0)
                  c[j].removed = 1;
              }
          if (bad)
            {
              c[i].removed = 1;
              continue;
            }
          float dirs[3];
          for (int k = 0; k < 3; k++)
            dirs[k] = atan2f ((float) (traces[k].dir_y - c[i].y), (float) (traces[k].dir_x - c[i].x));
          /* the two forks are the closest pair; the stem is the other */
          float d01 = angle_diff (dirs[0], dirs[1]), d12 = angle_diff (dirs[1], dirs[2]);
          float d02 = angle_diff (dirs[0], dirs[2]);
          int stem = d01 <= d12 && d01 <= d02 ? 2 : d12 <= d02 ? 0 : 1;
          c[i].angle = refine_angle (image, c[i].x, c[i].y, dirs[stem]);
        }
    }
  /* broken ridges: two endings facing each other across a short gap */
  for (int i = 0; i < n; i++)
    {
      if (c[i].removed || c[i].type != AFIS_MINUTIA_ENDING)
        continue;
      float period = afis_block_value (image->period, image, c[i].x, c[i].y);
      for (int j = i + 1; j < n; j++)
        {
          if (c[j].removed || c[j].type != AFIS_MINUTIA_ENDING)
            continue;
          float dx = (float) (c[j].x - c[i].x), dy = (float) (c[j].y - c[i].y);
          float d = sqrtf (dx * dx + dy * dy);
          if (d > 2.0f * period)
            continue;
          float toward = atan2f (dy, dx);
          if (angle_diff (c[i].angle, toward) < AFIS_PI / 4
              && angle_diff (c[j].angle, toward + AFIS_PI) < AFIS_PI / 4)
            {
              c[i].removed = 1;
              c[j].removed = 1;
              break;
            }
        }
    }
  /* clusters: three or more minutiae within a ridge period or so are
   * noise, a scar or a crease */
  for (int i = 0; i < n; i++)
    {
      if (c[i].removed == 1 || c[i].removed == 2)
        continue;
      int close = 0;
      for (int j = 0; j < n; j++)
        {
          if (j == i || c[j].removed)
            continue;
          int dx = c[j].x - c[i].x, dy = c[j].y - c[i].y;
          if (dx * dx + dy * dy < 12 * 12)
            close++;
        }
      if (close >= 2)
        c[i].removed = 3;
    }
  int kept = 0;
  for (int i = 0; i < n; i++)
    {
      if (c[i].removed)
        continue;
      int b = (c[i].y / AFIS_BLOCK) * bw + c[i].x / AFIS_BLOCK;
      float coherence = image->coherence[b];
      int border = image->border[b];
      if (border < 2 || coherence < 0.2f)
        continue;
      float q = (coherence - 0.2f) / 0.6f;
      q = q > 1.0f ? 1.0f : q;
      float bq = border >= 4 ? 1.0f : border / 4.0f;
      c[kept] = c[i];
      c[kept].quality = 100.0f * q * bq;
      if (c[kept].quality < 1.0f)
        c[kept].quality = 1.0f;
      kept++;
    }
  qsort (c, (size_t) kept, sizeof (Candidate), compare_quality);
  if (kept > KEEP_MAX)
    kept = KEEP_MAX;
  for (int i = 0; i < kept; i++)
    {
      AfisMinutia *m = &print->minutiae[i];
      m->x = (uint16_t) c[i].x;
      m->y = (uint16_t) c[i].y;
      /* image convention (clockwise on screen) to ISO (counter-clockwise) */
      int units = (int) lroundf (-c[i].angle * 256.0f / (2.0f * AFIS_PI));
      m->angle = (uint8_t) (units & 255);
      m->type = (uint8_t) c[i].type;
      m->quality = (uint8_t) lroundf (c[i].quality);
    }
  print->count = (uint16_t) kept;
  free (c);
  return 0;
}
