/* capture: the background rule and colour classes; see
 * capture-face-background.h. */
#include "capture/capture-face-background.h"

#include <stddef.h>

void
capture_background_rule_init (CaptureBackgroundRule *rule)
{
  if (rule == NULL)
    return;
  rule->odd_year = CAPTURE_BACKGROUND_RED;
  rule->even_year = CAPTURE_BACKGROUND_BLUE;
}

CaptureStatus
capture_background_rule_colour (const CaptureBackgroundRule *rule, int birth_year,
                                CaptureBackgroundColour *ret_colour)
{
  if (rule == NULL || ret_colour == NULL || birth_year < 1800 || birth_year > 9999)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  *ret_colour = (birth_year % 2 != 0) ? rule->odd_year : rule->even_year;
  return CAPTURE_OK;
}

CaptureBackgroundColour
capture_background_classify_rgb (uint8_t r, uint8_t g, uint8_t b)
{
  int max = r > g ? (r > b ? r : b) : (g > b ? g : b);
  int min = r < g ? (r < b ? r : b) : (g < b ? g : b);
  int chroma = max - min;
  /* Too dark to tell (shadow, hair) or too grey (the London sets' light
   * grey backdrop, white walls): not a photo backdrop of either colour.
   * Saturation >= 0.35 keeps the faded blue of a sunlit cloth. */
  if (max < 50 || chroma * 100 < max * 35)
    return CAPTURE_BACKGROUND_OTHER;
  /* hue in degrees, 0..360 */
  double hue;
  if (max == r)
    hue = 60.0 * (double) (g - b) / chroma;
  else if (max == g)
    hue = 60.0 * (2.0 + (double) (b - r) / chroma);
  else
    hue = 60.0 * (4.0 + (double) (r - g) / chroma);
  if (hue < 0)
    hue += 360.0;
  /* Red backdrops run from crimson to orange-red; skin is orange
   * (hue 15-40) and stays out. Blue spans sky blue to royal blue. */
  if (hue >= 340.0 || hue <= 12.0)
    return CAPTURE_BACKGROUND_RED;
  if (hue >= 190.0 && hue <= 255.0)
    return CAPTURE_BACKGROUND_BLUE;
  return CAPTURE_BACKGROUND_OTHER;
}

const char *
capture_background_colour_name (CaptureBackgroundColour colour)
{
  switch (colour)
    {
    case CAPTURE_BACKGROUND_RED:
      return "red";
    case CAPTURE_BACKGROUND_BLUE:
      return "blue";
    case CAPTURE_BACKGROUND_OTHER:
    default:
      return "other";
    }
}
