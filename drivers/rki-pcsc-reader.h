/* rki-pcsc-reader.h: smartcard readers through PC/SC Lite (pcscd).
 *
 * PC/SC calls block, so each reader runs a monitor thread on
 * SCardGetStatusChange (card inserted/removed, reader gone) and does its
 * exchanges in GTask threads; results come back on the main loop.
 */
#pragma once

#include "rki-smartcard.h"

G_BEGIN_DECLS

/* The reader names pcscd knows now; an empty array when pcscd runs but
 * has no reader. NULL with @error when pcscd cannot be reached. */
GStrv      rki_pcsc_list_readers (GError **error);
RkiDevice *rki_pcsc_reader_new   (const char *reader_name, const char *id);
const char *rki_pcsc_reader_get_name (RkiDevice *device);

G_END_DECLS
