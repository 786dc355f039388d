/* The UPS class through NUT: the test runs NUT's dummy-ups driver and
 * upsd from its own folder on a free port, and switches the UPS between
 * on line, on battery and low battery by rewriting dummy-ups' .dev file. */
#define _GNU_SOURCE /* prctl */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "rki-nut-ups.h"
#include "test-helpers.h"

#define NUT_BIN "/lib/nut"

static char *dir;
static char *dev_file;
static guint16 port;
static GSubprocess *driver, *upsd;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
put (const char *name, const char *text, int mode)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_chmod (path, mode);
}

static void
set_ups (const char *status, int charge, int runtime)
{
  g_autofree char *text = g_strdup_printf ("ups.status: %s\nbattery.charge: %d\nbattery.runtime: %d\n",
                                           status, charge, runtime);
  g_autofree char *tmp = g_strconcat (dev_file, ".tmp", NULL);
  g_assert_true (g_file_set_contents (tmp, text, -1, NULL));
  g_assert_cmpint (g_rename (tmp, dev_file), ==, 0);
}

static GSubprocess *
spawn (const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) l =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  GSubprocess *p;

  g_subprocess_launcher_setenv (l, "NUT_CONFPATH", dir, TRUE);
  g_subprocess_launcher_setenv (l, "NUT_STATEPATH", dir, TRUE);
  g_subprocess_launcher_setenv (l, "NUT_ALTPIDPATH", dir, TRUE);
  g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
  p = g_subprocess_launcher_spawnv (l, argv, &error);
  g_assert_no_error (error);
  return p;
}

static void
start_nut (void)
{
  g_autofree char *ups_conf = NULL;
  g_autofree char *upsd_conf = NULL;
  const char *drv_argv[] = { NUT_BIN "/dummy-ups", "-a", "station", "-u", "root", "-F", NULL };
  const char *upsd_argv[] = { NUT_BIN "/upsd", "-F", "-u", "root", NULL };

  dir = g_dir_make_tmp ("rekam-nut-XXXXXX", NULL);
  dev_file = g_build_filename (dir, "station.dev", NULL);
  port = (guint16) (34000 + getpid () % 1000);
  set_ups ("OL", 100, 1800);
  ups_conf = g_strdup_printf ("[station]\n  driver = dummy-ups\n  port = %s\n  desc = \"test\"\n"
                              "  pollinterval = 1\n", dev_file);
  upsd_conf = g_strdup_printf ("LISTEN 127.0.0.1 %u\n", port);
  put ("ups.conf", ups_conf, 0600);
  put ("upsd.conf", upsd_conf, 0600);
  put ("upsd.users", "", 0600);
  put ("nut.conf", "MODE=standalone\n", 0600);
  driver = spawn (drv_argv);
  g_usleep (300000);
  upsd = spawn (upsd_argv);
}

static void
stop_nut (void)
{
  const char *names[] = { "ups.conf", "upsd.conf", "upsd.users", "nut.conf", "station.dev", NULL };
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_subprocess_send_signal (upsd, SIGTERM);
  g_subprocess_send_signal (driver, SIGTERM);
  g_subprocess_wait (upsd, NULL, NULL);
  g_subprocess_wait (driver, NULL, NULL);
  g_clear_object (&upsd);
  g_clear_object (&driver);
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *p = g_build_filename (dir, names[i], NULL);
      g_unlink (p);
    }
  /* sockets and state files the driver left */
  d = g_dir_open (dir, 0, NULL);
  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
  g_free (dir);
  g_free (dev_file);
}

static void
on_status (RkiUps *ups, const RkiUpsStatus *status, gpointer user_data)
{
  g_string_append_printf (user_data, "[%s]", status->status);
}

static void
wait_for (GString *log, const char *needle)
{
  gint64 end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (strstr (log->str, needle) == NULL && g_get_monotonic_time () < end)
    spin_ms (20);
  if (strstr (log->str, needle) == NULL)
    g_error ("UPS never reported %s (saw %s)", needle, log->str);
}

static void
test_line_battery_low (void)
{
  g_autoptr(RkiDevice) device = rki_nut_ups_new ("station", "127.0.0.1", port, "ups0");
  g_autoptr(GString) log = g_string_new (NULL);
  const RkiUpsStatus *st;

  g_signal_connect (device, "status-changed", G_CALLBACK (on_status), log);
  open_sync (device);
  rki_ups_set_monitor_interval (RKI_UPS (device), 150);
  wait_for (log, "[OL]");
  st = rki_ups_get_last_status (RKI_UPS (device));
  g_assert_cmpint (st->charge, ==, 100);
  g_assert_cmpint (st->runtime, ==, 1800);
  set_ups ("OB", 70, 900);
  wait_for (log, "[OB]");
  set_ups ("OB LB", 5, 60);
  wait_for (log, "[OB LB]");
  st = rki_ups_get_last_status (RKI_UPS (device));
  g_assert_true (st->on_battery && st->low_battery);
  g_assert_cmpint (st->charge, ==, 5);
  rki_device_close (device);
  spin_ms (50);
}

static void
test_upsd_unreachable (void)
{
  g_autoptr(RkiDevice) device = rki_nut_ups_new ("station", "127.0.0.1", 1, "ups9");
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0 };

  open_sync (device);
  rki_ups_poll (RKI_UPS (device), NULL, wait_cb, &w);
  r = wait_result (&w, 5000);
  g_assert_null (rki_ups_poll_finish (RKI_UPS (device), r, &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "127.0.0.1:1"));
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  if (!g_file_test (NUT_BIN "/upsd", G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (NUT_BIN "/dummy-ups", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("SKIP: NUT's upsd or dummy-ups not installed (nut-server)\n");
      return 77;
    }
  start_nut ();
  g_test_add_func ("/drivers/nut/line-battery-low", test_line_battery_low);
  g_test_add_func ("/drivers/nut/upsd-unreachable", test_upsd_unreachable);
  rc = g_test_run ();
  stop_nut ();
  return rc;
}
