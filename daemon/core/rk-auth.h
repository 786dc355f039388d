/* rk-auth.h: roles, actors, accounts and sessions.
 *
 * A role is a bit so that a route can name every role allowed to call it
 * in one word. An actor is who is calling: on the TCP door it comes from a
 * session token, on the unix door from the peer's uid/gid. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RK_ROLE_NONE       = 0,
  RK_ROLE_OPERATOR   = 1 << 0,
  RK_ROLE_SUPERVISOR = 1 << 1,
  RK_ROLE_TECHNICIAN = 1 << 2,
  /* Not a role an account can hold: a route with this bit needs no
   * authentication at all (login, the OpenAPI document). */
  RK_ROLE_ANONYMOUS  = 1 << 8,
} RkRole;

#define RK_ROLE_STAFF (RK_ROLE_OPERATOR | RK_ROLE_SUPERVISOR)
#define RK_ROLE_ANY   (RK_ROLE_OPERATOR | RK_ROLE_SUPERVISOR | RK_ROLE_TECHNICIAN)

typedef enum {
  RK_DOOR_UNIX,     /* rekamctl over the unix socket, peer credentials */
  RK_DOOR_TCP,      /* kiosk over 127.0.0.1, session token */
  RK_DOOR_INTERNAL, /* the daemon itself (demo population, timers) */
} RkDoor;

typedef struct {
  gint64  account_id;  /* accounts.id, or 0 for a unix peer without an account */
  char   *username;    /* account name, or "uid:1000" for a unix peer */
  RkRole  role;        /* one role for an account; a unix peer may hold
                          several (root, the daemon's own uid: see [auth]) */
  RkDoor  door;
  gint64  uid;         /* unix peer uid, -1 on the TCP door */
} RkActor;

/* One name, or names joined by '+' for several roles. Static string. */
const char *rk_role_to_string   (RkRole role);
/* Returns RK_ROLE_NONE for an unknown name. */
RkRole      rk_role_from_string (const char *name);
/* "operator,technician" (',' '+' ';' or ' ' between) -> flags; RK_ROLE_NONE
 * when any name is unknown. */
RkRole      rk_roles_parse      (const char *list);

RkActor    *rk_actor_new  (gint64 account_id, const char *username, RkRole role,
                           RkDoor door, gint64 uid);
RkActor    *rk_actor_copy (const RkActor *actor);
void        rk_actor_free (RkActor *actor);
/* The daemon acting on its own (demo data, scheduled work); static, do not free. */
const RkActor *rk_actor_system (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkActor, rk_actor_free)

G_END_DECLS
