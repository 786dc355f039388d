/* rk-auth.c: roles and actors. */
#include "rk-auth.h"

#include <string.h>

const char *
rk_role_to_string (RkRole role)
{
  switch (role)
    {
    case RK_ROLE_OPERATOR:
      return "operator";
    case RK_ROLE_SUPERVISOR:
      return "supervisor";
    case RK_ROLE_TECHNICIAN:
      return "technician";
    case RK_ROLE_ANONYMOUS:
      return "anonymous";
    case RK_ROLE_NONE:
      return "none";
    default:
      break;
    }
  /* A unix peer may hold several roles (see [auth] in rekamd.conf). */
  {
    static const char *const combined[8] = {
      "none", "operator", "supervisor", "operator+supervisor", "technician",
      "operator+technician", "supervisor+technician", "operator+supervisor+technician",
    };
    return combined[role & 7];
  }
}

RkRole
rk_roles_parse (const char *list)
{
  g_auto(GStrv) names = NULL;
  RkRole roles = RK_ROLE_NONE;

  if (list == NULL)
    return RK_ROLE_NONE;
  names = g_strsplit_set (list, ",+; ", -1);
  for (char **n = names; *n != NULL; n++)
    {
      RkRole one;
      if (**n == '\0')
        continue;
      one = rk_role_from_string (*n);
      if (one == RK_ROLE_NONE)
        return RK_ROLE_NONE;
      roles |= one;
    }
  return roles;
}

RkRole
rk_role_from_string (const char *name)
{
  if (name == NULL)
    return RK_ROLE_NONE;
  if (strcmp (name, "operator") == 0)
    return RK_ROLE_OPERATOR;
  if (strcmp (name, "supervisor") == 0)
    return RK_ROLE_SUPERVISOR;
  if (strcmp (name, "technician") == 0)
    return RK_ROLE_TECHNICIAN;
  return RK_ROLE_NONE;
}

RkActor *
rk_actor_new (gint64 account_id, const char *username, RkRole role, RkDoor door, gint64 uid)
{
  RkActor *actor = g_new0 (RkActor, 1);

  actor->account_id = account_id;
  actor->username = g_strdup (username != NULL ? username : "");
  actor->role = role;
  actor->door = door;
  actor->uid = uid;
  return actor;
}

RkActor *
rk_actor_copy (const RkActor *actor)
{
  g_return_val_if_fail (actor != NULL, NULL);
  return rk_actor_new (actor->account_id, actor->username, actor->role, actor->door,
                       actor->uid);
}

void
rk_actor_free (RkActor *actor)
{
  if (actor == NULL)
    return;
  g_free (actor->username);
  g_free (actor);
}

const RkActor *
rk_actor_system (void)
{
  /* The daemon's own actor holds every role: it only acts on its own
   * behalf (demo data, timers), never on a request's. */
  static RkActor system = { 0, (char *) "rekamd", RK_ROLE_TECHNICIAN, RK_DOOR_INTERNAL, -1 };
  return &system;
}
