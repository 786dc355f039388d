/* rk-device-manager.h: the station's devices, as rekamd owns them.
 *
 * One manager per daemon, on the main loop. It creates the drivers/
 * devices named by the [devices] config (and, with --demo, a replay
 * device for every class), opens them with their stored calibration,
 * follows hot-plug through GUdev, and applies the UPS policy: on battery
 * is reported, low battery refuses new captures (work in flight
 * finishes) and flushes the store to disk.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rk-auth.h"
#include "rk-daemon.h"
#include "rki-device.h"

G_BEGIN_DECLS

typedef struct _RkDeviceManager RkDeviceManager;

RkDeviceManager *rk_device_manager_new   (RkDaemon *daemon);
void             rk_device_manager_free  (RkDeviceManager *self);
/* Reads [devices], creates and opens the devices, starts hot-plug. */
gboolean         rk_device_manager_start (RkDeviceManager *self, GError **error);
/* Closes every device (tasks in flight fail as cancelled). */
void             rk_device_manager_stop  (RkDeviceManager *self);

/* (transfer none); NULL when unknown. */
RkiDevice *rk_device_manager_lookup (RkDeviceManager *self, const char *id);
/* Every device, sorted by id. (transfer container) */
GPtrArray *rk_device_manager_list   (RkDeviceManager *self);
/* A device's info for the API: drivers' facts plus the last error. */
JsonNode  *rk_device_manager_device_json (RkDeviceManager *self, RkiDevice *device);
/* {"source","on_battery","low_battery","captures_refused","reason"} */
JsonNode  *rk_device_manager_power_json  (RkDeviceManager *self);

/* Adds a replay device playing the session at @path (opened async).
 * (transfer none) */
RkiDevice *rk_device_manager_add_replay (RkDeviceManager *self, const char *path, GError **error);

/* FALSE with RK_API_ERROR_UNAVAILABLE naming the UPS when new captures
 * are refused (low battery). */
gboolean rk_device_manager_may_capture (RkDeviceManager *self, GError **error);
/* Count of device requests in flight (the UPS policy lets them finish). */
void     rk_device_manager_hold    (RkDeviceManager *self);
void     rk_device_manager_release (RkDeviceManager *self);

/* Stores @calibration (a{sv}) for the device's serial, audited, in one
 * transaction. */
gboolean rk_device_manager_save_calibration (RkDeviceManager *self, RkiDevice *device,
                                             const RkActor *actor, GVariant *calibration,
                                             GError **error);

G_END_DECLS
