/* rki-evdev-signature.c: the signature class on libevdev. */
#include "rki-evdev-signature.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <libevdev/libevdev.h>
#include <string.h>
#include <unistd.h>

#define RKI_TYPE_EVDEV_SIGNATURE (rki_evdev_signature_get_type ())
G_DECLARE_FINAL_TYPE (RkiEvdevSignature, rki_evdev_signature, RKI, EVDEV_SIGNATURE, RkiSignature)

struct _RkiEvdevSignature {
  RkiSignature     parent;
  char            *devnode;
  int              fd;
  struct libevdev *evdev;
  guint            watch_id;
  int              x, y, pressure;
  gboolean         touch;
};

G_DEFINE_TYPE (RkiEvdevSignature, rki_evdev_signature, RKI_TYPE_SIGNATURE)

static gboolean
is_pen_pad (struct libevdev *evdev)
{
  return libevdev_has_event_code (evdev, EV_ABS, ABS_X) && libevdev_has_event_code (evdev, EV_ABS, ABS_Y) &&
         (libevdev_has_event_code (evdev, EV_KEY, BTN_TOUCH) ||
          libevdev_has_event_code (evdev, EV_KEY, BTN_TOOL_PEN));
}

gboolean
rki_evdev_is_pen_pad (const char *devnode)
{
  struct libevdev *evdev = NULL;
  gboolean ok;
  int fd = open (devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

  if (fd < 0)
    return FALSE;
  ok = libevdev_new_from_fd (fd, &evdev) == 0 && is_pen_pad (evdev);
  libevdev_free (evdev);
  close (fd);
  return ok;
}

static void
close_node (RkiEvdevSignature *self)
{
  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_pointer (&self->evdev, libevdev_free);
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
}

static void
evdev_open (RkiDevice *device)
{
  RkiEvdevSignature *self = RKI_EVDEV_SIGNATURE (device);
  int rc;

  self->fd = open (self->devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (self->fd < 0)
    {
      int e = errno;
      rki_device_open_complete (device, g_error_new (RKI_DEVICE_ERROR,
                                                     e == ENOENT || e == ENODEV ? RKI_DEVICE_ERROR_REMOVED
                                                                                : RKI_DEVICE_ERROR_FAILED,
                                                     "signature pad %s: cannot open %s: %s",
                                                     rki_device_get_id (device), self->devnode, g_strerror (e)));
      return;
    }
  rc = libevdev_new_from_fd (self->fd, &self->evdev);
  if (rc < 0 || !is_pen_pad (self->evdev))
    {
      close_node (self);
      rki_device_open_complete (device, g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                                                     "%s is not a pen pad (needs ABS_X, ABS_Y and BTN_TOUCH "
                                                     "or BTN_TOOL_PEN)", self->devnode));
      return;
    }
  rki_device_set_label (device, libevdev_get_name (self->evdev));
  if (libevdev_get_uniq (self->evdev) != NULL && *libevdev_get_uniq (self->evdev))
    rki_device_set_serial (device, libevdev_get_uniq (self->evdev));
  rki_signature_set_ranges (RKI_SIGNATURE (self), libevdev_get_abs_maximum (self->evdev, ABS_X),
                            libevdev_get_abs_maximum (self->evdev, ABS_Y),
                            libevdev_has_event_code (self->evdev, EV_ABS, ABS_PRESSURE)
                              ? libevdev_get_abs_maximum (self->evdev, ABS_PRESSURE) : 1);
  rki_device_open_complete (device, NULL);
}

static void
evdev_close (RkiDevice *device)
{
  close_node (RKI_EVDEV_SIGNATURE (device));
}

/* Reads every pending event; a sample is reported at each SYN_REPORT.
 * On SYN_DROPPED (the kernel's buffer overflowed: a flood) libevdev
 * resyncs and we continue from the device's current state. */
static gboolean
on_readable (gint fd, GIOCondition condition, gpointer user_data)
{
  RkiEvdevSignature *self = user_data;
  struct input_event ev;
  unsigned flags = LIBEVDEV_READ_FLAG_NORMAL;
  int rc;

  for (;;)
    {
      rc = libevdev_next_event (self->evdev, flags, &ev);
      if (rc == LIBEVDEV_READ_STATUS_SYNC)
        {
          flags = LIBEVDEV_READ_FLAG_SYNC;
          continue;
        }
      if (rc == -EAGAIN && flags == LIBEVDEV_READ_FLAG_SYNC)
        {
          flags = LIBEVDEV_READ_FLAG_NORMAL;
          continue;
        }
      if (rc != LIBEVDEV_READ_STATUS_SUCCESS)
        break;
      if (ev.type == EV_ABS && ev.code == ABS_X)
        self->x = ev.value;
      else if (ev.type == EV_ABS && ev.code == ABS_Y)
        self->y = ev.value;
      else if (ev.type == EV_ABS && ev.code == ABS_PRESSURE)
        self->pressure = ev.value;
      else if (ev.type == EV_KEY && ev.code == BTN_TOUCH)
        self->touch = ev.value != 0;
      else if (ev.type == EV_SYN && ev.code == SYN_REPORT)
        rki_signature_push_raw (RKI_SIGNATURE (self), self->x, self->y, self->pressure, self->touch);
    }
  if (rc == -ENODEV || (condition & (G_IO_HUP | G_IO_ERR)))
    {
      self->watch_id = 0;
      close_node (self);
      rki_device_set_removed (RKI_DEVICE (self));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
evdev_start_stream (RkiSignature *pad, GError **error)
{
  RkiEvdevSignature *self = RKI_EVDEV_SIGNATURE (pad);

  self->watch_id = g_unix_fd_add (self->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, self);
  return TRUE;
}

static void
evdev_stop_stream (RkiSignature *pad)
{
  g_clear_handle_id (&RKI_EVDEV_SIGNATURE (pad)->watch_id, g_source_remove);
}

static void
evdev_test (RkiDevice *device)
{
  RkiEvdevSignature *self = RKI_EVDEV_SIGNATURE (device);
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sbs)"));
  rki_checks_add (&b, "event-node", self->fd >= 0, "%s", self->devnode);
  rki_checks_add (&b, "axes", libevdev_get_abs_maximum (self->evdev, ABS_X) > 0,
                  "x 0..%d, y 0..%d", libevdev_get_abs_maximum (self->evdev, ABS_X),
                  libevdev_get_abs_maximum (self->evdev, ABS_Y));
  rki_checks_add (&b, "pressure", libevdev_has_event_code (self->evdev, EV_ABS, ABS_PRESSURE),
                  "ABS_PRESSURE %s", libevdev_has_event_code (self->evdev, EV_ABS, ABS_PRESSURE)
                                       ? "reported" : "missing: strokes will have no width");
  rki_device_test_complete (device, g_variant_builder_end (&b), NULL);
}

static void
rki_evdev_signature_finalize (GObject *object)
{
  RkiEvdevSignature *self = RKI_EVDEV_SIGNATURE (object);

  close_node (self);
  g_free (self->devnode);
  G_OBJECT_CLASS (rki_evdev_signature_parent_class)->finalize (object);
}

static void
rki_evdev_signature_class_init (RkiEvdevSignatureClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_evdev_signature_finalize;
  device_class->driver = "evdev";
  device_class->full_name = "Signature pad (evdev)";
  device_class->open = evdev_open;
  device_class->close = evdev_close;
  device_class->test = evdev_test;
  RKI_SIGNATURE_CLASS (klass)->start_stream = evdev_start_stream;
  RKI_SIGNATURE_CLASS (klass)->stop_stream = evdev_stop_stream;
}

static void
rki_evdev_signature_init (RkiEvdevSignature *self)
{
  self->fd = -1;
}

RkiDevice *
rki_evdev_signature_new (const char *devnode, const char *id)
{
  RkiEvdevSignature *self = g_object_new (RKI_TYPE_EVDEV_SIGNATURE, "id", id, NULL);

  self->devnode = g_strdup (devnode);
  return RKI_DEVICE (self);
}
