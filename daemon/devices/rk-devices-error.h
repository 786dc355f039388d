/* rk-devices-error.h: how driver errors reach API clients. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers RKI_DEVICE_ERROR with the API's error mapping. */
void rk_devices_register_errors (void);

G_END_DECLS
