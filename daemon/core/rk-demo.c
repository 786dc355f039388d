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

static gpointer
hash_thread (gpointer data)
{
  return rk_pin_hash (data, NULL);
}

gboolean
rk_demo_create_accounts (RkDaemon *daemon, GError **error)
{
  RkStore *store = rk_daemon_get_store (daemon);
  GThread *threads[8] = { NULL };
  char *hashes[8] = { NULL };
  gsize n = 0;
  gboolean ok = TRUE;

  /* argon2id is slow on purpose; hash the demo PINs side by side so the
   * demo starts quickly. The loop is not serving anyone yet: the doors
   * open after the modules start. */
  for (const RkDemoAccount *d = rk_demo_accounts; d->username != NULL; d++, n++)
    threads[n] = g_thread_new ("demo-pin", hash_thread, (gpointer) d->pin);
  for (gsize i = 0; i < n; i++)
    hashes[i] = g_thread_join (threads[i]);

  for (gsize i = 0; i < n && ok; i++)
    {
      const RkDemoAccount *d = &rk_demo_accounts[i];
      g_autoptr(RkAccount) existing = NULL;
      g_autoptr(GError) local_error = NULL;

      if (hashes[i] == NULL)
        {
          g_set_error_literal (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_FAILED,
                               "not enough memory to hash the demo PINs");
          ok = FALSE;
          break;
        }
      existing = rk_accounts_lookup (store, d->username, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
      else if (existing != NULL)
        /* Reset the PIN and lockout so the printed PINs always work. */
        ok = rk_accounts_update (store, rk_actor_system (), d->username, d->role, hashes[i], 0,
                                 TRUE, error);
      else
        ok = rk_accounts_insert (store, rk_actor_system (), d->username, d->role, hashes[i],
                                 error) > 0;
    }
  for (gsize i = 0; i < n; i++)
    g_free (hashes[i]);
  return ok;
}
