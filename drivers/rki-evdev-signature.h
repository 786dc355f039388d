/* rki-evdev-signature.h: signature pads as kernel event devices.
 *
 * Pen tablets and signature pads (Wacom STU/One, many HID pads) show up as
 * /dev/input/eventN with ABS_X, ABS_Y, ABS_PRESSURE and BTN_TOUCH (or
 * BTN_TOOL_PEN); libevdev reads them without blocking, on the main loop.
 */
#pragma once

#include "rki-signature.h"

G_BEGIN_DECLS

RkiDevice *rki_evdev_signature_new (const char *devnode, const char *id);
/* TRUE when the event node looks like a pen pad (absolute X/Y and a
 * touch or pen button); quick (a few ioctls). */
gboolean   rki_evdev_is_pen_pad   (const char *devnode);

G_END_DECLS
