/* afis: status codes shared by the whole library.
 *
 * Every fallible afis_* function returns an AfisStatus; on anything but
 * AFIS_OK its ret_ out-parameters are left untouched. New codes are
 * appended at the end (the numbers are part of the ABI of saved logs). */
#ifndef AFIS_STATUS_H
#define AFIS_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  AFIS_OK = 0,
  AFIS_ERROR_INVALID_ARGUMENT,   /* NULL pointer, zero size, bad enum value */
  AFIS_ERROR_NO_MEMORY,          /* an allocation failed */
  AFIS_ERROR_IMAGE_TOO_SMALL,    /* below the minimum usable dimensions */
  AFIS_ERROR_IMAGE_TOO_LARGE,    /* above the library's dimension cap */
  AFIS_ERROR_UNUSABLE_IMAGE,     /* no finger / no iris could be found */
  AFIS_ERROR_MALFORMED_RECORD,   /* a template or record fails validation */
  AFIS_ERROR_UNSUPPORTED,        /* valid but not supported (version, format) */
  AFIS_ERROR_CAPACITY,           /* a fixed capacity would be exceeded */
  AFIS_ERROR_NOT_FOUND,          /* no such person / finger / entry */
  AFIS_ERROR_BUFFER_TOO_SMALL,   /* the caller's output buffer is too small */
  AFIS_ERROR_THREAD,             /* a worker thread could not be started */
} AfisStatus;

/* A short English description of @status; never NULL, static storage. */
const char *afis_strerror (AfisStatus status);

#ifdef __cplusplus
}
#endif

#endif
