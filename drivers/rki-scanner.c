#include "rki-scanner.h"
#include "rki-checks.h"

typedef struct {
  RkiImageOp op; /* what the backend's next image answers */
} RkiScannerPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RkiScanner, rki_scanner, RKI_TYPE_DEVICE)

void
rki_scanner_scan (RkiScanner *self, guint dpi, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  RkiScannerClass *klass = RKI_SCANNER_GET_CLASS (self);

  if (!rki_device_task_begin (RKI_DEVICE (self), "scan", klass->scan != NULL, TRUE,
                              cancellable, callback, user_data, rki_scanner_scan))
    return;
  ((RkiScannerPrivate *) rki_scanner_get_instance_private (self))->op = RKI_IMAGE_OP_CAPTURE;
  klass->scan (self, dpi);
}

void
rki_scanner_scan_complete (RkiScanner *self, RkiImage *image, GError *error)
{
  RkiScannerPrivate *priv = rki_scanner_get_instance_private (self);
  RkiImageOp op = priv->op;

  priv->op = RKI_IMAGE_OP_CAPTURE;
  rki_image_op_complete (RKI_DEVICE (self), RKI_CHECK_PAGE, op, image, error);
}

/* test and calibrate: one scan judged by rki-checks.c */
static void
rki_scanner_test (RkiDevice *device)
{
  RkiScannerPrivate *priv = rki_scanner_get_instance_private (RKI_SCANNER (device));

  priv->op = RKI_IMAGE_OP_TEST;
  RKI_SCANNER_GET_CLASS (device)->scan (RKI_SCANNER (device), 0);
}

static void
rki_scanner_calibrate (RkiDevice *device)
{
  RkiScannerPrivate *priv = rki_scanner_get_instance_private (RKI_SCANNER (device));

  priv->op = RKI_IMAGE_OP_CALIBRATE;
  RKI_SCANNER_GET_CLASS (device)->scan (RKI_SCANNER (device), 0);
}

RkiImage *
rki_scanner_scan_finish (RkiScanner *self, GAsyncResult *result, GError **error)
{
  return rki_device_task_finish (RKI_DEVICE (self), result, rki_scanner_scan, error);
}

static void
rki_scanner_class_init (RkiScannerClass *klass)
{
  RKI_DEVICE_CLASS (klass)->device_class = "scanner";
  RKI_DEVICE_CLASS (klass)->test = rki_scanner_test;
  RKI_DEVICE_CLASS (klass)->calibrate = rki_scanner_calibrate;
}

static void
rki_scanner_init (RkiScanner *self)
{
}
