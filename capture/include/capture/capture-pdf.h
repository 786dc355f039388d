/* capture: a minimal multi-page PDF writer for scanned documents.
 *
 * Each page is one JPEG image (embedded as is, DCTDecode) filling a page
 * whose size follows the image's pixels and resolution. The writer
 * builds the file in memory (PDF 1.4, with a correct cross-reference
 * table) so the library stays free of I/O; it needs no PDF library. */
#ifndef CAPTURE_PDF_H
#define CAPTURE_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CAPTURE_PDF_MAX_PAGES 200
#define CAPTURE_PDF_MAX_BYTES (256u * 1024u * 1024u)

typedef struct CapturePdf CapturePdf;

CaptureStatus capture_pdf_new (CapturePdf **ret_pdf);
void capture_pdf_free (CapturePdf *pdf);

/* Adds a page holding the JPEG @jpeg (copied) of @width x @height pixels
 * and @channels (1 or 3) scanned at @dpi. */
CaptureStatus capture_pdf_add_jpeg_page (CapturePdf *pdf, const uint8_t *jpeg, size_t size,
                                         int width, int height, int channels, double dpi);

/* The finished document (malloc'ed, free()). At least one page. */
CaptureStatus capture_pdf_finish (CapturePdf *pdf, uint8_t **ret_data, size_t *ret_size);

#ifdef __cplusplus
}
#endif

#endif
