/* Fuzz target: loading a saved gallery image from arbitrary bytes. */
#include "afis/afis-gallery.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  AfisGallery *gallery = NULL;
  if (afis_gallery_load (data, size, &gallery) == AFIS_OK)
    afis_gallery_free (gallery);
  return 0;
}
