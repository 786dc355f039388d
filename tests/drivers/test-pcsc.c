/* The smartcard class through PC/SC Lite: a real pcscd with the vpcd
 * virtual reader driver, and the card emulator in vicc.c. The test starts
 * and stops pcscd itself; pcscd's socket (/run/pcscd) and vpcd's ports
 * (35963/35964) are global, so CTest runs this alone (RESOURCE_LOCK). */
#define _GNU_SOURCE /* prctl */
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "rki-pcsc-reader.h"
#include "rki-session.h"
#include "test-helpers.h"
#include "vicc.h"

#define VPCD_DRIVER "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
#define READER "Virtual PCD 00 00"

static GSubprocess *pcscd;
static char *conf_dir;

/* pcscd dies with the test, even when an assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
start_pcscd (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *pid_text = NULL;
  gint64 end;

  if (g_file_get_contents ("/run/pcscd/pcscd.pid", &pid_text, NULL, NULL) &&
      kill ((pid_t) g_ascii_strtoll (pid_text, NULL, 10), 0) == 0)
    {
      g_printerr ("SKIP: another pcscd (pid %s) owns /run/pcscd\n", g_strstrip (pid_text));
      return FALSE;
    }
  conf_dir = g_dir_make_tmp ("rekam-pcscd-XXXXXX", NULL);
  conf = g_build_filename (conf_dir, "vpcd", NULL);
  /* vpcd listens on CHANNELID (35963) and the next port, one per slot */
  g_assert_true (g_file_set_contents (conf, "FRIENDLYNAME \"Virtual PCD\"\n"
                                            "DEVICENAME /dev/null:0x8C7B\n"
                                            "LIBPATH " VPCD_DRIVER "\nCHANNELID 0x8C7B\n", -1, NULL));
  g_mkdir_with_parents ("/run/pcscd", 0755);
  {
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    pcscd = g_subprocess_launcher_spawn (launcher, &error, "pcscd", "--foreground", "--config",
                                         conf_dir, NULL);
  }
  g_assert_no_error (error);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    {
      g_auto(GStrv) readers = rki_pcsc_list_readers (NULL);
      if (readers != NULL && g_strv_contains ((const char *const *) readers, READER))
        return TRUE;
      g_usleep (100000);
    }
  g_error ("pcscd did not list %s within 10 s", READER);
}

static void
stop_pcscd (void)
{
  g_autofree char *conf = g_build_filename (conf_dir, "vpcd", NULL);

  g_subprocess_send_signal (pcscd, SIGTERM);
  g_subprocess_wait (pcscd, NULL, NULL);
  g_clear_object (&pcscd);
  g_unlink (conf);
  g_rmdir (conf_dir);
  g_free (conf_dir);
}

typedef struct {
  gboolean present;
  guint    changes;
} CardLog;

static void
on_card (RkiSmartcard *card, gboolean present, GBytes *atr, gpointer user_data)
{
  CardLog *log = user_data;
  log->present = present;
  log->changes++;
}

static void
wait_card (CardLog *log, gboolean present)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (log->present != present && g_get_monotonic_time () < end)
    spin_ms (10);
  g_assert_cmpint (log->present, ==, present);
}

static GBytes *
exchange (RkiDevice *device, const char *hex, GError **error)
{
  g_autoptr(GBytes) apdu = rki_hex_decode (hex, NULL);
  g_autoptr(GAsyncResult) r = NULL;
  Wait w = { 0 };

  rki_smartcard_transmit (RKI_SMARTCARD (device), apdu, NULL, wait_cb, &w);
  r = wait_result (&w, 10000);
  return rki_smartcard_transmit_finish (RKI_SMARTCARD (device), r, error);
}

static void
test_reader (void)
{
  g_autoptr(RkiDevice) device = rki_pcsc_reader_new (READER, "card0");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) rsp = NULL;
  g_autoptr(GVariant) info = NULL;
  g_autofree char *hex = NULL;
  const char *atr_hex = NULL;
  CardLog log = { 0 };
  Vicc *card;

  g_signal_connect (device, "card-changed", G_CALLBACK (on_card), &log);
  open_sync (device);
  spin_ms (300);
  g_assert_false (rki_smartcard_has_card (RKI_SMARTCARD (device)));
  g_assert_null (exchange (device, "00A4040000", &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NO_MEDIA);
  g_clear_error (&error);

  /* insert */
  card = vicc_start (35963);
  g_assert_nonnull (card);
  wait_card (&log, TRUE);
  info = rki_device_get_info (device);
  g_assert_true (g_variant_lookup (info, "atr", "&s", &atr_hex));
  g_assert_cmpstr (atr_hex, ==, "3B80800101");

  rsp = exchange (device, "00A4040007A0000000031010", &error);
  g_assert_no_error (error);
  hex = rki_hex_encode (rsp);
  g_assert_cmpstr (hex, ==, "9000");
  g_clear_pointer (&rsp, g_bytes_unref);
  g_clear_pointer (&hex, g_free);
  rsp = exchange (device, "00B0000004", &error);
  g_assert_no_error (error);
  hex = rki_hex_encode (rsp);
  g_assert_cmpstr (hex, ==, "000102039000");
  g_clear_pointer (&rsp, g_bytes_unref);
  g_clear_pointer (&hex, g_free);

  /* the diagnostic's exchange goes through the same stack */
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GVariant) checks = NULL;
    GVariantIter iter;
    const char *name, *detail;
    gboolean passed, all = TRUE;
    guint n = 0;
    Wait w = { 0 };
    rki_device_test (device, NULL, wait_cb, &w);
    r = wait_result (&w, 10000);
    checks = rki_device_test_finish (device, r, &error);
    g_assert_no_error (error);
    g_variant_iter_init (&iter, checks);
    while (g_variant_iter_next (&iter, "(&sb&s)", &name, &passed, &detail))
      all = all && passed, n++;
    g_assert_true (all);
    g_assert_cmpuint (n, ==, 3);
  }

  /* pulled in the middle of an exchange */
  vicc_pull_on_ins (card, 0xCA);
  g_assert_null (exchange (device, "00CA010000", &error));
  g_assert_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NO_MEDIA);
  g_assert_nonnull (strstr (error->message, "card0"));
  g_clear_error (&error);
  vicc_stop (card);
  wait_card (&log, FALSE);

  /* put back: the reader reconnects */
  card = vicc_start (35963);
  g_assert_nonnull (card);
  wait_card (&log, TRUE);
  rsp = exchange (device, "00B0000002", &error);
  g_assert_no_error (error);
  hex = rki_hex_encode (rsp);
  g_assert_cmpstr (hex, ==, "00019000");
  rki_device_close (device);
  vicc_stop (card);
  spin_ms (50);
}

int
main (int argc, char **argv)
{
  g_autofree char *pcscd_path = g_find_program_in_path ("pcscd");
  int rc;

  g_test_init (&argc, &argv, NULL);
  if (!g_file_test (VPCD_DRIVER, G_FILE_TEST_EXISTS) || pcscd_path == NULL)
    {
      g_printerr ("SKIP: pcscd or vsmartcard-vpcd (%s) not installed\n", VPCD_DRIVER);
      return 77;
    }
  if (!start_pcscd ())
    return 77;
  g_test_add_func ("/drivers/pcsc/reader-insert-exchange-pull", test_reader);
  rc = g_test_run ();
  stop_pcscd ();
  return rc;
}
