/* Smartcard readers through rekamd: the daemon starts before pcscd (as
 * when the e-KTP reader is plugged in later); once pcscd with the vpcd
 * driver runs, its readers are listed; a card (tests/drivers/vicc.c)
 * answers an APDU through the API; when pcscd stops, the readers leave
 * the list. pcscd's socket and vpcd's ports are global: RESOURCE_LOCK. */
#define _GNU_SOURCE /* prctl */
#include <signal.h>
#include <sys/prctl.h>

#include "devices-harness.h"
#include "vicc.h"

#define VPCD_DRIVER "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static guint
count_readers (Harness *h)
{
  guint status, n = 0;
  g_autoptr(JsonNode) list = harness_call (h, "GET", "/v1/devices", NULL, &status);
  JsonArray *arr = json_object_get_array_member (json_node_get_object (list), "devices");

  for (guint i = 0; i < json_array_get_length (arr); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (arr, i), "driver"), "pcsc") == 0)
      n++;
  return n;
}

static gboolean
wait_readers (Harness *h, gboolean want_some)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    {
      if ((count_readers (h) > 0) == want_some)
        return TRUE;
      spin_ms (50);
    }
  return FALSE;
}

static void
test_reader_hotplug (void)
{
  Harness h = { 0 };
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) pcscd = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conf_dir = NULL, *conf = NULL;
  Vicc *card = NULL;

  h.dir = g_dir_make_tmp ("rekam-devices-XXXXXX", NULL);
  h.state = g_build_filename (h.dir, "state", NULL);
  h.socket = g_build_filename (h.dir, "sock", NULL);
  h.config = g_build_filename (h.dir, "rekamd.conf", NULL);
  harness_start (&h, "udev=false\nfprint=false\npcsc=true\npcsc_poll_ms=200");
  spin_ms (500);
  g_assert_cmpuint (count_readers (&h), ==, 0);

  conf_dir = g_build_filename (h.dir, "reader.conf.d", NULL);
  g_mkdir (conf_dir, 0700);
  conf = g_build_filename (conf_dir, "vpcd", NULL);
  g_assert_true (g_file_set_contents (conf, "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:0x8C7B\n"
                                            "LIBPATH " VPCD_DRIVER "\nCHANNELID 0x8C7B\n", -1, NULL));
  g_mkdir_with_parents ("/run/pcscd", 0755);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  pcscd = g_subprocess_launcher_spawn (launcher, &error, "pcscd", "--foreground", "--config", conf_dir, NULL);
  g_assert_no_error (error);
  g_assert_true (wait_readers (&h, TRUE));

  card = vicc_start (35963);
  g_assert_nonnull (card);
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    guint status = 0;
    g_autoptr(JsonNode) reply = NULL;
    /* the reader sees the card within a poll or two */
    while (g_get_monotonic_time () < end)
      {
        g_clear_pointer (&reply, json_node_unref);
        reply = harness_call (&h, "POST", "/v1/devices/smartcard0/apdu", "{\"apdu\":\"00B0000004\"}", &status);
        if (status == 200)
          break;
        spin_ms (100);
      }
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reply), "response"), ==, "000102039000");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reply), "sw"), ==, "9000");
  }
  vicc_stop (card);

  g_subprocess_send_signal (pcscd, SIGTERM);
  g_subprocess_wait (pcscd, NULL, NULL);
  g_assert_true (wait_readers (&h, FALSE));
  g_unlink (conf);
  harness_free (&h);
}

int
main (int argc, char **argv)
{
  g_autofree char *pcscd_path = g_find_program_in_path ("pcscd");
  g_autofree char *pid_text = NULL;

  g_test_init (&argc, &argv, NULL);
  if (pcscd_path == NULL || !g_file_test (VPCD_DRIVER, G_FILE_TEST_EXISTS))
    {
      g_printerr ("SKIP: pcscd or vsmartcard-vpcd not installed\n");
      return 77;
    }
  if (g_file_get_contents ("/run/pcscd/pcscd.pid", &pid_text, NULL, NULL) &&
      kill ((pid_t) g_ascii_strtoll (pid_text, NULL, 10), 0) == 0)
    {
      g_printerr ("SKIP: another pcscd owns /run/pcscd\n");
      return 77;
    }
  g_test_add_func ("/devices/readers/hotplug-and-apdu", test_reader_hotplug);
  return g_test_run ();
}
