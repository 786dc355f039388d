/* capture: scanned supporting documents (KK, birth certificate...).
 *
 * A scanner page (SANE delivers 8-bit gray or RGB rasters) is checked for
 * being blank, deskewed (the text lines' angle found by projection
 * profiles, within +-10 degrees), cropped to the page (a scanner bed
 * darker than the paper around it is cut off), and encoded as JPEG; pages
 * are gathered into a PDF for printing (capture-pdf.h). */
#ifndef CAPTURE_DOCUMENT_H
#define CAPTURE_DOCUMENT_H

#include "capture/capture-feedback.h"
#include "capture/capture-image.h"
#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CAPTURE_DOCUMENT_MAX_SKEW 10.0   /* degrees searched either way */

typedef struct {
  double skew_degrees;    /* measured angle of the text lines,
                             counter-clockwise positive */
  double ink_fraction;    /* share of inked pixels inside the page */
  int page_x, page_y;     /* page box in the input image */
  int page_width, page_height;
  bool blank;
} CaptureDocumentAnalysis;

/* Measures @page (gray or RGB) without changing it. */
CaptureStatus capture_document_analyse (const CaptureImage *page,
                                        CaptureDocumentAnalysis *ret_analysis);

/* Full pipeline: analyse, then rotate by the measured skew (white fill)
 * and crop to the page. The result has the input's channels. Appends
 * document.blank (failure), document.skew (info, degrees) to @feedback;
 * a blank page still returns CAPTURE_OK with its (cropped) image so the
 * caller can show it. */
CaptureStatus capture_document_clean (const CaptureImage *page, CaptureImage *ret_clean,
                                      CaptureDocumentAnalysis *ret_analysis,
                                      CaptureFeedback *feedback);

/* Rotates @image by @degrees counter-clockwise about its centre, keeping
 * its size, bilinear, filling uncovered pixels with white. */
CaptureStatus capture_image_rotate (const CaptureImage *image, double degrees,
                                    CaptureImage *ret_image);

/* Copies the @width x @height box at (@x, @y), clipped to the image. */
CaptureStatus capture_image_crop (const CaptureImage *image, int x, int y, int width,
                                  int height, CaptureImage *ret_image);

#ifdef __cplusplus
}
#endif

#endif
