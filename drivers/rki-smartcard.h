/* rki-smartcard.h: one smartcard reader (driver-facing).
 *
 * Backends report card presence with rki_smartcard_set_card() (emits
 * "card-changed" with present and the ATR) and implement transmit: one
 * command APDU in, the response APDU (data || SW1 SW2) out. A card pulled
 * during an exchange fails it with RKI_DEVICE_ERROR_NO_MEDIA.
 */
#pragma once

#include "rki-device-private.h"

G_BEGIN_DECLS

#define RKI_APDU_MAX 65544 /* extended APDU: 4 + 3 + 65535 + 2 */

#define RKI_TYPE_SMARTCARD (rki_smartcard_get_type ())
G_DECLARE_DERIVABLE_TYPE (RkiSmartcard, rki_smartcard, RKI, SMARTCARD, RkiDevice)

struct _RkiSmartcardClass {
  RkiDeviceClass parent_class;
  void (*transmit) (RkiSmartcard *self, GBytes *apdu);
};

gboolean rki_smartcard_has_card (RkiSmartcard *self);
GBytes  *rki_smartcard_get_atr  (RkiSmartcard *self); /* (transfer none), NULL if no card */

void     rki_smartcard_transmit          (RkiSmartcard *self, GBytes *apdu,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
GBytes  *rki_smartcard_transmit_finish   (RkiSmartcard *self, GAsyncResult *result, GError **error);
void     rki_smartcard_transmit_complete (RkiSmartcard *self, GBytes *response, GError *error);

/* Backend side; @atr (transfer none) may be NULL when @present is FALSE. */
void     rki_smartcard_set_card (RkiSmartcard *self, gboolean present, GBytes *atr);

G_END_DECLS
