#include "rk-devices-error.h"

#include "rk-api.h"
#include "rki-error.h"

/* Statuses: the caller's fault is 4xx (busy, no card, unplugged), the
 * device's is 502/504 (it failed or never answered). */
static gboolean
map_device_error (const GError *error, guint *ret_status, const char **ret_code)
{
  static const struct { RkiDeviceError code; guint status; const char *name; } map[] = {
    { RKI_DEVICE_ERROR_FAILED, 502, "device-failed" },
    { RKI_DEVICE_ERROR_NOT_SUPPORTED, 400, "device-not-supported" },
    { RKI_DEVICE_ERROR_NOT_OPEN, 409, "device-not-open" },
    { RKI_DEVICE_ERROR_ALREADY_OPEN, 409, "device-already-open" },
    { RKI_DEVICE_ERROR_BUSY, 409, "device-busy" },
    { RKI_DEVICE_ERROR_REMOVED, 410, "device-removed" },
    { RKI_DEVICE_ERROR_TIMEOUT, 504, "device-timeout" },
    { RKI_DEVICE_ERROR_PROTOCOL, 502, "device-protocol" },
    { RKI_DEVICE_ERROR_INVALID_DATA, 400, "invalid-data" },
    { RKI_DEVICE_ERROR_NO_MEDIA, 409, "no-media" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if ((RkiDeviceError) error->code == map[i].code)
      {
        *ret_status = map[i].status;
        *ret_code = map[i].name;
        return TRUE;
      }
  return FALSE;
}

void
rk_devices_register_errors (void)
{
  rk_api_register_error_domain (RKI_DEVICE_ERROR, map_device_error);
}
