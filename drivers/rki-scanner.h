/* rki-scanner.h: a document scanner (driver-facing).
 *
 * scan: one page at the requested resolution (dpi, 0 = device default),
 * GRAY8 or RGB24.
 */
#pragma once

#include "rki-device-private.h"

G_BEGIN_DECLS

#define RKI_TYPE_SCANNER (rki_scanner_get_type ())
G_DECLARE_DERIVABLE_TYPE (RkiScanner, rki_scanner, RKI, SCANNER, RkiDevice)

struct _RkiScannerClass {
  RkiDeviceClass parent_class;
  void (*scan) (RkiScanner *self, guint dpi);
};

void      rki_scanner_scan          (RkiScanner *self, guint dpi, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
RkiImage *rki_scanner_scan_finish   (RkiScanner *self, GAsyncResult *result, GError **error);
void      rki_scanner_scan_complete (RkiScanner *self, RkiImage *image, GError *error);

G_END_DECLS
