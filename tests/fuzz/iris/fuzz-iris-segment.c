/* Fuzz: segmentation and encoding of arbitrary bytes. The first four
 * bytes choose the size (kept small so runs stay fast under ASan); the
 * rest is tiled as pixels. Any outcome but a crash is fine, and a
 * success must give a sane segmentation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-iris.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  AfisIrisTemplate t;
  AfisIrisSegmentation s;
  AfisIrisQuality q;
  AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
  int width, height;
  uint8_t *pixels;

  if (size < 5)
    return 0;
  width = 90 + (data[0] | data[1] << 8) % 300;
  height = 90 + (data[2] | data[3] << 8) % 250;
  pixels = malloc ((size_t) width * (size_t) height);
  if (pixels == NULL)
    return 0;
  for (size_t i = 0; i < (size_t) width * (size_t) height; i++)
    pixels[i] = data[4 + i % (size - 4)];
  AfisStatus status = afis_iris_extract (pixels, width, height, width, &t, &s, &q, &reject);
  if (status == AFIS_OK)
    {
      if (!(s.iris.radius > s.pupil.radius) || q.overall < 0 || q.overall > 100)
        abort ();
    }
  else if (status == AFIS_ERROR_UNUSABLE_IMAGE && reject == AFIS_IRIS_REJECT_NONE)
    abort ();
  free (pixels);
  return 0;
}
