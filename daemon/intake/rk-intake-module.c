/* rk-intake-module.c: the intake module of rekamd (SOP steps 1-2). */
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include "rk-intake-demo.h"
#include "rk-intake-routes.h"
#include "rk-module.h"

static gboolean
intake_start (RkDaemon *daemon, GError **error)
{
  rk_intake_add_routes (daemon);
  if (rk_daemon_is_demo (daemon))
    return rk_intake_demo_fill (daemon, error);
  return TRUE;
}

static void
intake_stop (RkDaemon *daemon)
{
  /* Referral slips load fonts; drop the caches so leak checkers (tests
   * run under ASan) see only real leaks. Nothing draws after stop. */
  cairo_debug_reset_static_data ();
  FcFini ();
}

const RkModule rk_module_intake = {
  .name = "intake",
  .start = intake_start,
  .stop = intake_stop,
};
