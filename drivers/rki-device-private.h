/* rki-device-private.h: what only classes and backends call. */
#pragma once

#include "rki-device.h"

G_BEGIN_DECLS

/* Identity, set by the backend (usually in open or init). */
void rki_device_set_id       (RkiDevice *self, const char *id);
void rki_device_set_serial   (RkiDevice *self, const char *serial);
void rki_device_set_firmware (RkiDevice *self, const char *firmware);
void rki_device_set_label    (RkiDevice *self, const char *label);

/* Start a task for @op. Returns FALSE when the request was refused (busy,
 * not open, removed, not supported): the callback then gets the error and
 * the caller must not call the vfunc. @needs_open is FALSE only for open. */
gboolean rki_device_task_begin (RkiDevice          *self,
                                const char         *op,          /* "capture" */
                                gboolean            supported,   /* vfunc set? */
                                gboolean            needs_open,
                                GCancellable       *cancellable, /* caller's */
                                GAsyncReadyCallback callback,
                                gpointer            user_data,
                                gpointer            source_tag);
/* End the task; takes @result (freed with @destroy) and @error. */
void     rki_device_task_complete (RkiDevice     *self,
                                   gpointer       result,
                                   GDestroyNotify destroy,
                                   GError        *error);
gpointer rki_device_task_finish   (RkiDevice    *self,
                                   GAsyncResult *result,
                                   gpointer      source_tag,
                                   GError      **error);
/* The cancellable the backend watches for the current task (never NULL
 * while a task is in flight). (transfer none) */
GCancellable *rki_device_get_task_cancellable (RkiDevice *self);

void rki_device_open_complete      (RkiDevice *self, GError *error);
void rki_device_test_complete      (RkiDevice *self, GVariant *checks, GError *error);
void rki_device_calibrate_complete (RkiDevice *self, GVariant *calibration, GError *error);

/* The device went away (udev remove, ENODEV, LIBUSB_ERROR_NO_DEVICE): the
 * task in flight fails with RKI_DEVICE_ERROR_REMOVED naming the device,
 * and "removed" is emitted. Idempotent. */
void rki_device_set_removed (RkiDevice *self);

/* Helpers to build diagnostics: a(sbs). */
void rki_checks_add (GVariantBuilder *builder, const char *name, gboolean passed,
                     const char *format, ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
