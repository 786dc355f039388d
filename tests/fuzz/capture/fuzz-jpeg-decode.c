/* Fuzz target: JPEG decoding through capture_jpeg_decode (libjpeg-turbo
 * behind our size caps) must reject bad streams without crashing or
 * allocating beyond the caps. */
#include <stddef.h>
#include <stdint.h>

#include "capture/capture-jpeg.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  for (int channels = 0; channels <= 3; channels += 3)
    {
      CaptureImage image;
      if (capture_jpeg_decode (data, size, channels, &image) == CAPTURE_OK)
        capture_image_clear (&image);
    }
  return 0;
}
