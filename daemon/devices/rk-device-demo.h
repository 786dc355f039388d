/* rk-device-demo.h: the demo station's devices.
 *
 * rekamd --demo plays one replay session per device class, generated
 * here from fixed seeds (no data files needed): a ridge pattern for the
 * finger and slap scanners, a face on a blue backdrop for the camera, an
 * eye for the iris camera, a signature for the pad, a card with a few
 * answers for the reader, a page for the scanner and a UPS that stays on
 * line. Returns the session paths written into @dir. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GPtrArray *rk_device_demo_write_sessions (const char *dir, GError **error);

G_END_DECLS
