/* afis iris: helpers shared by the iris sources (not installed). */
#ifndef AFIS_IRIS_PRIVATE_H
#define AFIS_IRIS_PRIVATE_H

#include <stdint.h>

#include "afis/afis-iris.h"

#define IRIS_PI 3.14159265358979323846

/* A float image owned by its creator. */
typedef struct {
  int width;
  int height;
  float *pixels;
} IrisImage;

/* Bilinear sample with clamping at the borders. */
static inline float
iris_image_sample (const IrisImage *image, float x, float y)
{
  int x0, y0;
  float fx, fy;
  const float *row0, *row1;

  if (x < 0)
    x = 0;
  if (y < 0)
    y = 0;
  if (x > (float) image->width - 1.001f)
    x = (float) image->width - 1.001f;
  if (y > (float) image->height - 1.001f)
    y = (float) image->height - 1.001f;
  x0 = (int) x;
  y0 = (int) y;
  fx = x - (float) x0;
  fy = y - (float) y0;
  row0 = image->pixels + (size_t) y0 * (size_t) image->width + x0;
  row1 = row0 + image->width;
  return (row0[0] * (1 - fx) + row0[1] * fx) * (1 - fy)
         + (row1[0] * (1 - fx) + row1[1] * fx) * fy;
}

/* Nearest sample; outside the image returns -1. */
static inline float
iris_image_at (const IrisImage *image, int x, int y)
{
  if (x < 0 || y < 0 || x >= image->width || y >= image->height)
    return -1.0f;
  return image->pixels[(size_t) y * (size_t) image->width + x];
}

/* Point where the ray from (@px,@py) at angle @theta leaves the circle
 * (@cx,@cy,@r); the ray origin must lie inside the circle. */
void iris_ray_circle (float px, float py, float theta, float cx, float cy,
                      float r, float *ret_x, float *ret_y);

/* 1 when (@x,@y) lies above the upper lid or below the lower lid. */
int iris_eyelid_occludes (const AfisIrisSegmentation *segmentation, float x,
                          float y);

/* afis_iris_probe_compare on bare code and mask words (the gallery
 * stores them without the template's other fields). */
double iris_probe_compare_words (const AfisIrisProbe *probe,
                                 const uint64_t *code, const uint64_t *mask);

#endif
