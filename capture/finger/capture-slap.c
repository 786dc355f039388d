/* Slap segmentation.
 *
 * Fingerprint ridges make strong local contrast; the scanner's platen
 * behind them is flat and light. The slap is cut into 8x8 blocks, a block
 * is foreground when its contrast is high and it is darker than the
 * background, the block mask is closed and opened, and its connected
 * components are the fingers. Components wider than a finger (two
 * fingers touching) are split at the emptiest column. The largest
 * components, as many as the slap should hold, are kept and ordered
 * left to right; each gives a fingertip box (at most 1.6 inch from the
 * top of the finger, the distal part a flat print shows). */
#include "capture/capture-finger.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 8
#define MIN_CONTRAST 9.0          /* grey-level standard deviation */
#define MIN_FINGER_PIXELS 15000   /* ~0.25 x 0.25 inch at 500 ppi */
#define MAX_FINGER_WIDTH 420      /* ~0.85 inch: wider is two fingers */
#define MAX_TIP_HEIGHT 800        /* 1.6 inch */
#define MAX_COMPONENTS 64

typedef struct {
  int min_x, min_y, max_x, max_y;  /* grid bounds, inclusive */
  int area;                        /* blocks */
  double sum_x;
  int label;
} Component;

static const CaptureCheck check_count = {
  "finger.count_mismatch",
  "Jumlah jari tidak lengkap. Letakkan semua jari, atau catat jari yang tidak ada.",
  "Not all fingers were found. Place every finger, or record the missing one as an exception."
};
static const CaptureCheck check_wrong_hand = {
  "finger.wrong_hand",
  "Sepertinya tangan yang salah. Letakkan tangan yang diminta.",
  "This looks like the other hand. Please place the requested hand."
};
static const CaptureCheck check_low_quality = {
  "finger.low_quality",
  "Kualitas sidik jari rendah. Bersihkan jari dan tekan sedikit lebih kuat.",
  "Fingerprint quality is low. Clean the finger and press a little harder."
};
static const CaptureCheck check_quality = {
  "finger.quality", "Kualitas sidik jari (0-100)", "Fingerprint quality (0-100)"
};

void
capture_slap_result_clear (CaptureSlapResult *result)
{
  if (result == NULL)
    return;
  for (int i = 0; i < CAPTURE_SLAP_MAX_FINGERS; i++)
    capture_image_clear (&result->fingers[i].image);
  memset (result, 0, sizeof *result);
}

/* Foreground block mask. */
static void
block_mask (const CaptureImage *slap, int gw, int gh, uint8_t *mask)
{
  double *means = malloc (sizeof (double) * (size_t) gw * gh);
  double *contrast = malloc (sizeof (double) * (size_t) gw * gh);
  if (means == NULL || contrast == NULL)
    {
      free (means);
      free (contrast);
      memset (mask, 0, (size_t) gw * gh);
      return;
    }
  for (int by = 0; by < gh; by++)
    for (int bx = 0; bx < gw; bx++)
      {
        double sum = 0, sum2 = 0;
        int n = 0;
        for (int y = by * BLOCK; y < (by + 1) * BLOCK && y < slap->height; y++)
          {
            const uint8_t *row = capture_image_row (slap, y);
            for (int x = bx * BLOCK; x < (bx + 1) * BLOCK && x < slap->width; x++, n++)
              {
                sum += row[x];
                sum2 += (double) row[x] * row[x];
              }
          }
        double mean = sum / n;
        means[by * gw + bx] = mean;
        contrast[by * gw + bx] = sqrt (fmax (sum2 / n - mean * mean, 0));
      }
  /* Background: the brightest tenth of the flat blocks. */
  double background = 0;
  int n_flat = 0;
  for (int i = 0; i < gw * gh; i++)
    if (contrast[i] < MIN_CONTRAST)
      {
        background += means[i];
        n_flat++;
      }
  background = n_flat > 0 ? background / n_flat : 255;
  for (int i = 0; i < gw * gh; i++)
    mask[i] = contrast[i] >= MIN_CONTRAST && means[i] < background - 10;
  free (means);
  free (contrast);
}

/* One step of binary dilation (value 1) or erosion (value 0), 3x3. */
static void
morph (uint8_t *mask, uint8_t *tmp, int gw, int gh, uint8_t value)
{
  memcpy (tmp, mask, (size_t) gw * gh);
  for (int y = 0; y < gh; y++)
    for (int x = 0; x < gw; x++)
      {
        if (tmp[y * gw + x] == value)
          continue;
        for (int dy = -1; dy <= 1; dy++)
          for (int dx = -1; dx <= 1; dx++)
            {
              int nx = x + dx, ny = y + dy;
              /* outside the image counts as background */
              uint8_t v = (nx < 0 || ny < 0 || nx >= gw || ny >= gh) ? 0 : tmp[ny * gw + nx];
              if (v == value)
                {
                  mask[y * gw + x] = value;
                  dx = dy = 2;
                }
            }
      }
}

/* Labels 4-connected components; returns how many (<= MAX_COMPONENTS
 * kept, the rest merged into none). */
static int
label_components (const uint8_t *mask, int *labels, int gw, int gh, Component *components)
{
  int n = 0;
  int *stack = malloc (sizeof (int) * (size_t) gw * gh);
  if (stack == NULL)
    return 0;
  for (int i = 0; i < gw * gh; i++)
    labels[i] = -1;
  for (int start = 0; start < gw * gh; start++)
    {
      if (!mask[start] || labels[start] >= 0)
        continue;
      if (n == MAX_COMPONENTS)
        break;
      Component *c = &components[n];
      *c = (Component) { gw, gh, -1, -1, 0, 0, n };
      int top = 0;
      stack[top++] = start;
      labels[start] = n;
      while (top > 0)
        {
          int i = stack[--top], x = i % gw, y = i / gw;
          c->area++;
          c->sum_x += x;
          c->min_x = x < c->min_x ? x : c->min_x;
          c->max_x = x > c->max_x ? x : c->max_x;
          c->min_y = y < c->min_y ? y : c->min_y;
          c->max_y = y > c->max_y ? y : c->max_y;
          static const int offsets[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };
          for (int k = 0; k < 4; k++)
            {
              int nx = x + offsets[k][0], ny = y + offsets[k][1];
              if (nx < 0 || ny < 0 || nx >= gw || ny >= gh)
                continue;
              int j = ny * gw + nx;
              if (mask[j] && labels[j] < 0)
                {
                  labels[j] = n;
                  stack[top++] = j;
                }
            }
        }
      n++;
    }
  free (stack);
  return n;
}

/* Splits component @c in two at its emptiest column (middle 60%),
 * relabelling the right part as @new_label. */
static bool
split_component (int *labels, int gw, int gh, Component *c, Component *right, int new_label)
{
  int width = c->max_x - c->min_x + 1;
  int best = -1, best_count = gh + 1;
  for (int x = c->min_x + width / 5; x <= c->max_x - width / 5; x++)
    {
      int count = 0;
      for (int y = c->min_y; y <= c->max_y; y++)
        count += labels[y * gw + x] == c->label;
      if (count < best_count)
        {
          best_count = count;
          best = x;
        }
    }
  if (best < 0)
    return false;
  Component left = { gw, gh, -1, -1, 0, 0, c->label };
  *right = (Component) { gw, gh, -1, -1, 0, 0, new_label };
  for (int y = c->min_y; y <= c->max_y; y++)
    for (int x = c->min_x; x <= c->max_x; x++)
      {
        int *l = &labels[y * gw + x];
        if (*l != c->label)
          continue;
        Component *part = x > best ? right : &left;
        if (x > best)
          *l = new_label;
        else if (x == best)
          *l = -1;   /* the cut */
        if (x == best)
          continue;
        part->area++;
        part->sum_x += x;
        part->min_x = x < part->min_x ? x : part->min_x;
        part->max_x = x > part->max_x ? x : part->max_x;
        part->min_y = y < part->min_y ? y : part->min_y;
        part->max_y = y > part->max_y ? y : part->max_y;
      }
  if (left.area == 0 || right->area == 0)
    return false;
  *c = left;
  return true;
}

static int
compare_area (const void *a, const void *b)
{
  return ((const Component *) b)->area - ((const Component *) a)->area;
}

static int
compare_x (const void *a, const void *b)
{
  double x = ((const Component *) a)->sum_x / ((const Component *) a)->area;
  double y = ((const Component *) b)->sum_x / ((const Component *) b)->area;
  return x < y ? -1 : x > y;
}

/* Copies the fingertip of component @c; pixels of other blocks become
 * white so a neighbour's edge does not leak into the crop. */
static CaptureStatus
crop_finger (const CaptureImage *slap, const int *labels, int gw, const Component *c,
             CaptureFingerSegment *segment)
{
  int x0 = c->min_x * BLOCK, y0 = c->min_y * BLOCK;
  int x1 = (c->max_x + 1) * BLOCK, y1 = (c->max_y + 1) * BLOCK;
  x1 = x1 > slap->width ? slap->width : x1;
  y1 = y1 > slap->height ? slap->height : y1;
  if (y1 - y0 > MAX_TIP_HEIGHT)
    y1 = y0 + MAX_TIP_HEIGHT;
  CaptureImage image;
  CaptureStatus status = capture_image_init (&image, x1 - x0, y1 - y0, 1);
  if (status != CAPTURE_OK)
    return status;
  for (int y = y0; y < y1; y++)
    {
      const uint8_t *in = capture_image_row (slap, y);
      uint8_t *out = capture_image_row (&image, y - y0);
      for (int x = x0; x < x1; x++)
        {
          /* keep a one-block rim around the component */
          bool inside = false;
          for (int dy = -1; dy <= 1 && !inside; dy++)
            for (int dx = -1; dx <= 1 && !inside; dx++)
              {
                int bx = x / BLOCK + dx, by = y / BLOCK + dy;
                if (bx >= 0 && by >= 0 && bx < gw && by * BLOCK < slap->height
                    && labels[by * gw + bx] == c->label)
                  inside = true;
              }
          out[x - x0] = inside ? in[x] : 255;
        }
    }
  segment->x = x0;
  segment->y = y0;
  segment->width = x1 - x0;
  segment->height = y1 - y0;
  segment->image = image;
  return CAPTURE_OK;
}

/* Right hand when the rightmost finger (the little finger on a right
 * slap) sits lower and is narrower than the leftmost: > 0 right, < 0
 * left, near 0 unsure. Units: tens of pixels and a few pixels. */
static double
hand_score (const CaptureSlapResult *r)
{
  const CaptureFingerSegment *first = &r->fingers[0], *last = &r->fingers[r->n_fingers - 1];
  return (last->y - first->y) / 50.0 + (first->width - last->width) / 25.0;
}

CaptureStatus
capture_slap_segment (const CaptureImage *slap, CaptureSlapKind kind,
                      const CaptureFingerException exceptions[11], CaptureSlapResult *ret_result)
{
  CaptureStatus status = capture_image_validate (slap);
  if (status != CAPTURE_OK)
    return status;
  int expected = capture_slap_n_fingers (kind);
  if (slap->channels != 1 || expected == 0 || ret_result == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (slap->width < 64 || slap->height < 64)
    return CAPTURE_ERROR_IMAGE_TOO_SMALL;

  /* Positions the slap should show: those not declared as exceptions. */
  int present[CAPTURE_SLAP_MAX_FINGERS], n_present = 0;
  for (int i = 0; i < expected; i++)
    {
      int position = capture_slap_position (kind, i);
      if (exceptions == NULL || exceptions[position] == CAPTURE_FINGER_CAPTURED)
        present[n_present++] = position;
    }

  int gw = (slap->width + BLOCK - 1) / BLOCK, gh = (slap->height + BLOCK - 1) / BLOCK;
  uint8_t *mask = malloc ((size_t) gw * gh), *tmp = malloc ((size_t) gw * gh);
  int *labels = malloc (sizeof (int) * (size_t) gw * gh);
  Component *components = malloc (sizeof (Component) * (MAX_COMPONENTS + CAPTURE_SLAP_MAX_FINGERS));
  if (mask == NULL || tmp == NULL || labels == NULL || components == NULL)
    {
      free (mask);
      free (tmp);
      free (labels);
      free (components);
      return CAPTURE_ERROR_NO_MEMORY;
    }
  block_mask (slap, gw, gh, mask);
  /* close small gaps between ridges, then drop specks */
  morph (mask, tmp, gw, gh, 1);
  morph (mask, tmp, gw, gh, 0);
  morph (mask, tmp, gw, gh, 0);
  morph (mask, tmp, gw, gh, 1);
  int n = label_components (mask, labels, gw, gh, components);

  /* Only finger-sized components; split the too wide ones. */
  int kept = 0;
  for (int i = 0; i < n; i++)
    if (components[i].area * BLOCK * BLOCK >= MIN_FINGER_PIXELS)
      components[kept++] = components[i];
  n = kept;
  for (int i = 0; i < n && n < MAX_COMPONENTS; i++)
    {
      int width = (components[i].max_x - components[i].min_x + 1) * BLOCK;
      if (width > MAX_FINGER_WIDTH
          && split_component (labels, gw, gh, &components[i], &components[n], MAX_COMPONENTS + n))
        {
          n++;
          i--;   /* the left part may still be too wide */
        }
    }
  kept = 0;
  for (int i = 0; i < n; i++)
    if (components[i].area * BLOCK * BLOCK >= MIN_FINGER_PIXELS)
      components[kept++] = components[i];
  n = kept;
  qsort (components, (size_t) n, sizeof (Component), compare_area);
  if (n > expected)
    n = expected;
  qsort (components, (size_t) n, sizeof (Component), compare_x);

  CaptureSlapResult result;
  memset (&result, 0, sizeof result);
  result.kind = kind;
  capture_feedback_init (&result.feedback);
  status = n == 0 ? CAPTURE_ERROR_NOT_FOUND : CAPTURE_OK;
  for (int i = 0; i < n && status == CAPTURE_OK; i++)
    {
      status = crop_finger (slap, labels, gw, &components[i], &result.fingers[i]);
      if (status == CAPTURE_OK)
        result.n_fingers++;
    }
  free (mask);
  free (tmp);
  free (labels);
  free (components);
  if (status != CAPTURE_OK)
    {
      capture_slap_result_clear (&result);
      return status;
    }

  /* Positions. With the expected count they follow the slap's order.
   * With fewer, the gaps between neighbours show where a finger is
   * missing; a missing finger at an end is put on the little-finger side
   * (the short finger most often misses the platen). */
  if (result.n_fingers == n_present)
    for (int i = 0; i < n_present; i++)
      result.fingers[i].position = present[i];
  else
    {
      capture_feedback_add_check (&result.feedback, CAPTURE_SEVERITY_FAILURE, &check_count,
                                  result.n_fingers);
      double spacing = 0;
      for (int i = 0; i < result.n_fingers; i++)
        spacing += result.fingers[i].width * 1.15;
      spacing /= result.n_fingers;
      int slot = kind == CAPTURE_SLAP_LEFT_FOUR ? n_present - result.n_fingers : 0;
      for (int i = 0; i < result.n_fingers; i++)
        {
          if (i > 0)
            {
              double gap = (result.fingers[i].x + result.fingers[i].width / 2.0)
                           - (result.fingers[i - 1].x + result.fingers[i - 1].width / 2.0);
              int step = (int) lround (gap / spacing);
              slot += step < 1 ? 1 : step;
            }
          if (slot >= n_present)
            slot = n_present - 1;
          result.fingers[i].position = present[slot];
        }
    }

  /* Hand check: only a full four-finger slap shows the hand's shape. */
  if (kind != CAPTURE_SLAP_THUMBS && result.n_fingers == 4)
    {
      double score = hand_score (&result);
      if ((kind == CAPTURE_SLAP_RIGHT_FOUR && score < -2.0)
          || (kind == CAPTURE_SLAP_LEFT_FOUR && score > 2.0))
        capture_feedback_add_check (&result.feedback, CAPTURE_SEVERITY_FAILURE,
                                    &check_wrong_hand, score);
    }

  for (int i = 0; i < result.n_fingers; i++)
    {
      CaptureFingerSegment *segment = &result.fingers[i];
      if (capture_finger_quality (&segment->image, &segment->quality) != CAPTURE_OK)
        segment->quality = -1;
      capture_feedback_add_check (&result.feedback, CAPTURE_SEVERITY_INFO, &check_quality,
                                  segment->quality);
      if (segment->quality < 20)
        capture_feedback_add_check (&result.feedback, CAPTURE_SEVERITY_FAILURE,
                                    &check_low_quality, segment->position);
    }
  *ret_result = result;
  return CAPTURE_OK;
}
