/* rki-nut-ups.h: a UPS through NUT's upsd (libupsclient).
 *
 * The station's UPS is driven by NUT (a USB HID or serial driver behind
 * upsd); rekamd is a NUT client, like upsmon. Reads are blocking and run
 * in the UPS class's worker thread.
 */
#pragma once

#include "rki-ups.h"

G_BEGIN_DECLS

/* @ups is NUT's name for it ("station"), @host usually 127.0.0.1,
 * @port 3493 by default. */
RkiDevice *rki_nut_ups_new (const char *ups, const char *host, guint16 port, const char *id);

G_END_DECLS
