/* capture: fingers. Slap segmentation, the hand and count checks,
 * per-finger quality (from afis), the sequence check of flat fingers
 * against the slap, and exceptions (missing, amputated, unprintable).
 *
 * Finger positions are the ANSI/NIST-ITL 1-2011 codes (Table 8): 1..5
 * right thumb, index, middle, ring, little; 6..10 the same on the left;
 * 13 plain right four fingers, 14 plain left four, 15 plain thumbs.
 *
 * Slap images are 8-bit gray at 500 ppi, dark ridges on a light
 * background, fingertips up, seen as the scanner images them: on a right
 * four-finger slap the index finger is leftmost (2, 3, 4, 5 from left to
 * right), on a left slap the little finger is leftmost (10, 9, 8, 7), on
 * a two-thumb slap the left thumb is leftmost (6, 1). */
#ifndef CAPTURE_FINGER_H
#define CAPTURE_FINGER_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/capture-feedback.h"
#include "capture/capture-image.h"
#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CAPTURE_WARN_UNUSED __attribute__ ((warn_unused_result))
#else
#define CAPTURE_WARN_UNUSED
#endif

#define CAPTURE_FINGER_PPI 500
#define CAPTURE_SLAP_MAX_FINGERS 4

typedef enum {
  CAPTURE_SLAP_RIGHT_FOUR = 13,  /* ANSI/NIST plain right four fingers */
  CAPTURE_SLAP_LEFT_FOUR = 14,   /* plain left four fingers */
  CAPTURE_SLAP_THUMBS = 15,      /* plain left and right thumbs */
} CaptureSlapKind;

/* Why a finger is not captured; the ANSI/NIST amputated-or-bandaged
 * code (AMP field of Type-13/14) is given by capture_finger_exception_code(). */
typedef enum {
  CAPTURE_FINGER_CAPTURED = 0,
  CAPTURE_FINGER_AMPUTATED,      /* "XX" */
  CAPTURE_FINGER_UNPRINTABLE,    /* "UP": bandaged, injured, no ridges */
} CaptureFingerException;

/* "XX", "UP", or NULL for a captured finger. */
const char *capture_finger_exception_code (CaptureFingerException exception);

/* Number of fingers a slap holds (4 or 2) and the position of the i-th
 * from the left; 0 for a bad kind or index. */
int capture_slap_n_fingers (CaptureSlapKind kind);
int capture_slap_position (CaptureSlapKind kind, int index_from_left);

typedef struct {
  int position;          /* ANSI/NIST finger code 1..10 */
  int x, y;              /* top-left of the fingertip box in the slap */
  int width, height;
  CaptureImage image;    /* the fingertip, owned; background outside the
                            finger's area is set to white */
  int quality;           /* afis quality 0..100; -1 when afis found no
                            usable print */
} CaptureFingerSegment;

typedef struct {
  CaptureSlapKind kind;
  int n_fingers;                                 /* segments found */
  CaptureFingerSegment fingers[CAPTURE_SLAP_MAX_FINGERS]; /* left to right */
  CaptureFeedback feedback;  /* finger.count_mismatch, finger.wrong_hand,
                                finger.low_quality, finger.quality (info) */
} CaptureSlapResult;

/* Segments @slap (gray, 500 ppi) of @kind into fingertips. Fingers the
 * operator declared as exceptions are listed in @exceptions (indexed by
 * position 1..10; NULL = none), so that a three-finger slap with a
 * declared amputation is complete. Missing fingers are reported in the
 * feedback, never invented. NOT_FOUND when no finger at all is found.
 * Free with capture_slap_result_clear(). */
CaptureStatus capture_slap_segment (const CaptureImage *slap, CaptureSlapKind kind,
                                    const CaptureFingerException exceptions[11],
                                    CaptureSlapResult *ret_result);

void capture_slap_result_clear (CaptureSlapResult *result);

/* Sequence check: @flat (a finger captured alone, declared at
 * @position) must match the slap segment at the same position better
 * than the others (at least twice the next score) and above the
 * matcher's 1:10000 false-match threshold.
 * Sets *ret_matched_position to the position of the best-matching
 * segment (0 when none matches) and appends finger.sequence_mismatch or
 * finger.sequence_unverified to @feedback when the check fails. */
CaptureStatus capture_finger_sequence_check (const CaptureImage *flat, int position,
                                             const CaptureSlapResult *slap,
                                             int *ret_matched_position,
                                             CaptureFeedback *feedback) CAPTURE_WARN_UNUSED;

/* Quality of a single finger image via afis: 0..100, -1 when no print
 * could be extracted. */
CaptureStatus capture_finger_quality (const CaptureImage *image, int *ret_quality);

#ifdef __cplusplus
}
#endif

#endif
