/* capture: WSQ, the FBI's Wavelet Scalar Quantization for 500 ppi 8-bit
 * gray fingerprint images (IAFIS-IC-0110 v3.1), as ANSI/NIST-ITL Type-4
 * and Type-14 records carry them (compression algorithm "WSQ20").
 *
 * Encoded buffers are malloc'ed; free() them. The decoder validates every
 * segment against the buffer and the library caps before allocating, and
 * returns CAPTURE_ERROR_MALFORMED_DATA for anything it cannot read. */
#ifndef CAPTURE_WSQ_H
#define CAPTURE_WSQ_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture-image.h"
#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CAPTURE_WSQ_DEFAULT_BITRATE 0.75   /* bits per pixel */
#define CAPTURE_WSQ_DEFAULT_PPI 500
#define CAPTURE_WSQ_MIN_DIMENSION 32       /* smaller images are refused */
#define CAPTURE_WSQ_MAX_DIMENSION 8192     /* a 16" slap at 500 ppi fits */
#define CAPTURE_WSQ_MAX_BYTES (64u * 1024u * 1024u)

/* Encodes the gray image @image at @bitrate bits per pixel (0 < bitrate
 * <= 8; the coder aims at it, real files land near it) and @ppi (written
 * to the NIST_COM comment; 0 means 500). */
CaptureStatus capture_wsq_encode (const CaptureImage *image, double bitrate, int ppi,
                                  uint8_t **ret_data, size_t *ret_size);

/* Decodes a WSQ stream into a new gray image. @ret_ppi (may be NULL) gets
 * the PPI of a NIST_COM comment, or -1 when the file names none. */
CaptureStatus capture_wsq_decode (const uint8_t *data, size_t size,
                                  CaptureImage *ret_image, int *ret_ppi);

#ifdef __cplusplus
}
#endif

#endif
