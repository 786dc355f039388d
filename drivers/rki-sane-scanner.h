/* rki-sane-scanner.h: document scanners through SANE.
 *
 * SANE is blocking and not promised to be thread-safe, so every SANE call
 * runs in a GTask thread under one process-wide lock.
 */
#pragma once

#include "rki-scanner.h"

G_BEGIN_DECLS

/* SANE device names ("test:0", "epson2:libusb:001:004"), NULL on error. */
GStrv      rki_sane_list_devices (GError **error);
RkiDevice *rki_sane_scanner_new  (const char *sane_name, const char *id);

#define RKI_SANE_MAX_PAGE_BYTES (512u * 1024u * 1024u)

G_END_DECLS
