/* rki-error.h: the drivers' single error domain.
 *
 * Every failure a backend reports is one of these codes; the daemon maps
 * the domain to HTTP statuses (daemon/devices/). Messages always name the
 * device so an operator can tell which plug to check.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RKI_DEVICE_ERROR (rki_device_error_quark ())

typedef enum {
  RKI_DEVICE_ERROR_FAILED,        /* anything else the library reported */
  RKI_DEVICE_ERROR_NOT_SUPPORTED, /* this backend has no such operation */
  RKI_DEVICE_ERROR_NOT_OPEN,      /* open the device first */
  RKI_DEVICE_ERROR_ALREADY_OPEN,
  RKI_DEVICE_ERROR_BUSY,          /* one task in flight per device */
  RKI_DEVICE_ERROR_REMOVED,       /* unplugged (or card pulled) */
  RKI_DEVICE_ERROR_TIMEOUT,       /* the device did not answer in time */
  RKI_DEVICE_ERROR_PROTOCOL,      /* the device answered nonsense */
  RKI_DEVICE_ERROR_INVALID_DATA,  /* bad session file, bad APDU, ... */
  RKI_DEVICE_ERROR_NO_MEDIA,      /* no card in the reader, no paper */
} RkiDeviceError;

GQuark rki_device_error_quark (void);

G_END_DECLS
