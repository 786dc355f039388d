/* rk-ctl-private.h: the RkCtl object, for main.c and the core commands. */
#pragma once

#include <libsoup/soup.h>

#include "rk-ctl.h"

G_BEGIN_DECLS

struct _RkCtl {
  char               *socket_path;
  gboolean            json;
  SoupSession        *session;
  const RkCtlCommand *command;   /* the one running, for usage errors */
};

RkCtl *rk_ctl_new  (const char *socket_path, gboolean json);
void   rk_ctl_free (RkCtl *ctl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkCtl, rk_ctl_free)

void   rk_ctl_print_usage (const RkCtlCommand *command);

G_END_DECLS
