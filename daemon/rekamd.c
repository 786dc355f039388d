/* rekamd: the recording station daemon. main() only: options, the loop,
 * signals. Everything else is in rekamd-core and the modules. */
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <sys/stat.h>

#include "rk-daemon-private.h"
#include "rk-module.h"

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_info ("signal received, stopping");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RkDaemon) daemon = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *socket_path = NULL;
  gboolean demo = FALSE;
  gboolean version = FALSE;
  int port = -1;
  RkDaemonOptions options = { 0 };
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      "Config file (default " REKAM_SYSCONFDIR "/rekam/rekamd.conf; \"\" for none)", "FILE" },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
      "State directory (database, station key)", "DIR" },
    { "socket", 0, 0, G_OPTION_ARG_FILENAME, &socket_path, "Unix socket for rekamctl", "PATH" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "TCP port on 127.0.0.1 (0 = any free port)", "N" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Run the demo station (demo accounts and data)",
      NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* Every file we create (database, WAL, key) is ours alone. */
  umask (0077);

  context = g_option_context_new ("- the e-KTP recording station daemon");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("rekamd: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("rekamd %s\n", REKAM_VERSION);
      return 0;
    }
  if (port < -1 || port > 65535)
    {
      g_printerr ("rekamd: --port must be 0 to 65535\n");
      return 2;
    }

  options.config_path = config_path;
  options.state_dir = state_dir;
  options.socket_path = socket_path;
  options.port = port;
  options.demo = demo;
  options.modules = rk_modules;

  loop = g_main_loop_new (NULL, FALSE);
  /* Before anything announces readiness: a SIGTERM right after READY must
   * still shut down cleanly. */
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  daemon = rk_daemon_new (&options, &error);
  if (daemon == NULL || !rk_daemon_start (daemon, &error))
    {
      g_printerr ("rekamd: %s\n", error->message);
      return 1;
    }

  /* One parseable line for scripts and tests (--port 0), then the human
   * part. */
  g_print ("REKAMD_READY port=%u socket=%s\n", rk_daemon_get_port (daemon),
           rk_daemon_get_socket_path (daemon));
  if (demo)
    {
      g_print ("\nRekam demo station\n");
      g_print ("  API (kiosk):   http://127.0.0.1:%u/v1/status\n", rk_daemon_get_port (daemon));
      g_print ("  unix socket:   %s\n", rk_daemon_get_socket_path (daemon));
      g_print ("  rekamctl:      REKAM_SOCKET=%s rekamctl status\n",
               rk_daemon_get_socket_path (daemon));
      g_print ("  demo accounts (username / PIN):\n");
      for (const RkDemoAccount *d = rk_demo_accounts; d->username != NULL; d++)
        g_print ("    %-11s %s  (%s)\n", d->username, d->pin, rk_role_to_string (d->role));
      g_print ("  login:         curl -s -X POST -H 'Content-Type: application/json' "
               "-d '{\"username\":\"operator\",\"pin\":\"111111\"}' "
               "http://127.0.0.1:%u/v1/sessions\n", rk_daemon_get_port (daemon));
      g_print ("Stop with Ctrl-C.\n");
    }
  fflush (stdout);

  g_main_loop_run (loop);

  rk_daemon_stop (daemon);
  g_clear_pointer (&daemon, rk_daemon_free);
  return 0;
}
