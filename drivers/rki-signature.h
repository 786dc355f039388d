/* rki-signature.h: a signature pad (driver-facing).
 *
 * Backends report raw pen samples in device units with
 * rki_signature_push_raw(); the class maps them to 0..1 with the
 * calibration (corner taps) when one is set, else with the device's
 * axis ranges, and emits "pen" (x, y, pressure in 0..1, touching,
 * monotonic time in us). The class implements calibrate itself: the
 * technician taps the four corners; the result is {x-min, x-max, y-min,
 * y-max} in raw units.
 */
#pragma once

#include "rki-device-private.h"

G_BEGIN_DECLS

#define RKI_TYPE_SIGNATURE (rki_signature_get_type ())
G_DECLARE_DERIVABLE_TYPE (RkiSignature, rki_signature, RKI, SIGNATURE, RkiDevice)

struct _RkiSignatureClass {
  RkiDeviceClass parent_class;
  gboolean (*start_stream) (RkiSignature *self, GError **error);
  void     (*stop_stream)  (RkiSignature *self);
};

gboolean rki_signature_start_stream (RkiSignature *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void     rki_signature_stop_stream  (RkiSignature *self);
guint64  rki_signature_get_sample_count (RkiSignature *self);

/* Backend side. */
void     rki_signature_set_ranges   (RkiSignature *self, int max_x, int max_y, int max_pressure);
void     rki_signature_push_raw     (RkiSignature *self, int x, int y, int pressure, gboolean touch);

G_END_DECLS
