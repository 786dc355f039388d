/* rki-slap.h: a 4-4-2 slap scanner (driver-facing).
 *
 * capture: one slap (left four, right four, two thumbs) as a GRAY8 image;
 * segmentation into fingers is capture/'s job, not the driver's.
 */
#pragma once

#include "rki-device-private.h"

G_BEGIN_DECLS

typedef enum {
  RKI_SLAP_LEFT_FOUR,
  RKI_SLAP_RIGHT_FOUR,
  RKI_SLAP_THUMBS,
} RkiSlapPosition;

const char *rki_slap_position_to_string (RkiSlapPosition position);
gboolean    rki_slap_position_from_string (const char *text, RkiSlapPosition *ret_position);

#define RKI_TYPE_SLAP (rki_slap_get_type ())
G_DECLARE_DERIVABLE_TYPE (RkiSlap, rki_slap, RKI, SLAP, RkiDevice)

struct _RkiSlapClass {
  RkiDeviceClass parent_class;
  void (*capture) (RkiSlap *self, RkiSlapPosition position);
};

void      rki_slap_capture          (RkiSlap *self, RkiSlapPosition position,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
RkiImage *rki_slap_capture_finish   (RkiSlap *self, GAsyncResult *result, GError **error);
void      rki_slap_capture_complete (RkiSlap *self, RkiImage *image, GError *error);

G_END_DECLS
