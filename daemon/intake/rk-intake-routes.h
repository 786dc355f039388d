/* The intake module's HTTP routes (schemas/openapi/intake.json). */
#pragma once

#include "rk-api.h"
#include "rk-daemon.h"

G_BEGIN_DECLS

/* Registers every intake route and the intake error domain. */
void rk_intake_add_routes (RkDaemon *daemon);

/* Today's date on the station (local time), the recording day. */
void rk_intake_today (GDate *ret_date);

G_END_DECLS
