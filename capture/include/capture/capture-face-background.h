/* capture: the e-KTP photo background rule and colour classes.
 *
 * Dukcapil (the Directorate General of Population and Civil Registration)
 * assigns the background colour of the e-KTP photo by birth year: red for
 * odd years, blue for even years (see docs/capture-face.md for the
 * sources). The rule is data, not code, so a changed regulation is a
 * configuration change. */
#ifndef CAPTURE_FACE_BACKGROUND_H
#define CAPTURE_FACE_BACKGROUND_H

#include <stdint.h>

#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CAPTURE_BACKGROUND_OTHER = 0, /* neither red nor blue, or mixed */
  CAPTURE_BACKGROUND_RED,
  CAPTURE_BACKGROUND_BLUE,
} CaptureBackgroundColour;

typedef struct {
  CaptureBackgroundColour odd_year;  /* default RED */
  CaptureBackgroundColour even_year; /* default BLUE */
} CaptureBackgroundRule;

/* The rule in force (red odd, blue even). */
void capture_background_rule_init (CaptureBackgroundRule *rule);

/* The colour @rule requires for @birth_year (1800..9999), or
 * INVALID_ARGUMENT for a year outside that range. */
CaptureStatus capture_background_rule_colour (const CaptureBackgroundRule *rule,
                                              int birth_year,
                                              CaptureBackgroundColour *ret_colour);

/* Classifies one RGB pixel as red, blue or other by hue, saturation and
 * value; dark, pale and grey pixels are OTHER. */
CaptureBackgroundColour capture_background_classify_rgb (uint8_t r, uint8_t g,
                                                         uint8_t b);

/* "red", "blue" or "other" (static). */
const char *capture_background_colour_name (CaptureBackgroundColour colour);

#ifdef __cplusplus
}
#endif

#endif
