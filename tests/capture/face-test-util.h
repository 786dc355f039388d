/* Helpers for the face tests: image transforms that turn one portrait
 * into the variants the checks must catch (rotated, shifted, shrunk,
 * blurred, doubled, recoloured background). Deterministic: every random
 * choice comes from the seed given. */
#ifndef FACE_TEST_UTIL_H
#define FACE_TEST_UTIL_H

#include <stdint.h>

#include "capture/capture-image.h"

/* Small deterministic generator (splitmix64). */
uint64_t face_test_random (uint64_t *state);

/* Loads a JPEG file as RGB; aborts the test on failure. */
void face_test_load_jpeg (const char *path, CaptureImage *ret_image);

/* Copy of @src rotated by @degrees (clockwise on screen) about (cx, cy)
 * and then scaled by @scale about the same point and moved by (dx, dy);
 * uncovered pixels get @fill. Same size as @src. */
void face_test_transform (const CaptureImage *src, double degrees, double scale,
                          double cx, double cy, double dx, double dy,
                          const uint8_t fill[3], CaptureImage *ret_image);

/* Box blur of radius @radius, three passes (close to a Gaussian). */
void face_test_blur (CaptureImage *image, int radius);

/* Replaces the background: pixels reached from the top edge and the upper
 * sides through steps of at most 4 per channel, and within @tolerance of
 * the top-left corner's colour, become @colour plus seeded noise of
 * +-@noise. */
void face_test_replace_background (CaptureImage *image, int tolerance,
                                   const uint8_t colour[3], int noise,
                                   uint64_t seed);

/* Multiplies every channel of the rectangle by @factor (clamped). */
void face_test_scale_brightness (CaptureImage *image, int x0, int y0, int x1,
                                 int y1, double factor);

#endif
