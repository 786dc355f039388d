/* rki-fprint-finger.h: flat fingerprint scanners through libfprint.
 *
 * Only image devices are used: the station needs the image (for the
 * record and the local AFIS), not libfprint's match verdict. libfprint
 * needs the main context, so everything runs on the loop.
 */
#pragma once

#include "rki-finger.h"

G_BEGIN_DECLS

/* The libfprint devices that can capture images, wrapped, with ids
 * "<prefix><n>". Keeps @context alive through the devices. (transfer full)
 * @context is an FpContext (a GObject; not typed here so that users of
 * this header need no libfprint include path). */
GPtrArray *rki_fprint_finger_enumerate (GObject *context, const char *prefix);

G_END_DECLS
