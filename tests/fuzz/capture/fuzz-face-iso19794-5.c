/* Fuzz target: the ISO/IEC 19794-5 face record reader must reject any
 * malformed input with a status, never read outside it, and every image
 * it accepts must lie inside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "capture/capture-iso19794-5.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  CaptureIso19794_5Image images[CAPTURE_ISO19794_5_MAX_IMAGES];
  size_t n = 0;
  const char *reason = NULL;
  if (data == NULL)
    return 0;
  CaptureStatus status = capture_iso19794_5_read (data, size, images,
                                                  CAPTURE_ISO19794_5_MAX_IMAGES, &n,
                                                  &reason);
  if (status != CAPTURE_OK)
    {
      /* a rejection always says why */
      if (status != CAPTURE_ERROR_INVALID_ARGUMENT && reason == NULL)
        abort ();
      return 0;
    }
  for (size_t i = 0; i < n; i++)
    {
      if (images[i].data < data || images[i].data + images[i].data_size > data + size)
        abort ();
      /* touch every byte so ASan sees any escape */
      volatile uint8_t sum = 0;
      for (size_t k = 0; k < images[i].data_size; k++)
        sum ^= images[i].data[k];
      (void) sum;
      /* what was read must write back to the same bytes */
      uint8_t *copy = NULL;
      size_t copy_size = 0;
      if (n == 1 && capture_iso19794_5_write (images, 1, &copy, &copy_size) == CAPTURE_OK)
        {
          if (copy_size != size)
            abort ();
          free (copy);
        }
    }
  return 0;
}
