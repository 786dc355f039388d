/* rki-device.h: what every device class shares (driver-facing).
 *
 * The base class owns the device state, the single task in flight, its
 * cancellation and its timeout, and rejects a second request to a busy
 * device. Each class (RkiFinger, RkiCamera, ...) derives from it and adds
 * one vfunc per operation; each backend derives from a class and fills
 * in only the vfuncs it implements.
 *
 * Legal state transitions:
 *   CLOSED  -> OPENING             rki_device_open()
 *   OPENING -> IDLE | CLOSED       rki_device_open_complete() ok | error
 *   IDLE    -> BUSY                an operation starts
 *   BUSY    -> IDLE                its rki_<class>_<op>_complete()
 *   IDLE | BUSY -> CLOSED          rki_device_close() (cancels the task)
 *   any     -> REMOVED             rki_device_set_removed() (unplug)
 *   REMOVED -> CLOSED              rki_device_close()
 *
 * Long operations end in exactly one rki_<class>_<op>_complete (self,
 * result, error), which takes ownership of both. A completion that comes
 * after the task already ended (timeout, unplug, close) is dropped: the
 * caller has had its answer.
 */
#pragma once

#include <gio/gio.h>
#include "rki-error.h"
#include "rki-image.h"

G_BEGIN_DECLS

#define RKI_TYPE_DEVICE (rki_device_get_type ())
G_DECLARE_DERIVABLE_TYPE (RkiDevice, rki_device, RKI, DEVICE, GObject)

typedef enum {
  RKI_DEVICE_STATE_CLOSED,
  RKI_DEVICE_STATE_OPENING,
  RKI_DEVICE_STATE_IDLE,
  RKI_DEVICE_STATE_BUSY,
  RKI_DEVICE_STATE_REMOVED,
} RkiDeviceState;

struct _RkiDeviceClass {
  GObjectClass parent_class;

  /* static facts */
  const char *device_class;  /* "finger", "camera", ...: set by the class */
  const char *driver;        /* backend id: "libfprint", "replay", ... */
  const char *full_name;     /* human name of the backend */

  /* vfuncs; each ends in its rki_device_<op>_complete() */
  void (*open)      (RkiDevice *self);
  void (*close)     (RkiDevice *self);     /* must not fail */
  void (*test)      (RkiDevice *self);     /* diagnostics, -> a(sbs) */
  void (*calibrate) (RkiDevice *self);     /* -> a{sv}, stored per serial */
  /* extra facts for `device info`, added to an a{sv} builder; quick */
  void (*add_info)  (RkiDevice *self, GVariantBuilder *builder);
};

const char    *rki_device_get_id          (RkiDevice *self);
const char    *rki_device_get_class_name  (RkiDevice *self);
const char    *rki_device_get_driver      (RkiDevice *self);
const char    *rki_device_get_full_name   (RkiDevice *self);
const char    *rki_device_get_serial      (RkiDevice *self);
const char    *rki_device_get_firmware    (RkiDevice *self);
const char    *rki_device_get_label       (RkiDevice *self); /* product name */
RkiDeviceState rki_device_get_state       (RkiDevice *self);
const char    *rki_device_state_to_string (RkiDeviceState state);
const char    *rki_device_get_busy_op     (RkiDevice *self); /* NULL if idle */

/* Per-task timeout in milliseconds (0 = none). When it expires the task
 * fails with RKI_DEVICE_ERROR_TIMEOUT and the backend is cancelled. */
void           rki_device_set_timeout     (RkiDevice *self, guint timeout_ms);

/* Calibration applied by the backend at open (a{sv}, may be NULL). */
void           rki_device_set_calibration (RkiDevice *self, GVariant *calibration);
GVariant      *rki_device_get_calibration (RkiDevice *self); /* (transfer none) */

/* a{sv}: id, class, driver, full-name, label, serial, firmware, state and
 * the backend's extras. (transfer full), floating reference sunk. */
GVariant      *rki_device_get_info        (RkiDevice *self);

void     rki_device_open            (RkiDevice *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean rki_device_open_finish     (RkiDevice *self, GAsyncResult *result,
                                     GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Closing never fails; a task in flight fails with G_IO_ERROR_CANCELLED. */
void     rki_device_close           (RkiDevice *self);
void     rki_device_test            (RkiDevice *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* Returns a(sbs): (check name, passed, detail). */
GVariant *rki_device_test_finish    (RkiDevice *self, GAsyncResult *result, GError **error);
void     rki_device_calibrate       (RkiDevice *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* Returns a{sv}; also stored with rki_device_set_calibration(). */
GVariant *rki_device_calibrate_finish (RkiDevice *self, GAsyncResult *result, GError **error);

G_END_DECLS
