/* The demo station's intake data (rekamd --demo). */
#pragma once

#include "rk-daemon.h"

G_BEGIN_DECLS

#define RK_INTAKE_DEMO_RESIDENTS 50000
#define RK_INTAKE_DEMO_SEED      1

/* On first start (no resident yet): generates the population of
 * Kecamatan Larangan straight into the store, then imports a batch of
 * online applications, each in one audited transaction. Later starts
 * find the data and do nothing. */
gboolean rk_intake_demo_fill (RkDaemon *daemon, GError **error);

G_END_DECLS
