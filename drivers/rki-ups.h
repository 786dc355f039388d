/* rki-ups.h: an uninterruptible power supply (driver-facing).
 *
 * Backends implement read_status, a blocking read that the class runs in
 * a worker thread (NUT's client is blocking), both for the poll operation
 * and for the periodic monitor that emits "status-changed" when the line
 * state changes. read_status runs in one thread at a time.
 */
#pragma once

#include "rki-device-private.h"

G_BEGIN_DECLS

typedef struct {
  gboolean online;      /* on line power */
  gboolean on_battery;
  gboolean low_battery; /* the UPS says: shut down soon */
  int      charge;      /* percent, -1 unknown */
  int      runtime;     /* seconds left, -1 unknown */
  char     status[32];  /* raw status word(s), e.g. "OB LB" */
} RkiUpsStatus;

#define RKI_TYPE_UPS (rki_ups_get_type ())
G_DECLARE_DERIVABLE_TYPE (RkiUps, rki_ups, RKI, UPS, RkiDevice)

struct _RkiUpsClass {
  RkiDeviceClass parent_class;
  /* Called in a worker thread. */
  gboolean (*read_status) (RkiUps *self, RkiUpsStatus *ret_status, GCancellable *cancellable,
                           GError **error);
};

/* Parse NUT-style status words ("OL", "OB LB", "OL CHRG") into @status. */
void          rki_ups_status_parse (RkiUpsStatus *status, const char *words);

void          rki_ups_poll         (RkiUps *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
RkiUpsStatus *rki_ups_poll_finish  (RkiUps *self, GAsyncResult *result, GError **error); /* g_free */

/* Poll every @interval_ms while open (0 stops); emits "status-changed". */
void          rki_ups_set_monitor_interval (RkiUps *self, guint interval_ms);
const RkiUpsStatus *rki_ups_get_last_status (RkiUps *self); /* NULL before the first read */

G_END_DECLS
