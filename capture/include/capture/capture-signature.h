/* capture: signatures from a signature pad.
 *
 * Pen events (position in pad units, pressure, time, pen up/down) are
 * checked (empty, too short, outside the pad's box), rendered into a
 * clean gray image at a fixed resolution, and turned into what an
 * ANSI/NIST-ITL Type-8 record carries: the 8-bit image at 500 ppi
 * (19.69 ppmm) for SRT 0 "scanned uncompressed" (HLL x VLL bytes, as the
 * record room's Type-8 check reads it), a 1-bit packing of it for
 * profiles that want binary data, and the vector form (SRT 2): 5-byte
 * entries X, Y (16-bit big endian, units of 0.0254 mm from the top-left
 * corner) and pressure (1..254 pen down, 0 pen up,
 * 255 ends the list). The strokes themselves are kept as given. */
#ifndef CAPTURE_SIGNATURE_H
#define CAPTURE_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture-feedback.h"
#include "capture/capture-image.h"
#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CAPTURE_SIGNATURE_MAX_POINTS 100000   /* ~15 minutes at 100 Hz */

typedef struct {
  double x, y;        /* pad units */
  double pressure;    /* 0..pad max_pressure; 0 with pen down = unknown */
  uint32_t time_ms;   /* monotonic, from any origin */
  bool pen_down;
} CaptureSignaturePoint;

typedef struct {
  double width, height;   /* the pad's active box, pad units, from (0,0) */
  double units_per_inch;  /* pad resolution (e.g. 2540 for 100 lines/mm) */
  double max_pressure;    /* full-scale pressure (e.g. 1023); 0 = none */
  bool y_up;              /* y grows upwards on the pad (tablets) */
  int render_ppi;         /* output resolution; 0 = 500 (Type-8) */
  double pen_width_mm;    /* nominal stroke width; 0 = 0.5 mm */
  double min_ink_mm;      /* shortest acceptable pen-down path; 0 = 20 mm */
  uint32_t min_duration_ms;   /* shortest acceptable signing time; 0 = 300 */
} CaptureSignaturePad;

/* Checks @points and appends feedback: signature.empty,
 * signature.too_short, signature.out_of_box (failures) and
 * signature.ink_length (info, millimetres). INVALID_ARGUMENT for a bad
 * pad description, CAPACITY beyond CAPTURE_SIGNATURE_MAX_POINTS. */
CaptureStatus capture_signature_check (const CaptureSignaturePoint *points, size_t n_points,
                                       const CaptureSignaturePad *pad,
                                       CaptureFeedback *feedback);

/* Renders the pen-down strokes, anti-aliased, black ink on white, into a
 * new gray image cropped to the ink plus a 2 mm margin, at the pad's
 * render_ppi. Stroke width follows the pressure when the pad reports it.
 * NOT_FOUND when there is no ink. */
CaptureStatus capture_signature_render (const CaptureSignaturePoint *points, size_t n_points,
                                        const CaptureSignaturePad *pad,
                                        CaptureImage *ret_image);

/* Packs a gray image into 1 bit per pixel, rows padded to whole bytes,
 * most significant bit first, 1 = ink (pixel darker than @threshold). */
CaptureStatus capture_signature_binarise (const CaptureImage *image, int threshold,
                                          uint8_t **ret_bits, size_t *ret_size);

/* The Type-8 vector form of @points (see the top of this file), measured
 * from the top-left of the pad box, malloc'ed. */
CaptureStatus capture_signature_type8_vectors (const CaptureSignaturePoint *points,
                                               size_t n_points,
                                               const CaptureSignaturePad *pad,
                                               uint8_t **ret_data, size_t *ret_size);

#ifdef __cplusplus
}
#endif

#endif
