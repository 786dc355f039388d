/* rekam-afis: image file decoding (the CLI only; the library never opens
 * files). PNG, TIFF, BMP, PGM/PNM and JPEG are decoded by gdk-pixbuf's
 * loaders and converted to 8-bit grayscale (ITU-R BT.601 luma). */
#ifndef AFIS_IMAGE_LOAD_H
#define AFIS_IMAGE_LOAD_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint8_t *pixels; /* width * height bytes, row-major, owned */
  int width;
  int height;
} AfisCliImage;

/* Loads @path as 8-bit grayscale into @ret_image. Returns 0 on success;
 * on failure returns -1, leaves @ret_image untouched and writes a short
 * reason (NUL-terminated) into @reason. */
int afis_cli_image_load (const char *path, AfisCliImage *ret_image,
                         char *reason, size_t reason_size);
void afis_cli_image_clear (AfisCliImage *image);

#endif
