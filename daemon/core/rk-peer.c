/* rk-peer.c: who is calling, on each door.
 *
 * TCP door: "Authorization: Bearer <token>" from POST /v1/sessions.
 * Unix door: the peer's uid and groups (SO_PEERCRED, then the user's
 * supplementary groups) mapped to roles by [auth] in rekamd.conf:
 *   root and rekamd's own uid      -> unix_self_roles (default: all three)
 *   member of unix_group_operator   -> operator   (union over the groups)
 *   member of unix_group_supervisor -> supervisor
 *   member of unix_group_technician -> technician
 * A peer in none of them is refused (403). The socket itself is 0660 group
 * rekam, so only root, rekamd and members of rekam can connect at all. */
#define _GNU_SOURCE
#include "rk-daemon-private.h"

#include <gio/gunixcredentialsmessage.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rk-accounts.h"

#define MAX_GROUPS 256
/* How long a uid's name and roles are remembered. Looking them up reads
 * /etc/passwd and /etc/group, which would cost more than the request;
 * a group change takes effect within this many seconds. */
#define PEER_CACHE_SECONDS 60

typedef struct {
  char   *name;
  RkRole  roles;
  gint64  expires;  /* monotonic µs */
} PeerEntry;

static void
peer_entry_free (PeerEntry *entry)
{
  g_free (entry->name);
  g_free (entry);
}

static gboolean
user_in_group (const char *user, gid_t primary, const gid_t *groups, int n_groups,
               const char *group_name)
{
  struct group *gr;

  if (group_name == NULL || group_name[0] == '\0')
    return FALSE;
  gr = getgrnam (group_name);
  if (gr == NULL)
    return FALSE;
  if (gr->gr_gid == primary)
    return TRUE;
  for (int i = 0; i < n_groups; i++)
    if (groups[i] == gr->gr_gid)
      return TRUE;
  return FALSE;
}

static RkActor *
unix_actor (RkDaemon *daemon, SoupServerMessage *msg, GError **error)
{
  const RkAuthConfig *auth = rk_daemon_get_auth_config (daemon);
  GSocket *socket = soup_server_message_get_socket (msg);
  struct ucred cred;
  socklen_t len = sizeof cred;
  struct passwd *pw;
  g_autofree char *name = NULL;
  RkRole roles = RK_ROLE_NONE;
  GHashTable *cache;
  PeerEntry *entry;
  gint64 key;

  if (socket == NULL ||
      getsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
    {
      g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED,
                           "cannot read the peer's credentials");
      return NULL;
    }
  cache = rk_daemon_get_module_data (daemon, "core:peer-cache");
  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                     (GDestroyNotify) peer_entry_free);
      rk_daemon_set_module_data (daemon, "core:peer-cache", cache,
                                 (GDestroyNotify) g_hash_table_unref);
    }
  /* Keyed by uid and primary gid: the gid counts for group membership. */
  key = ((gint64) cred.uid << 32) | (gint64) cred.gid;
  entry = g_hash_table_lookup (cache, &key);
  if (entry != NULL && entry->expires > g_get_monotonic_time ())
    {
      if (entry->roles == RK_ROLE_NONE)
        {
          g_set_error (error, RK_API_ERROR, RK_API_ERROR_FORBIDDEN,
                       "uid %u is in none of the groups %s, %s, %s", (unsigned) cred.uid,
                       auth->group_operator, auth->group_supervisor, auth->group_technician);
          return NULL;
        }
      return rk_actor_new (0, entry->name, entry->roles, RK_DOOR_UNIX, cred.uid);
    }

  pw = getpwuid (cred.uid);
  name = pw != NULL ? g_strdup_printf ("unix:%s", pw->pw_name)
                    : g_strdup_printf ("unix:%u", (unsigned) cred.uid);
  if (cred.uid == 0 || cred.uid == geteuid ())
    roles = auth->self_roles;
  else if (pw != NULL)
    {
      gid_t groups[MAX_GROUPS];
      int n_groups = MAX_GROUPS;

      if (getgrouplist (pw->pw_name, pw->pw_gid, groups, &n_groups) < 0)
        n_groups = MAX_GROUPS;
      if (user_in_group (pw->pw_name, cred.gid, groups, n_groups, auth->group_operator))
        roles |= RK_ROLE_OPERATOR;
      if (user_in_group (pw->pw_name, cred.gid, groups, n_groups, auth->group_supervisor))
        roles |= RK_ROLE_SUPERVISOR;
      if (user_in_group (pw->pw_name, cred.gid, groups, n_groups, auth->group_technician))
        roles |= RK_ROLE_TECHNICIAN;
    }
  entry = g_new0 (PeerEntry, 1);
  entry->name = g_strdup (name);
  entry->roles = roles;
  entry->expires = g_get_monotonic_time () + PEER_CACHE_SECONDS * G_USEC_PER_SEC;
  g_hash_table_replace (cache, g_memdup2 (&key, sizeof key), entry);
  if (roles == RK_ROLE_NONE)
    {
      g_set_error (error, RK_API_ERROR, RK_API_ERROR_FORBIDDEN,
                   "uid %u is in none of the groups %s, %s, %s", (unsigned) cred.uid,
                   auth->group_operator, auth->group_supervisor, auth->group_technician);
      return NULL;
    }
  return rk_actor_new (0, name, roles, RK_DOOR_UNIX, cred.uid);
}

RkActor *
rk_peer_authenticate (RkApi *api, SoupServerMessage *msg, RkDoor door, gpointer user_data,
                      GError **error)
{
  RkDaemon *daemon = user_data;
  const char *header;

  if (door == RK_DOOR_UNIX)
    return unix_actor (daemon, msg, error);

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    {
      g_set_error_literal (error, RK_API_ERROR, RK_API_ERROR_UNAUTHENTICATED,
                           "log in first (POST /v1/sessions) and send "
                           "'Authorization: Bearer <token>'");
      return NULL;
    }
  header += 7;
  while (*header == ' ')
    header++;
  return rk_sessions_lookup (rk_daemon_get_store (daemon), header,
                             rk_daemon_get_auth_config (daemon)->session_idle, error);
}
