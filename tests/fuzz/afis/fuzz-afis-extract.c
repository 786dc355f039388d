/* Fuzz target: the extractor on arbitrary image bytes. The first two
 * bytes choose the width and height (64..191), the third the resolution;
 * the rest (repeated to fill) are the pixels. Extraction must either fail
 * cleanly or give a print whose minutiae lie inside the image. */
#include <stdlib.h>
#include <string.h>

#include "afis/afis-finger.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 4)
    return 0;
  int width = 64 + data[0] % 128, height = 64 + data[1] % 128;
  static const int ppis[] = { 500, 500, 569, 1000, 333 };
  int ppi = ppis[data[2] % 5];
  static uint8_t pixels[192 * 192];
  size_t body = size - 3;
  for (int i = 0; i < width * height; i++)
    pixels[i] = data[3 + (size_t) i % body];
  static AfisFingerprint print;
  if (afis_finger_extract (pixels, width, height, (size_t) width, ppi, &print) != AFIS_OK)
    return 0;
  if (print.count > AFIS_FINGER_MAX_MINUTIAE || print.quality > 100)
    abort ();
  for (int i = 0; i < print.count; i++)
    if (print.minutiae[i].x >= print.width || print.minutiae[i].y >= print.height
        || print.minutiae[i].type > 2 || print.minutiae[i].quality > 100)
      abort ();
  return 0;
}
