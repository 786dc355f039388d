/* rk-devices-module.c: the devices module of rekamd. */
#include "rk-api.h"
#include "rk-device-manager.h"
#include "rk-device-stream.h"
#include "rk-devices-error.h"
#include "rk-devices-routes.h"
#include "rk-module.h"

static gboolean
devices_start (RkDaemon *daemon, GError **error)
{
  RkDeviceManager *manager = rk_device_manager_new (daemon);

  rk_devices_register_errors ();
  rk_daemon_set_module_data (daemon, "devices", manager, (GDestroyNotify) rk_device_manager_free);
  rk_devices_add_routes (rk_daemon_get_api (daemon), manager);
  return rk_device_manager_start (manager, error);
}

static void
devices_stop (RkDaemon *daemon)
{
  RkDeviceManager *manager = rk_daemon_get_module_data (daemon, "devices");

  rk_device_stream_close_all ();
  if (manager != NULL)
    rk_device_manager_stop (manager);
}

const RkModule rk_module_devices = {
  .name = "devices",
  .start = devices_start,
  .stop = devices_stop,
};
