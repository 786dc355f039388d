/* A plausible, reproducible SIAK extract for Kecamatan Larangan, Kota
 * Tangerang (36.71.13): families sharing a KK, Indonesian names (older
 * people sometimes in the old spelling), ages, marital statuses, the
 * eight kelurahan of the region table, and a few percent of edge cases:
 *   - under 17 but married,
 *   - turning 17 within the next seven days of @today,
 *   - a NIK whose birth date or sex digits disagree with the record.
 * The same seed and @today give the same bytes. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  guint64 rows;
  guint64 families;
  guint64 married_under_17;
  guint64 turning_17_next_week;
  guint64 nik_mismatch;
} RkDemoPopulationStats;

/* Writes a header line and at least @rows residents (whole families:
 * the last family may pass @rows by a few) as CSV in the layout of
 * schemas/siak-extract.md. Returns FALSE with the stream's error. */
gboolean rk_demo_population_write (GOutputStream         *output,
                                   guint64                rows,
                                   guint32                seed,
                                   const GDate           *today,
                                   RkDemoPopulationStats *ret_stats,
                                   GError               **error);

G_END_DECLS
