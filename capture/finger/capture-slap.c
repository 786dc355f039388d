/* Slap segmentation.
 *
 * Fingerprint ridges make strong local contrast; the scanner's platen
 * behind them is flat and light. The slap is cut into 8x8 blocks, a block
 * is foreground when its contrast is high and it is darker than the
 * background, the block mask is closed and opened, and its connected
 * components are the fingers. Components wider than a finger (two
 * fingers touching) are split at the emptiest columns, into as many
 * fingers as their width holds. The largest
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

static void
component_add (Component *c, int x, int y)
{
  c->area++;
  c->sum_x += x;
  c->min_x = x < c->min_x ? x : c->min_x;
  c->max_x = x > c->max_x ? x : c->max_x;
  c->min_y = y < c->min_y ? y : c->min_y;
  c->max_y = y > c->max_y ? y : c->max_y;
}

/* Splits component @c into @parts side-by-side fingers at the emptiest
 * columns of its (smoothed) column profile, at least @min_gap blocks
 * apart and from its edges. The first part keeps @c's slot, the others
 * are appended at @out with labels from @next_label. Returns the number
 * of parts made (1 when no valley qualifies). */
static int
split_component (int *labels, int gw, Component *c, int parts, int min_gap, Component *out,
                 int *next_label)
{
  int width = c->max_x - c->min_x + 1;
  int *profile = calloc ((size_t) width, sizeof (int));
  int cuts[CAPTURE_SLAP_MAX_FINGERS];
  int n_cuts = 0;
  if (profile == NULL)
    return 1;
  for (int y = c->min_y; y <= c->max_y; y++)
    for (int x = c->min_x; x <= c->max_x; x++)
      profile[x - c->min_x] += labels[y * gw + x] == c->label;
  while (n_cuts < parts - 1)
    {
      int best = -1;
      double best_value = 0;
      for (int i = min_gap; i < width - min_gap; i++)
        {
          bool near = false;
          for (int k = 0; k < n_cuts; k++)
            near = near || abs (cuts[k] - i) < min_gap;
          if (near)
            continue;
          /* three-column average: one thin gap column is not a valley */
          double value = (profile[i - 1] + 2.0 * profile[i] + profile[i + 1]) / 4.0;
          if (best < 0 || value < best_value)
            {
              best = i;
              best_value = value;
            }
        }
      if (best < 0)
        break;
      cuts[n_cuts++] = best;
    }
  free (profile);
  if (n_cuts == 0)
    return 1;
  /* sort the cuts, then relabel the columns between them */
  for (int i = 1; i < n_cuts; i++)
    for (int j = i; j > 0 && cuts[j] < cuts[j - 1]; j--)
      {
        int t = cuts[j];
        cuts[j] = cuts[j - 1];
        cuts[j - 1] = t;
      }
  Component original = *c;
  Component pieces[CAPTURE_SLAP_MAX_FINGERS];
  for (int k = 0; k <= n_cuts; k++)
    pieces[k] = (Component) { gw, 1 << 30, -1, -1, 0, 0, k == 0 ? original.label : (*next_label)++ };
  for (int y = original.min_y; y <= original.max_y; y++)
    for (int x = original.min_x; x <= original.max_x; x++)
      {
        int *l = &labels[y * gw + x];
        if (*l != original.label)
          continue;
        int column = x - original.min_x, k = 0;
        while (k < n_cuts && column > cuts[k])
          k++;
        if (k < n_cuts && column == cuts[k])
          {
            *l = -1;   /* the cut itself */
            continue;
          }
        *l = pieces[k].label;
        component_add (&pieces[k], x, y);
      }
  *c = pieces[0];
  int made = 1;
  for (int k = 1; k <= n_cuts; k++)
    if (pieces[k].area > 0)
      out[made++ - 1] = pieces[k];
  return made;
}

/* How many fingers each component holds: one for finger-wide ones; wider
 * ones by their width over a typical finger's (the narrow components'
 * median, or the total width shared by the expected count when every
 * component is wide), never more than the slap should hold in all. */
static void
plan_splits (const Component *c, int n, int expected, int *parts)
{
  int narrow[MAX_COMPONENTS], n_narrow = 0, total = 0;
  for (int i = 0; i < n; i++)
    {
      int width = (c[i].max_x - c[i].min_x + 1) * BLOCK;
      total += width;
      if (width <= MAX_FINGER_WIDTH)
        narrow[n_narrow++] = width;
    }
  double typical;
  if (n_narrow > 0)
    {
      for (int i = 1; i < n_narrow; i++)
        for (int j = i; j > 0 && narrow[j] < narrow[j - 1]; j--)
          {
            int t = narrow[j];
            narrow[j] = narrow[j - 1];
            narrow[j - 1] = t;
          }
      typical = narrow[n_narrow / 2];
    }
  else
    typical = (double) total / expected;
  int sum = 0;
  for (int i = 0; i < n; i++)
    {
      int width = (c[i].max_x - c[i].min_x + 1) * BLOCK;
      parts[i] = width <= MAX_FINGER_WIDTH ? 1 : (int) lround (width / typical);
      parts[i] = parts[i] < 1 ? 1 : (parts[i] > CAPTURE_SLAP_MAX_FINGERS ? CAPTURE_SLAP_MAX_FINGERS : parts[i]);
      sum += parts[i];
    }
  while (sum > expected)
    {
      /* take a part from the component whose parts would be widest */
      int best = -1;
      double best_width = 0;
      for (int i = 0; i < n; i++)
        if (parts[i] > 1)
          {
            double w = (c[i].max_x - c[i].min_x + 1.0) / (parts[i] - 1);
            if (best < 0 || w > best_width)
              {
                best = i;
                best_width = w;
              }
          }
      if (best < 0)
        break;
      parts[best]--;
      sum--;
    }
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

  /* Only finger-sized components; split those holding several fingers. */
  int kept = 0;
  for (int i = 0; i < n; i++)
    if (components[i].area * BLOCK * BLOCK >= MIN_FINGER_PIXELS)
      components[kept++] = components[i];
  n = kept;
  if (n < expected)
    {
      int parts[MAX_COMPONENTS];
      int next_label = MAX_COMPONENTS;
      plan_splits (components, n, expected, parts);
      int n_before = n;
      for (int i = 0; i < n_before; i++)
        if (parts[i] > 1 && n + parts[i] - 1 <= MAX_COMPONENTS + CAPTURE_SLAP_MAX_FINGERS)
          {
            int width = components[i].max_x - components[i].min_x + 1;
            int min_gap = (int) (0.6 * width / parts[i]);
            n += split_component (labels, gw, &components[i], parts[i], min_gap > 1 ? min_gap : 1,
                                  &components[n], &next_label) - 1;
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
