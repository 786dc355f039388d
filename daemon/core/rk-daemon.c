/* rk-daemon.c: config, state directory, station key, store, API, modules
 * and the systemd handshake. */
#include "rk-daemon-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "rk-accounts.h"
#include "rk-crypto.h"
#include "rk-module.h"

#define DEFAULT_CONFIG      REKAM_SYSCONFDIR "/rekam/rekamd.conf"
#define DEFAULT_STATE_DIR   "/var/lib/rekam"
#define DEFAULT_SOCKET      "/run/rekam/rekamd.sock"
#define DEFAULT_PORT        8470
#define DEFAULT_MAX_BODY    (1024 * 1024)

struct _RkDaemon {
  GKeyFile     *config;
  char         *state_dir;
  char         *socket_path;
  char         *socket_group;
  char         *listen_address;
  int           port;              /* as asked; 0 = any */
  gboolean      demo;
  const RkModule *const *modules;  /* NULL-terminated, or NULL */
  RkStationKey *key;
  RkStore      *store;
  RkApi        *api;
  RkAuthConfig  auth;
  GHashTable   *module_data;       /* name -> ModuleData */
  GPtrArray    *started;           /* names of started modules, in order */
  gboolean      running;
  gint64        start_time;        /* monotonic µs */
  guint         watchdog_id;
};

typedef struct {
  gpointer       data;
  GDestroyNotify destroy;
} ModuleData;

G_DEFINE_QUARK (rk-daemon-error-quark, rk_daemon_error)

static void
module_data_free (ModuleData *md)
{
  if (md->destroy != NULL)
    md->destroy (md->data);
  g_free (md);
}

/* The keys the core reads; an unknown key in these groups is a typo the
 * admin wants to hear about, not a silent default. Modules check their
 * own groups. */
static const char *const core_keys[] = {
  "daemon:state_dir",
  "api:socket", "api:socket_group", "api:listen_address", "api:port", "api:max_body",
  "auth:session_idle_timeout", "auth:max_pin_failures", "auth:lockout_seconds",
  "auth:unix_self_roles", "auth:unix_group_operator", "auth:unix_group_supervisor",
  "auth:unix_group_technician",
  NULL
};

static gboolean
check_core_keys (GKeyFile *config, const char *path, GError **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (config, NULL);

  for (char **g = groups; *g != NULL; g++)
    {
      g_auto(GStrv) keys = NULL;

      if (strcmp (*g, "daemon") != 0 && strcmp (*g, "api") != 0 && strcmp (*g, "auth") != 0)
        continue;
      keys = g_key_file_get_keys (config, *g, NULL, NULL);
      for (char **k = keys; k != NULL && *k != NULL; k++)
        {
          g_autofree char *full = g_strdup_printf ("%s:%s", *g, *k);
          if (!g_strv_contains (core_keys, full))
            {
              g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_CONFIG,
                           "%s: unknown key '%s' in group [%s]", path, *k, *g);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static char *
config_string (GKeyFile *config, const char *group, const char *key, const char *fallback)
{
  g_autofree char *value = g_key_file_get_string (config, group, key, NULL);

  if (value == NULL)
    return g_strdup (fallback);
  g_strstrip (value);
  return g_steal_pointer (&value);
}

static gboolean
config_int (GKeyFile *config, const char *path, const char *group, const char *key,
            int fallback, int min, int max, int *ret_value, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  int value;

  if (!g_key_file_has_key (config, group, key, NULL))
    {
      *ret_value = fallback;
      return TRUE;
    }
  value = g_key_file_get_integer (config, group, key, &local_error);
  if (local_error != NULL || value < min || value > max)
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_CONFIG,
                   "%s: [%s] %s must be an integer from %d to %d", path, group, key, min, max);
      return FALSE;
    }
  *ret_value = value;
  return TRUE;
}

static gboolean
load_config (RkDaemon *daemon, const RkDaemonOptions *options, GError **error)
{
  const char *path = options->config_path;
  g_autofree char *self_roles = NULL;
  int max_body;

  daemon->config = g_key_file_new ();
  if (path == NULL && g_file_test (DEFAULT_CONFIG, G_FILE_TEST_EXISTS))
    path = DEFAULT_CONFIG;
  /* --config "" runs on built-in defaults (the demo must not depend on
   * whatever /etc holds). */
  if (path != NULL && path[0] != '\0')
    {
      g_autoptr(GError) local_error = NULL;
      if (!g_key_file_load_from_file (daemon->config, path, G_KEY_FILE_NONE, &local_error))
        {
          g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_CONFIG,
                       "cannot read config %s: %s", path, local_error->message);
          return FALSE;
        }
      if (!check_core_keys (daemon->config, path, error))
        return FALSE;
    }
  else
    path = "(defaults)";

  daemon->state_dir = options->state_dir != NULL
    ? g_strdup (options->state_dir)
    : config_string (daemon->config, "daemon", "state_dir", DEFAULT_STATE_DIR);
  daemon->socket_path = options->socket_path != NULL
    ? g_strdup (options->socket_path)
    : config_string (daemon->config, "api", "socket", DEFAULT_SOCKET);
  daemon->socket_group = config_string (daemon->config, "api", "socket_group", "rekam");
  daemon->listen_address = config_string (daemon->config, "api", "listen_address", "127.0.0.1");
  if (options->port >= 0)
    daemon->port = options->port;
  else if (!config_int (daemon->config, path, "api", "port", DEFAULT_PORT, 0, 65535,
                        &daemon->port, error))
    return FALSE;
  if (!config_int (daemon->config, path, "api", "max_body", DEFAULT_MAX_BODY, 1024,
                   G_MAXINT, &max_body, error) ||
      !config_int (daemon->config, path, "auth", "session_idle_timeout", 900, 30, 86400,
                   &daemon->auth.session_idle, error) ||
      !config_int (daemon->config, path, "auth", "max_pin_failures", 5, 0, 100,
                   &daemon->auth.max_pin_failures, error) ||
      !config_int (daemon->config, path, "auth", "lockout_seconds", 300, 1, 86400,
                   &daemon->auth.lockout_seconds, error))
    return FALSE;
  self_roles = config_string (daemon->config, "auth", "unix_self_roles",
                              "operator,supervisor,technician");
  daemon->auth.self_roles = rk_roles_parse (self_roles);
  if (daemon->auth.self_roles == RK_ROLE_NONE && self_roles[0] != '\0')
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_CONFIG,
                   "%s: [auth] unix_self_roles: '%s' is not a list of operator, supervisor, "
                   "technician", path, self_roles);
      return FALSE;
    }
  daemon->auth.group_operator = config_string (daemon->config, "auth", "unix_group_operator",
                                               "rekam-operator");
  daemon->auth.group_supervisor = config_string (daemon->config, "auth",
                                                 "unix_group_supervisor", "rekam-supervisor");
  daemon->auth.group_technician = config_string (daemon->config, "auth",
                                                 "unix_group_technician", "rekam-technician");
  daemon->api = rk_api_new (daemon, (gsize) max_body);
  return TRUE;
}

/* The state directory holds the database and the station key: 0700, owned
 * by us. An existing directory with looser bits is tightened, since the
 * unit's StateDirectory= or an admin may have created it. */
static gboolean
prepare_state_dir (RkDaemon *daemon, GError **error)
{
  struct stat st;

  if (g_mkdir_with_parents (daemon->state_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_STATE,
                   "cannot create state directory %s: %s", daemon->state_dir,
                   g_strerror (saved));
      return FALSE;
    }
  if (stat (daemon->state_dir, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_STATE,
                   "state directory %s is not a directory", daemon->state_dir);
      return FALSE;
    }
  if (st.st_uid != geteuid ())
    {
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_STATE,
                   "state directory %s belongs to uid %u, not to us (uid %u)",
                   daemon->state_dir, (unsigned) st.st_uid, (unsigned) geteuid ());
      return FALSE;
    }
  if ((st.st_mode & 07777) != 0700 && chmod (daemon->state_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_STATE,
                   "cannot make state directory %s private: %s", daemon->state_dir,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

RkDaemon *
rk_daemon_new (const RkDaemonOptions *options, GError **error)
{
  g_autoptr(RkDaemon) daemon = g_new0 (RkDaemon, 1);
  g_autofree char *key_path = NULL;
  g_autofree char *db_path = NULL;
  guint8 audit_key[32];

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  daemon->demo = options->demo;
  daemon->modules = options->modules;
  daemon->module_data = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) module_data_free);
  daemon->started = g_ptr_array_new ();
  daemon->start_time = g_get_monotonic_time ();
  if (!load_config (daemon, options, error))
    return NULL;
  if (!prepare_state_dir (daemon, error))
    return NULL;

  key_path = g_build_filename (daemon->state_dir, "station.key", NULL);
  daemon->key = rk_station_key_load_or_create (key_path, error);
  if (daemon->key == NULL)
    return NULL;

  db_path = g_build_filename (daemon->state_dir, "rekam.db", NULL);
  daemon->store = rk_store_open (db_path, error);
  if (daemon->store == NULL)
    return NULL;
  rk_station_key_derive (daemon->key, 1, "rkaudit1", audit_key, sizeof audit_key);
  rk_store_set_audit_key (daemon->store, audit_key, sizeof audit_key);
  memset (audit_key, 0, sizeof audit_key);

  rk_api_set_authenticate (daemon->api, rk_peer_authenticate, daemon);
  return g_steal_pointer (&daemon);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  /* Sent from the main loop, so a blocked loop stops the pings and systemd
   * restarts us: that is the point of the watchdog. */
  sd_notify (0, "WATCHDOG=1");
  return G_SOURCE_CONTINUE;
}

gboolean
rk_daemon_start (RkDaemon *daemon, GError **error)
{
  guint64 watchdog_usec = 0;

  g_return_val_if_fail (daemon != NULL && !daemon->running, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  daemon->running = TRUE;
  rk_core_routes_register (daemon);
  {
    g_autoptr(GError) purge_error = NULL;
    int purged = rk_sessions_purge (daemon->store, daemon->auth.session_idle, &purge_error);
    if (purged < 0)
      g_message ("cannot purge old sessions: %s", purge_error->message);
    else if (purged > 0)
      g_info ("purged %d idle sessions", purged);
  }
  if (daemon->demo && !rk_demo_create_accounts (daemon, error))
    {
      rk_daemon_stop (daemon);
      return FALSE;
    }
  for (gsize i = 0; daemon->modules != NULL && daemon->modules[i] != NULL; i++)
    {
      const RkModule *module = daemon->modules[i];
      g_autoptr(GError) local_error = NULL;

      rk_daemon_set_status (daemon, "Starting module %s", module->name);
      if (module->start != NULL && !module->start (daemon, &local_error))
        {
          g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_FAILED,
                       "module %s failed to start: %s", module->name,
                       local_error != NULL ? local_error->message : "no reason given");
          rk_daemon_stop (daemon);
          return FALSE;
        }
      g_ptr_array_add (daemon->started, (gpointer) module);
    }

  {
    g_autoptr(GError) local_error = NULL;
    if (!rk_api_listen_unix (daemon->api, daemon->socket_path, daemon->socket_group,
                             &local_error) ||
        !rk_api_listen_tcp (daemon->api, daemon->listen_address, (guint) daemon->port,
                            &local_error))
      {
        g_set_error (error, RK_DAEMON_ERROR, RK_DAEMON_ERROR_LISTEN, "cannot listen: %s",
                     local_error->message);
        rk_daemon_stop (daemon);
        return FALSE;
      }
  }

  if (sd_watchdog_enabled (0, &watchdog_usec) > 0 && watchdog_usec > 0)
    daemon->watchdog_id = g_timeout_add (MAX (watchdog_usec / 2000, 1), watchdog_cb, daemon);
  sd_notifyf (0, "READY=1\nSTATUS=Listening on %s and %s:%u%s", daemon->socket_path,
              daemon->listen_address, rk_api_get_port (daemon->api),
              daemon->demo ? " (demo)" : "");
  return TRUE;
}

void
rk_daemon_stop (RkDaemon *daemon)
{
  g_return_if_fail (daemon != NULL);
  if (!daemon->running)
    return;
  daemon->running = FALSE;
  sd_notify (0, "STOPPING=1\nSTATUS=Stopping");
  g_clear_handle_id (&daemon->watchdog_id, g_source_remove);
  /* Close the doors first so no new request starts while modules flush. */
  rk_api_disconnect (daemon->api);
  for (guint i = daemon->started->len; i > 0; i--)
    {
      const RkModule *module = g_ptr_array_index (daemon->started, i - 1);
      if (module->stop != NULL)
        module->stop (daemon);
    }
  g_ptr_array_set_size (daemon->started, 0);
}

void
rk_daemon_free (RkDaemon *daemon)
{
  if (daemon == NULL)
    return;
  if (daemon->running)
    rk_daemon_stop (daemon);
  g_clear_pointer (&daemon->module_data, g_hash_table_unref);
  g_clear_pointer (&daemon->api, rk_api_free);
  g_clear_pointer (&daemon->store, rk_store_close);
  g_clear_pointer (&daemon->key, rk_station_key_free);
  g_clear_pointer (&daemon->config, g_key_file_unref);
  g_clear_pointer (&daemon->started, g_ptr_array_unref);
  g_free (daemon->state_dir);
  g_free (daemon->socket_path);
  g_free (daemon->socket_group);
  g_free (daemon->listen_address);
  g_free (daemon->auth.group_operator);
  g_free (daemon->auth.group_supervisor);
  g_free (daemon->auth.group_technician);
  g_free (daemon);
}

RkStore *
rk_daemon_get_store (RkDaemon *daemon)
{
  return daemon->store;
}

RkApi *
rk_daemon_get_api (RkDaemon *daemon)
{
  return daemon->api;
}

RkStationKey *
rk_daemon_get_station_key (RkDaemon *daemon)
{
  return daemon->key;
}

GKeyFile *
rk_daemon_get_config (RkDaemon *daemon)
{
  return daemon->config;
}

const char *
rk_daemon_get_state_dir (RkDaemon *daemon)
{
  return daemon->state_dir;
}

gboolean
rk_daemon_is_demo (RkDaemon *daemon)
{
  return daemon->demo;
}

const char *
rk_daemon_get_socket_path (RkDaemon *daemon)
{
  return daemon->socket_path;
}

guint
rk_daemon_get_port (RkDaemon *daemon)
{
  return rk_api_get_port (daemon->api);
}

const RkAuthConfig *
rk_daemon_get_auth_config (RkDaemon *daemon)
{
  return &daemon->auth;
}

GPtrArray *
rk_daemon_get_started_modules (RkDaemon *daemon)
{
  return daemon->started;
}

gint64
rk_daemon_get_start_time (RkDaemon *daemon)
{
  return daemon->start_time;
}

void
rk_daemon_set_module_data (RkDaemon *daemon, const char *module, gpointer data,
                           GDestroyNotify destroy)
{
  ModuleData *md = g_new0 (ModuleData, 1);

  g_return_if_fail (daemon != NULL && module != NULL);
  md->data = data;
  md->destroy = destroy;
  g_hash_table_replace (daemon->module_data, g_strdup (module), md);
}

gpointer
rk_daemon_get_module_data (RkDaemon *daemon, const char *module)
{
  ModuleData *md;

  g_return_val_if_fail (daemon != NULL && module != NULL, NULL);
  md = g_hash_table_lookup (daemon->module_data, module);
  return md != NULL ? md->data : NULL;
}

void
rk_daemon_set_status (RkDaemon *daemon, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("status: %s", text);
  sd_notifyf (0, "STATUS=%s", text);
}

guint8 *
rk_station_seal (RkDaemon *daemon, const guint8 *plaintext, gsize len, gsize *ret_len)
{
  g_return_val_if_fail (daemon != NULL, NULL);
  return rk_station_key_seal (daemon->key, plaintext, len, ret_len);
}

guint8 *
rk_station_open (RkDaemon *daemon, const guint8 *sealed, gsize len, gsize *ret_len,
                 GError **error)
{
  g_return_val_if_fail (daemon != NULL, NULL);
  return rk_station_key_open (daemon->key, sealed, len, ret_len, error);
}
