/* rk-daemon-private.h: daemon settings the core's own files share. */
#pragma once

#include "rk-daemon.h"
#include "rk-api-private.h"

G_BEGIN_DECLS

typedef struct {
  int    session_idle;      /* [auth] session_idle_timeout, seconds */
  int    max_pin_failures;  /* [auth] max_pin_failures */
  int    lockout_seconds;   /* [auth] lockout_seconds */
  RkRole self_roles;        /* [auth] unix_self_roles: root and the daemon's uid */
  char  *group_operator;    /* [auth] unix_group_operator */
  char  *group_supervisor;  /* [auth] unix_group_supervisor */
  char  *group_technician;  /* [auth] unix_group_technician */
} RkAuthConfig;

const RkAuthConfig *rk_daemon_get_auth_config (RkDaemon *daemon);
/* Names of the modules started, in order (NULL-terminated, static). */
GPtrArray *rk_daemon_get_started_modules (RkDaemon *daemon);
gint64 rk_daemon_get_start_time (RkDaemon *daemon);

/* rk-core-routes.c */
void rk_core_routes_register (RkDaemon *daemon);
/* rk-peer.c: the unix door's authentication */
RkActor *rk_peer_authenticate (RkApi *api, SoupServerMessage *msg, RkDoor door,
                               gpointer daemon, GError **error);
/* rk-demo.c: demo accounts (fixed PINs), printed by rekamd. */
typedef struct {
  const char *username;
  RkRole      role;
  const char *pin;
} RkDemoAccount;
extern const RkDemoAccount rk_demo_accounts[];
gboolean rk_demo_create_accounts (RkDaemon *daemon, GError **error);

G_END_DECLS
