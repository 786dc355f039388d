/* rk-api-private.h: what the daemon (not modules) does with the API. */
#pragma once

#include "rk-api.h"

G_BEGIN_DECLS

/* Resolves who is calling. Returns the actor (transfer full) or NULL with an
 * RK_API_ERROR (UNAUTHENTICATED, FORBIDDEN). Called on the main loop for
 * every request that is not anonymous. */
typedef RkActor *(*RkApiAuthenticateFunc) (RkApi             *api,
                                           SoupServerMessage *msg,
                                           RkDoor             door,
                                           gpointer           user_data,
                                           GError           **error);

RkApi   *rk_api_new   (RkDaemon *daemon, gsize default_max_body);
void     rk_api_free  (RkApi *api);
void     rk_api_set_authenticate (RkApi *api, RkApiAuthenticateFunc func, gpointer user_data);

/* Binds the unix socket (mode 0660, group when it exists) and 127.0.0.1:port
 * (0 = any free port). */
gboolean rk_api_listen_unix (RkApi *api, const char *path, const char *group, GError **error);
gboolean rk_api_listen_tcp  (RkApi *api, const char *address, guint port, GError **error);
guint    rk_api_get_port    (RkApi *api);
/* Closes both doors and unlinks the socket. */
void     rk_api_disconnect  (RkApi *api);

/* The actor also when the route is anonymous and a session was offered. */
SoupServerMessage *rk_api_request_get_message (RkApiRequest *request);

/* Test hook: the route a method+path resolves to (NULL when none). */
RkApiRoute *rk_api_lookup (RkApi *api, const char *method, const char *path,
                           GHashTable **ret_params, gboolean *ret_path_known);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkApi, rk_api_free)

G_END_DECLS
