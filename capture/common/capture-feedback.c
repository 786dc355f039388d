#include "capture/capture-feedback.h"

#include <string.h>

void
capture_feedback_init (CaptureFeedback *feedback)
{
  if (feedback != NULL)
    memset (feedback, 0, sizeof *feedback);
}

void
capture_feedback_add (CaptureFeedback *feedback, CaptureSeverity severity,
                      const char *code, const char *message_id,
                      const char *message_en, double value)
{
  if (feedback == NULL || code == NULL)
    return;
  if (feedback->n_items >= CAPTURE_FEEDBACK_MAX_ITEMS)
    {
      /* Never lose a failure silently: the verdict still sees it. */
      feedback->n_dropped++;
      if (severity == CAPTURE_SEVERITY_FAILURE)
        feedback->dropped_failure = true;
      return;
    }
  CaptureFeedbackItem *item = &feedback->items[feedback->n_items++];
  item->code = code;
  item->message_id = message_id != NULL ? message_id : "";
  item->message_en = message_en != NULL ? message_en : "";
  item->severity = severity;
  item->value = value;
}

void
capture_feedback_add_check (CaptureFeedback *feedback, CaptureSeverity severity,
                            const CaptureCheck *check, double value)
{
  if (check == NULL)
    return;
  capture_feedback_add (feedback, severity, check->code, check->message_id,
                        check->message_en, value);
}

bool
capture_feedback_passed (const CaptureFeedback *feedback)
{
  if (feedback == NULL)
    return false;
  return capture_feedback_n_failures (feedback) == 0 && !feedback->dropped_failure;
}

const CaptureFeedbackItem *
capture_feedback_find (const CaptureFeedback *feedback, const char *code)
{
  if (feedback == NULL || code == NULL)
    return NULL;
  for (size_t i = 0; i < feedback->n_items; i++)
    if (strcmp (feedback->items[i].code, code) == 0)
      return &feedback->items[i];
  return NULL;
}

size_t
capture_feedback_n_failures (const CaptureFeedback *feedback)
{
  size_t n = 0;
  if (feedback == NULL)
    return 0;
  for (size_t i = 0; i < feedback->n_items; i++)
    if (feedback->items[i].severity == CAPTURE_SEVERITY_FAILURE)
      n++;
  return n;
}
