/* capture: JPEG encode/decode through libjpeg-turbo's TurboJPEG API.
 *
 * Encoded buffers are allocated with malloc() and freed by the caller with
 * free(). Decoding checks the header's dimensions against the library caps
 * before allocating, so a hostile file cannot ask for gigabytes. */
#ifndef CAPTURE_JPEG_H
#define CAPTURE_JPEG_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture-image.h"
#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest JPEG stream accepted or produced. */
#define CAPTURE_JPEG_MAX_BYTES (64u * 1024u * 1024u)

/* Encodes @image (gray or RGB) at @quality (1..100), 4:2:0 chroma for
 * RGB. On success *ret_data (malloc'ed) and *ret_size are set. */
CaptureStatus capture_jpeg_encode (const CaptureImage *image, int quality,
                                   uint8_t **ret_data, size_t *ret_size);

/* Encodes at the highest quality in [@min_quality, @max_quality] whose
 * output is at most @max_bytes (binary search over quality). Fails with
 * CAPTURE_ERROR_SIZE_BUDGET when even @min_quality is too big.
 * @ret_quality may be NULL. */
CaptureStatus capture_jpeg_encode_budget (const CaptureImage *image,
                                          size_t max_bytes, int min_quality,
                                          int max_quality, uint8_t **ret_data,
                                          size_t *ret_size, int *ret_quality);

/* Decodes @data into a new image with @channels (1 = gray, 3 = RGB, 0 = as
 * stored: gray for gray JPEGs, RGB otherwise). MALFORMED_DATA for a
 * truncated or corrupt stream, IMAGE_TOO_LARGE beyond the caps. */
CaptureStatus capture_jpeg_decode (const uint8_t *data, size_t size,
                                   int channels, CaptureImage *ret_image);

#ifdef __cplusplus
}
#endif

#endif
