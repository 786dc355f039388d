/* Fuzz target: the WSQ decoder must reject any malformed stream cleanly
 * (no crash, no leak, no out-of-bounds access). */
#include <stddef.h>
#include <stdint.h>

#include "capture/capture-wsq.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  CaptureImage image;
  int ppi = 0;
  if (capture_wsq_decode (data, size, &image, &ppi) == CAPTURE_OK)
    capture_image_clear (&image);
  return 0;
}
