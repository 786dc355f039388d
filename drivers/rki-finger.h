/* rki-finger.h: a flat single-finger scanner (driver-facing).
 *
 * capture: wait for a finger, deliver its image (GRAY8, with ppi).
 * The backend emits "awaiting-finger" once the scanner is ready, so the
 * UI can prompt and tests know when to feed the emulator.
 */
#pragma once

#include "rki-device-private.h"

G_BEGIN_DECLS

#define RKI_TYPE_FINGER (rki_finger_get_type ())
G_DECLARE_DERIVABLE_TYPE (RkiFinger, rki_finger, RKI, FINGER, RkiDevice)

struct _RkiFingerClass {
  RkiDeviceClass parent_class;
  void (*capture) (RkiFinger *self); /* ends in rki_finger_capture_complete */
};

void      rki_finger_capture          (RkiFinger *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
RkiImage *rki_finger_capture_finish   (RkiFinger *self, GAsyncResult *result, GError **error);
void      rki_finger_capture_complete (RkiFinger *self, RkiImage *image, GError *error);
void      rki_finger_awaiting_finger  (RkiFinger *self);

G_END_DECLS
