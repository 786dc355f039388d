/* rk-daemon.h: the running daemon, as modules see it.
 *
 * One RkDaemon per process (tests may make several in turn). Everything
 * here is for the main loop thread only, except rk_daemon_get_station_key()
 * and the fields read by rk_station_seal()/rk_station_open(). */
#pragma once

#include <glib.h>

#include "rk-store.h"

G_BEGIN_DECLS

#define RK_DAEMON_ERROR (rk_daemon_error_quark ())
GQuark rk_daemon_error_quark (void);

typedef enum {
  RK_DAEMON_ERROR_FAILED,   /* anything else (500) */
  RK_DAEMON_ERROR_CONFIG,   /* bad config file or option (500) */
  RK_DAEMON_ERROR_STATE,    /* state dir cannot be made private (500) */
  RK_DAEMON_ERROR_LISTEN,   /* socket or port cannot be bound (500) */
} RkDaemonError;

typedef struct _RkDaemon RkDaemon;
typedef struct _RkApi RkApi;
typedef struct _RkStationKey RkStationKey;

typedef struct {
  const char *config_path;  /* NULL: /etc/rekam/rekamd.conf if it exists; "": none */
  const char *state_dir;    /* NULL: [daemon] state_dir */
  const char *socket_path;  /* NULL: [api] socket */
  int         port;         /* -1: [api] port; 0: any free port */
  gboolean    demo;         /* --demo */
  /* The modules to start, NULL-terminated (rekamd passes rk_modules from
   * rk-module.h; a unit test may pass NULL for the core alone). */
  const struct _RkModule *const *modules;
} RkDaemonOptions;

/* Loads the config, makes the state dir (0700), loads or creates the station
 * key, opens and migrates the store, creates the API (not listening). */
RkDaemon *rk_daemon_new  (const RkDaemonOptions *options, GError **error);
/* Registers core routes, starts every module in rk_modules[], binds both
 * doors. On failure the modules started so far are stopped again. */
gboolean  rk_daemon_start (RkDaemon *daemon, GError **error);
/* Stops modules in reverse order and both doors; the store stays open
 * until rk_daemon_free(). Idempotent. */
void      rk_daemon_stop  (RkDaemon *daemon);
void      rk_daemon_free  (RkDaemon *daemon);

RkStore      *rk_daemon_get_store       (RkDaemon *daemon);
RkApi        *rk_daemon_get_api         (RkDaemon *daemon);
RkStationKey *rk_daemon_get_station_key (RkDaemon *daemon);
/* The whole config; modules read their own group ([intake], [record],
 * [devices]) and document its keys in daemon/data/rekamd.conf. */
GKeyFile     *rk_daemon_get_config      (RkDaemon *daemon);
const char   *rk_daemon_get_state_dir   (RkDaemon *daemon);
gboolean      rk_daemon_is_demo         (RkDaemon *daemon);
/* Where the API listens once started: the unix socket path and the TCP
 * port actually bound (useful when --port 0 was given). */
const char   *rk_daemon_get_socket_path (RkDaemon *daemon);
guint         rk_daemon_get_port        (RkDaemon *daemon);

/* Per-module state, keyed by module name; destroy is called at free. */
void     rk_daemon_set_module_data (RkDaemon *daemon, const char *module,
                                    gpointer data, GDestroyNotify destroy);
gpointer rk_daemon_get_module_data (RkDaemon *daemon, const char *module);

/* sd_notify STATUS= line (also logged at debug level). No-op without
 * systemd. Never put a NIK or a name in it. */
void rk_daemon_set_status (RkDaemon *daemon, const char *format, ...) G_GNUC_PRINTF (2, 3);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkDaemon, rk_daemon_free)

G_END_DECLS
