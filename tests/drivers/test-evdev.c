/* The signature class through libevdev on a real kernel event device: the
 * test creates a pen pad with uinput (libevdev_uinput) and writes strokes
 * into it. Needs /dev/uinput (skips otherwise, e.g. in containers). */
#include <errno.h>
#include <fcntl.h>
#include <libevdev/libevdev-uinput.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "rki-evdev-signature.h"
#include "test-helpers.h"

typedef struct {
  guint  samples, touches;
  double last_x, last_y, last_p;
} PenLog;

static void
on_pen (RkiSignature *pad, double x, double y, double p, gboolean touch, gint64 t, gpointer user_data)
{
  PenLog *log = user_data;
  log->samples++;
  log->touches += touch;
  log->last_x = x;
  log->last_y = y;
  log->last_p = p;
}

static struct libevdev_uinput *
make_pad (void)
{
  struct libevdev *dev = libevdev_new ();
  struct input_absinfo ax = { .maximum = 10000, .resolution = 40 };
  struct input_absinfo ay = { .maximum = 6000, .resolution = 40 };
  struct input_absinfo ap = { .maximum = 1023 };
  struct libevdev_uinput *ui = NULL;
  int rc;

  libevdev_set_name (dev, "Rekam test signature pad");
  libevdev_enable_event_code (dev, EV_ABS, ABS_X, &ax);
  libevdev_enable_event_code (dev, EV_ABS, ABS_Y, &ay);
  libevdev_enable_event_code (dev, EV_ABS, ABS_PRESSURE, &ap);
  libevdev_enable_event_code (dev, EV_KEY, BTN_TOUCH, NULL);
  libevdev_enable_event_code (dev, EV_KEY, BTN_TOOL_PEN, NULL);
  rc = libevdev_uinput_create_from_device (dev, LIBEVDEV_UINPUT_OPEN_MANAGED, &ui);
  libevdev_free (dev);
  g_assert_cmpint (rc, ==, 0);
  return ui;
}

static void
pen (struct libevdev_uinput *ui, int x, int y, int p, int touch)
{
  libevdev_uinput_write_event (ui, EV_ABS, ABS_X, x);
  libevdev_uinput_write_event (ui, EV_ABS, ABS_Y, y);
  libevdev_uinput_write_event (ui, EV_ABS, ABS_PRESSURE, p);
  libevdev_uinput_write_event (ui, EV_KEY, BTN_TOUCH, touch);
  libevdev_uinput_write_event (ui, EV_SYN, SYN_REPORT, 0);
}

static void
test_stroke_and_unplug (void)
{
  struct libevdev_uinput *ui = make_pad ();
  const char *node = libevdev_uinput_get_devnode (ui);
  g_autoptr(RkiDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  PenLog log = { 0 };

  g_assert_nonnull (node);
  spin_ms (200); /* udev settles the node */
  g_assert_true (rki_evdev_is_pen_pad (node));
  device = rki_evdev_signature_new (node, "pad0");
  open_sync (device);
  g_assert_cmpstr (rki_device_get_label (device), ==, "Rekam test signature pad");
  g_signal_connect (device, "pen", G_CALLBACK (on_pen), &log);
  g_assert_true (rki_signature_start_stream (RKI_SIGNATURE (device), &error));
  for (int i = 0; i <= 100; i++)
    pen (ui, 2500 + i * 50, 3000, 512, 1);
  pen (ui, 7500, 3000, 0, 0);
  spin_ms (200);
  g_assert_cmpuint (log.samples, ==, 102);
  g_assert_cmpuint (log.touches, ==, 101);
  g_assert_cmpfloat (fabs (log.last_x - 0.75), <, 0.001);
  g_assert_cmpfloat (fabs (log.last_y - 0.5), <, 0.001);

  /* unplug: the pad goes away under the stream */
  libevdev_uinput_destroy (ui);
  spin_ms (300);
  g_assert_cmpint (rki_device_get_state (device), ==, RKI_DEVICE_STATE_REMOVED);
}

int
main (int argc, char **argv)
{
  int fd;

  g_test_init (&argc, &argv, NULL);
  fd = open ("/dev/uinput", O_RDWR | O_CLOEXEC);
  if (fd < 0)
    {
      g_printerr ("SKIP: /dev/uinput unavailable (%s): cannot create a test pen pad here\n",
                  g_strerror (errno));
      return 77;
    }
  close (fd);
  g_test_add_func ("/drivers/evdev/stroke-and-unplug", test_stroke_and_unplug);
  return g_test_run ();
}
