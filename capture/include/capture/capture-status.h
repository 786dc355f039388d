/* capture: status codes shared by the whole library.
 *
 * Every fallible capture_* function returns a CaptureStatus; on anything
 * but CAPTURE_OK its ret_ out-parameters are left untouched. New codes are
 * appended at the end (the numbers appear in saved logs).
 *
 * A status says the *call* failed (bad input, no memory, corrupt file).
 * A capture that worked but is not good enough (blurred face, missing
 * finger) is not a failed call: it returns CAPTURE_OK and describes the
 * problem in a CaptureFeedback (capture-feedback.h). */
#ifndef CAPTURE_STATUS_H
#define CAPTURE_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CAPTURE_OK = 0,
  CAPTURE_ERROR_INVALID_ARGUMENT,  /* NULL pointer, bad enum, zero size */
  CAPTURE_ERROR_NO_MEMORY,         /* an allocation failed */
  CAPTURE_ERROR_IMAGE_TOO_SMALL,   /* below the minimum usable dimensions */
  CAPTURE_ERROR_IMAGE_TOO_LARGE,   /* above CAPTURE_IMAGE_MAX_DIMENSION */
  CAPTURE_ERROR_MALFORMED_DATA,    /* truncated or corrupt WSQ/JPEG/record */
  CAPTURE_ERROR_UNSUPPORTED,       /* valid but not supported (version...) */
  CAPTURE_ERROR_BUFFER_TOO_SMALL,  /* the caller's buffer is too small */
  CAPTURE_ERROR_SIZE_BUDGET,       /* output cannot fit the size budget */
  CAPTURE_ERROR_CODEC,             /* the JPEG/PDF library reported an error */
  CAPTURE_ERROR_NOT_FOUND,         /* nothing to work on (no face, no ink) */
  CAPTURE_ERROR_CAPACITY,          /* a fixed capacity would be exceeded */
  CAPTURE_ERROR_BACKEND,           /* OpenCV (or another backend) failed */
  CAPTURE_ERROR_IO,                /* a writer callback failed */
} CaptureStatus;

/* A short English description of @status; never NULL, static storage. */
const char *capture_strerror (CaptureStatus status);

#ifdef __cplusplus
}
#endif

#endif
