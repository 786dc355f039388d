/* capture: quality feedback, the result of every capture check.
 *
 * The recording screen must say at once why a capture is not good enough
 * and what to do, in words a citizen understands. Every check adds an item
 * with a stable machine code ("face.too_small", "finger.missing") and a
 * short message in Bahasa Indonesia and in English. Codes and messages are
 * static strings (string literals from the check's table), so a
 * CaptureFeedback owns nothing, needs no cleanup and can be copied. */
#ifndef CAPTURE_FEEDBACK_H
#define CAPTURE_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CAPTURE_FEEDBACK_MAX_ITEMS 32

typedef enum {
  CAPTURE_SEVERITY_INFO = 0,  /* a measure worth showing, not a problem */
  CAPTURE_SEVERITY_WARNING,   /* acceptable, but could be better */
  CAPTURE_SEVERITY_FAILURE,   /* the capture must be retaken */
} CaptureSeverity;

typedef struct {
  const char *code;        /* machine code, "<modality>.<what>", static */
  const char *message_id;  /* Bahasa Indonesia, static */
  const char *message_en;  /* English, static */
  CaptureSeverity severity;
  double value;            /* the measure that triggered it, or 0 */
} CaptureFeedbackItem;

typedef struct {
  CaptureFeedbackItem items[CAPTURE_FEEDBACK_MAX_ITEMS];
  size_t n_items;
  size_t n_dropped;        /* items that did not fit (still a failure if
                              any dropped item was one) */
  bool dropped_failure;
} CaptureFeedback;

/* One entry of a check table: code and both messages. */
typedef struct {
  const char *code;
  const char *message_id;
  const char *message_en;
} CaptureCheck;

void capture_feedback_init (CaptureFeedback *feedback);

/* Appends an item. The strings must be static (string literals). When the
 * list is full the item is counted in n_dropped; the verdict still sees
 * a dropped failure. */
void capture_feedback_add (CaptureFeedback *feedback, CaptureSeverity severity,
                           const char *code, const char *message_id,
                           const char *message_en, double value);

/* Same, from a check table entry. */
void capture_feedback_add_check (CaptureFeedback *feedback,
                                 CaptureSeverity severity,
                                 const CaptureCheck *check, double value);

/* true when no item (kept or dropped) is a FAILURE. */
bool capture_feedback_passed (const CaptureFeedback *feedback);

/* The first item with @code, or NULL. */
const CaptureFeedbackItem *capture_feedback_find (const CaptureFeedback *feedback,
                                                  const char *code);

/* Number of FAILURE items kept. */
size_t capture_feedback_n_failures (const CaptureFeedback *feedback);

#ifdef __cplusplus
}
#endif

#endif
