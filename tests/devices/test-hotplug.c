/* Hot-plug through GUdev: umockdev's testbed (LD_PRELOAD, run by
 * umockdev-wrapper) plays the kernel. A signature pad plugged in must be
 * in GET /v1/devices within a second, and gone once it is unplugged. */
#include <umockdev.h>

#include "devices-harness.h"

/* Polls the list until @want says it is there (or not); returns the
 * time it took in us, or -1 after 3 s. */
static gint64
wait_listed (Harness *h, gboolean want, char **ret_id)
{
  gint64 t0 = g_get_monotonic_time ();

  while (g_get_monotonic_time () - t0 < 3 * G_USEC_PER_SEC)
    {
      guint status;
      g_autoptr(JsonNode) list = harness_call (h, "GET", "/v1/devices", NULL, &status);
      JsonArray *arr = json_object_get_array_member (json_node_get_object (list), "devices");
      gboolean found = FALSE;
      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          JsonObject *d = json_array_get_object_element (arr, i);
          if (g_strcmp0 (json_object_get_string_member (d, "class"), "signature") == 0)
            {
              found = TRUE;
              if (ret_id != NULL)
                *ret_id = g_strdup (json_object_get_string_member (d, "id"));
            }
        }
      if (found == want)
        return g_get_monotonic_time () - t0;
      spin_ms (20);
    }
  return -1;
}

static void
test_pad_plug_unplug (void)
{
  g_autoptr(UMockdevTestbed) tb = umockdev_testbed_new ();
  Harness h = { 0 };
  g_autofree char *syspath = NULL;
  g_autofree char *id = NULL;
  gint64 took;

  harness_start (&h, "udev=true\nfprint=false\npcsc=false");
  g_assert_cmpint (wait_listed (&h, FALSE, NULL), >=, 0);
  syspath = umockdev_testbed_add_device (tb, "input", "event7", NULL,
                                         "name", "Rekam test pad", NULL,
                                         "DEVNAME", "/dev/input/event7", "ID_INPUT", "1",
                                         "ID_INPUT_TABLET", "1", "ID_SERIAL", "PAD-42", NULL);
  g_assert_nonnull (syspath);
  umockdev_testbed_uevent (tb, syspath, "add");
  took = wait_listed (&h, TRUE, &id);
  g_test_message ("pad listed %.0f ms after the add uevent", took / 1e3);
  g_assert_cmpint (took, >=, 0);
  g_assert_cmpint (took, <, G_USEC_PER_SEC);
  g_assert_cmpstr (id, ==, "signature0");
  {
    guint status;
    g_autoptr(JsonNode) info = harness_call (&h, "GET", "/v1/devices/signature0", NULL, &status);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (info), "serial"), ==, "PAD-42");
  }
  /* a UVC camera node appears the same way (the V4L2 backend) */
  {
    g_autofree char *cam = umockdev_testbed_add_device (tb, "video4linux", "video0", NULL, "name", "Test cam", NULL,
                                                        "DEVNAME", "/dev/video0",
                                                        "ID_V4L_CAPABILITIES", ":capture:", NULL);
    gint64 t0 = g_get_monotonic_time ();
    gboolean seen = FALSE;
    umockdev_testbed_uevent (tb, cam, "add");
    while (!seen && g_get_monotonic_time () - t0 < G_USEC_PER_SEC)
      {
        guint status;
        g_autoptr(JsonNode) info = harness_call (&h, "GET", "/v1/devices/camera0", NULL, &status);
        seen = status == 200 &&
               g_strcmp0 (json_object_get_string_member (json_node_get_object (info), "driver"), "v4l2") == 0;
        if (!seen)
          spin_ms (20);
      }
    g_assert_true (seen);
  }
  umockdev_testbed_uevent (tb, syspath, "remove");
  umockdev_testbed_remove_device (tb, syspath);
  took = wait_listed (&h, FALSE, NULL);
  g_assert_cmpint (took, >=, 0);
  g_assert_cmpint (took, <, G_USEC_PER_SEC);

  /* plugged back: listed again, same serial (so the same calibration) */
  g_free (syspath);
  g_clear_pointer (&id, g_free);
  syspath = umockdev_testbed_add_device (tb, "input", "event7", NULL, "name", "Rekam test pad", NULL,
                                         "DEVNAME", "/dev/input/event7", "ID_INPUT", "1",
                                         "ID_INPUT_TABLET", "1", "ID_SERIAL", "PAD-42", NULL);
  umockdev_testbed_uevent (tb, syspath, "add");
  took = wait_listed (&h, TRUE, &id);
  g_assert_cmpint (took, >=, 0);
  g_assert_cmpint (took, <, G_USEC_PER_SEC);
  {
    guint status;
    g_autofree char *path = g_strconcat ("/v1/devices/", id, NULL);
    g_autoptr(JsonNode) info = harness_call (&h, "GET", path, NULL, &status);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (info), "serial"), ==, "PAD-42");
  }
  harness_free (&h);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_strrstr (g_getenv ("LD_PRELOAD") ? g_getenv ("LD_PRELOAD") : "", "umockdev-preload") == NULL)
    {
      g_printerr ("SKIP: run under umockdev-wrapper (LD_PRELOAD of libumockdev-preload)\n");
      return 77;
    }
  g_test_add_func ("/devices/hotplug/pad-plug-unplug", test_pad_plug_unplug);
  return g_test_run ();
}
