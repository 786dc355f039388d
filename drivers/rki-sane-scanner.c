/* rki-sane-scanner.c: the scanner class on SANE. */
#include "rki-sane-scanner.h"

#include <sane/sane.h>
#include <sane/saneopts.h>
#include <string.h>

#define RKI_TYPE_SANE_SCANNER (rki_sane_scanner_get_type ())
G_DECLARE_FINAL_TYPE (RkiSaneScanner, rki_sane_scanner, RKI, SANE_SCANNER, RkiScanner)

struct _RkiSaneScanner {
  RkiScanner  parent;
  char       *name;
  SANE_Handle handle;  /* touched only under sane_lock */
};

G_DEFINE_TYPE (RkiSaneScanner, rki_sane_scanner, RKI_TYPE_SCANNER)

static GMutex sane_lock;
static gboolean sane_ready;

/* Call with sane_lock held. */
static gboolean
ensure_sane (GError **error)
{
  SANE_Int version = 0;
  SANE_Status st;

  if (sane_ready)
    return TRUE;
  st = sane_init (&version, NULL);
  if (st != SANE_STATUS_GOOD)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_FAILED, "SANE: %s", sane_strstatus (st));
      return FALSE;
    }
  sane_ready = TRUE;
  return TRUE;
}

GStrv
rki_sane_list_devices (GError **error)
{
  const SANE_Device **list = NULL;
  GPtrArray *names;
  SANE_Status st;

  g_mutex_lock (&sane_lock);
  if (!ensure_sane (error))
    {
      g_mutex_unlock (&sane_lock);
      return NULL;
    }
  st = sane_get_devices (&list, SANE_TRUE);
  if (st != SANE_STATUS_GOOD)
    {
      g_mutex_unlock (&sane_lock);
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_FAILED, "SANE: %s", sane_strstatus (st));
      return NULL;
    }
  names = g_ptr_array_new ();
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    g_ptr_array_add (names, g_strdup (list[i]->name));
  g_mutex_unlock (&sane_lock);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

static GError *
sane_error (RkiSaneScanner *self, const char *what, SANE_Status st)
{
  RkiDeviceError code = RKI_DEVICE_ERROR_FAILED;

  if (st == SANE_STATUS_NO_DOCS)
    code = RKI_DEVICE_ERROR_NO_MEDIA;
  else if (st == SANE_STATUS_DEVICE_BUSY)
    code = RKI_DEVICE_ERROR_BUSY;
  else if (st == SANE_STATUS_IO_ERROR)
    code = RKI_DEVICE_ERROR_PROTOCOL;
  else if (st == SANE_STATUS_CANCELLED)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "scan on %s cancelled",
                        rki_device_get_id (RKI_DEVICE (self)));
  return g_error_new (RKI_DEVICE_ERROR, code, "scanner %s: %s: %s", rki_device_get_id (RKI_DEVICE (self)),
                      what, sane_strstatus (st));
}

static void
open_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RkiSaneScanner *self = RKI_SANE_SCANNER (source);
  GError *error = NULL;
  SANE_Status st;

  g_mutex_lock (&sane_lock);
  if (!ensure_sane (&error))
    {
      g_mutex_unlock (&sane_lock);
      g_task_return_error (task, error);
      return;
    }
  st = sane_open (self->name, &self->handle);
  g_mutex_unlock (&sane_lock);
  if (st != SANE_STATUS_GOOD)
    {
      self->handle = NULL;
      g_task_return_error (task, sane_error (self, "open", st));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
open_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  rki_device_open_complete (RKI_DEVICE (source), error);
}

static void
sane_scanner_open (RkiDevice *device)
{
  g_autoptr(GTask) task = g_task_new (device, NULL, open_cb, NULL);
  g_task_run_in_thread (task, open_thread);
}

static void
sane_scanner_close (RkiDevice *device)
{
  RkiSaneScanner *self = RKI_SANE_SCANNER (device);

  /* Waits for a scan thread to leave the lock; sane_cancel() (from the
   * cancellable) makes that quick. */
  g_mutex_lock (&sane_lock);
  if (self->handle != NULL)
    sane_close (self->handle);
  self->handle = NULL;
  g_mutex_unlock (&sane_lock);
}

/* Sets the "resolution" option when the device has one; quietly keeps the
 * device's own when it does not. */
static void
set_resolution (SANE_Handle handle, guint dpi)
{
  for (SANE_Int i = 1;; i++)
    {
      const SANE_Option_Descriptor *opt = sane_get_option_descriptor (handle, i);
      SANE_Int info = 0;

      if (opt == NULL)
        return;
      if (opt->name == NULL || strcmp (opt->name, SANE_NAME_SCAN_RESOLUTION) != 0 ||
          !SANE_OPTION_IS_SETTABLE (opt->cap))
        continue;
      if (opt->type == SANE_TYPE_INT)
        {
          SANE_Int v = (SANE_Int) dpi;
          sane_control_option (handle, i, SANE_ACTION_SET_VALUE, &v, &info);
        }
      else if (opt->type == SANE_TYPE_FIXED)
        {
          SANE_Fixed v = SANE_FIX ((double) dpi);
          sane_control_option (handle, i, SANE_ACTION_SET_VALUE, &v, &info);
        }
      return;
    }
}

static void
on_cancel (GCancellable *cancellable, gpointer user_data)
{
  /* sane_cancel may be called from another thread to stop sane_read. */
  sane_cancel ((SANE_Handle) user_data);
}

static void
scan_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RkiSaneScanner *self = RKI_SANE_SCANNER (source);
  guint dpi = GPOINTER_TO_UINT (task_data);
  SANE_Parameters p;
  SANE_Status st;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  RkiImage *image;
  gsize expect;
  gulong cancel_id = 0;
  guint8 buf[32768];
  guint width, height, channels;

  g_mutex_lock (&sane_lock);
  if (self->handle == NULL)
    {
      g_mutex_unlock (&sane_lock);
      g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_OPEN, "scanner %s is closed",
                               rki_device_get_id (RKI_DEVICE (self)));
      return;
    }
  if (dpi > 0)
    set_resolution (self->handle, dpi);
  st = sane_start (self->handle);
  if (st != SANE_STATUS_GOOD)
    {
      g_mutex_unlock (&sane_lock);
      g_task_return_error (task, sane_error (self, "start", st));
      return;
    }
  st = sane_get_parameters (self->handle, &p);
  if (st != SANE_STATUS_GOOD || p.lines <= 0 || p.bytes_per_line <= 0 || p.pixels_per_line <= 0 ||
      (p.depth != 8 && p.depth != 1) ||
      (p.format != SANE_FRAME_GRAY && p.format != SANE_FRAME_RGB) ||
      (gsize) p.bytes_per_line * (gsize) p.lines > RKI_SANE_MAX_PAGE_BYTES)
    {
      sane_cancel (self->handle);
      g_mutex_unlock (&sane_lock);
      g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                               "scanner %s: page format not supported (frame %d, depth %d, %dx%d); "
                               "use 8-bit gray, colour or lineart with a known length",
                               rki_device_get_id (RKI_DEVICE (self)), (int) p.format, (int) p.depth,
                               (int) p.pixels_per_line, (int) p.lines);
      return;
    }
  expect = (gsize) p.bytes_per_line * (gsize) p.lines;
  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancel), self->handle, NULL);
  for (;;)
    {
      SANE_Int n = 0;
      st = sane_read (self->handle, buf, sizeof buf, &n);
      if (st != SANE_STATUS_GOOD)
        break;
      if (data->len + (gsize) n > expect)
        {
          st = SANE_STATUS_IO_ERROR; /* more than announced: refuse to grow */
          break;
        }
      g_byte_array_append (data, buf, (guint) n);
    }
  if (cancel_id != 0)
    g_cancellable_disconnect (cancellable, cancel_id);
  sane_cancel (self->handle);
  g_mutex_unlock (&sane_lock);
  if (st != SANE_STATUS_EOF)
    {
      g_task_return_error (task, sane_error (self, "read", st));
      return;
    }
  if (data->len != expect)
    {
      g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_PROTOCOL,
                               "scanner %s sent %u of %" G_GSIZE_FORMAT " announced bytes",
                               rki_device_get_id (RKI_DEVICE (self)), data->len, expect);
      return;
    }
  width = (guint) p.pixels_per_line;
  height = (guint) p.lines;
  channels = p.format == SANE_FRAME_RGB ? 3 : 1;
  if (p.depth == 1)
    {
      /* lineart: 1 = black, MSB first; widen to 8-bit gray */
      guint8 *gray = g_malloc ((gsize) width * height);
      for (guint y = 0; y < height; y++)
        for (guint x = 0; x < width; x++)
          gray[(gsize) y * width + x] =
            (data->data[(gsize) y * (gsize) p.bytes_per_line + x / 8] & (0x80 >> (x % 8))) ? 0 : 255;
      bytes = g_bytes_new_take (gray, (gsize) width * height);
      channels = 1;
    }
  else
    {
      /* drop any padding at the end of each line */
      guint8 *packed = g_malloc ((gsize) width * height * channels);
      for (guint y = 0; y < height; y++)
        memcpy (packed + (gsize) y * width * channels, data->data + (gsize) y * (gsize) p.bytes_per_line,
                (gsize) width * channels);
      bytes = g_bytes_new_take (packed, (gsize) width * height * channels);
    }
  image = rki_image_new (channels == 3 ? RKI_PIXEL_RGB24 : RKI_PIXEL_GRAY8, width, height, dpi, bytes, &error);
  if (image == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, image, (GDestroyNotify) rki_image_unref);
}

static void
scan_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  RkiImage *image = g_task_propagate_pointer (G_TASK (result), &error);

  rki_scanner_scan_complete (RKI_SCANNER (source), image, error);
}

static void
sane_scanner_scan (RkiScanner *scanner, guint dpi)
{
  g_autoptr(GTask) task = g_task_new (scanner, rki_device_get_task_cancellable (RKI_DEVICE (scanner)),
                                      scan_cb, NULL);
  g_task_set_task_data (task, GUINT_TO_POINTER (dpi), NULL);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, scan_thread);
}

static void
rki_sane_scanner_finalize (GObject *object)
{
  RkiSaneScanner *self = RKI_SANE_SCANNER (object);

  sane_scanner_close (RKI_DEVICE (self));
  g_free (self->name);
  G_OBJECT_CLASS (rki_sane_scanner_parent_class)->finalize (object);
}

static void
rki_sane_scanner_class_init (RkiSaneScannerClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_sane_scanner_finalize;
  device_class->driver = "sane";
  device_class->full_name = "Document scanner (SANE)";
  device_class->open = sane_scanner_open;
  device_class->close = sane_scanner_close;
  RKI_SCANNER_CLASS (klass)->scan = sane_scanner_scan;
}

static void
rki_sane_scanner_init (RkiSaneScanner *self)
{
}

RkiDevice *
rki_sane_scanner_new (const char *sane_name, const char *id)
{
  RkiSaneScanner *self = g_object_new (RKI_TYPE_SANE_SCANNER, "id", id, NULL);

  self->name = g_strdup (sane_name);
  rki_device_set_label (RKI_DEVICE (self), sane_name);
  return RKI_DEVICE (self);
}
