/* rk-demo.c: the demo station's accounts. The PINs are fixed and printed
 * at start: this is a demo, not a station anyone records citizens on. */
#include "rk-daemon-private.h"

#include "rk-accounts.h"

const RkDemoAccount rk_demo_accounts[] = {
  { "operator",   RK_ROLE_OPERATOR,   "111111" },
  { "supervisor", RK_ROLE_SUPERVISOR, "222222" },
  { "technician", RK_ROLE_TECHNICIAN, "333333" },
  { NULL, RK_ROLE_NONE, NULL },
};

gboolean
rk_demo_create_accounts (RkDaemon *daemon, GError **error)
{
  RkStore *store = rk_daemon_get_store (daemon);

  for (const RkDemoAccount *d = rk_demo_accounts; d->username != NULL; d++)
    {
      g_autoptr(RkAccount) existing = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *hash = NULL;

      existing = rk_accounts_lookup (store, d->username, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Hashing here blocks the loop for a moment, but the loop is not
       * serving anyone yet: the doors open after the modules start. */
      hash = rk_pin_hash (d->pin, error);
      if (hash == NULL)
        return FALSE;
      if (existing != NULL)
        {
          /* Reset the PIN and lockout so the printed PINs always work. */
          if (!rk_accounts_update (store, rk_actor_system (), d->username, d->role, hash, 0,
                                   TRUE, error))
            return FALSE;
          continue;
        }
      if (rk_accounts_insert (store, rk_actor_system (), d->username, d->role, hash,
                              error) == 0)
        return FALSE;
    }
  return TRUE;
}
