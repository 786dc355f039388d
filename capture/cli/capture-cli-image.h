/* rekam-capture: image files (the CLI only; the library never opens
 * files). Reading uses gdk-pixbuf's loaders (PNG, TIFF, PNM/PGM, BMP,
 * JPEG); binary PGM (P5) is read directly so 8-bit gray stays exact.
 * Writing: PGM (P5) directly, PNG through gdk-pixbuf, JPEG via the
 * library's capture_jpeg_encode(). */
#ifndef CAPTURE_CLI_IMAGE_H
#define CAPTURE_CLI_IMAGE_H

#include <stddef.h>

#include "capture/capture-image.h"

/* Loads @path into @ret_image with @channels (1 gray, 3 RGB). Returns 0;
 * on failure -1, @ret_image untouched and a reason in @reason. */
int capture_cli_image_load (const char *path, int channels,
                            CaptureImage *ret_image, char *reason,
                            size_t reason_size);

/* Writes @image to @path, format from the extension: .pgm (gray only),
 * .png, .jpg/.jpeg (quality 90). Returns 0, or -1 with a reason. */
int capture_cli_image_save (const CaptureImage *image, const char *path,
                            char *reason, size_t reason_size);

/* Reads a whole file (at most @max_size bytes) into a malloc'ed buffer.
 * Returns 0, or -1 with a reason. */
int capture_cli_read_file (const char *path, size_t max_size,
                           unsigned char **ret_data, size_t *ret_size,
                           char *reason, size_t reason_size);

/* Writes @size bytes to @path (via a temporary file and rename). */
int capture_cli_write_file (const char *path, const unsigned char *data,
                            size_t size, char *reason, size_t reason_size);

#endif
