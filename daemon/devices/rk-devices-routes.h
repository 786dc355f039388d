/* rk-devices-routes.h: the /v1/devices API (schemas/openapi/devices.json). */
#pragma once

#include "rk-api.h"
#include "rk-device-manager.h"

G_BEGIN_DECLS

void rk_devices_add_routes (RkApi *api, RkDeviceManager *manager);

G_END_DECLS
