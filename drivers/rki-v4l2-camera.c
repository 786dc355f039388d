/* rki-v4l2-camera.c: the camera and iris classes on V4L2 (mmap streaming). */
#include "rki-v4l2-camera.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <linux/videodev2.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define N_BUFFERS 4

typedef struct {
  char   *devnode;
  int     fd;
  guint   width, height;
  guint32 fourcc;
  guint   watch_id;
  void   *map[N_BUFFERS];
  gsize   map_len[N_BUFFERS];
  guint   n_buffers;
} V4l2;

/* ioctl, retried on EINTR. */
static int
xioctl (int fd, unsigned long request, void *arg)
{
  int r;
  do
    r = ioctl (fd, request, arg);
  while (r < 0 && errno == EINTR);
  return r;
}

static GError *
v4l2_error (RkiDevice *device, const char *what, int err)
{
  return g_error_new (RKI_DEVICE_ERROR, err == ENODEV ? RKI_DEVICE_ERROR_REMOVED : RKI_DEVICE_ERROR_FAILED,
                      "camera %s: %s: %s", rki_device_get_id (device), what, g_strerror (err));
}

/* Opens the node and picks a format: the first of @prefs the driver
 * accepts at (about) the requested size. */
static GError *
v4l2_open (V4l2 *v, RkiDevice *device, const guint32 *prefs, guint n_prefs)
{
  struct v4l2_capability cap = { 0 };

  v->fd = open (v->devnode, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (v->fd < 0)
    return v4l2_error (device, v->devnode, errno);
  if (xioctl (v->fd, VIDIOC_QUERYCAP, &cap) < 0)
    return v4l2_error (device, "VIDIOC_QUERYCAP", errno);
  if (!(cap.device_caps & V4L2_CAP_VIDEO_CAPTURE) || !(cap.device_caps & V4L2_CAP_STREAMING))
    return g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                        "%s is not a streaming capture device", v->devnode);
  rki_device_set_label (device, (const char *) cap.card);
  rki_device_set_serial (device, (const char *) cap.bus_info);
  {
    g_autofree char *fw = g_strdup_printf ("%u.%u.%u", (cap.version >> 16) & 0xFF, (cap.version >> 8) & 0xFF,
                                           cap.version & 0xFF);
    rki_device_set_firmware (device, fw);
  }
  for (guint i = 0; i < n_prefs; i++)
    {
      struct v4l2_format fmt = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
      fmt.fmt.pix.width = v->width;
      fmt.fmt.pix.height = v->height;
      fmt.fmt.pix.pixelformat = prefs[i];
      fmt.fmt.pix.field = V4L2_FIELD_NONE;
      if (xioctl (v->fd, VIDIOC_S_FMT, &fmt) == 0 && fmt.fmt.pix.pixelformat == prefs[i])
        {
          v->width = fmt.fmt.pix.width;
          v->height = fmt.fmt.pix.height;
          v->fourcc = prefs[i];
          return NULL;
        }
    }
  return g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                      "%s offers none of MJPEG, YUYV or GREY", v->devnode);
}

static void
v4l2_stop (V4l2 *v)
{
  enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  struct v4l2_requestbuffers req = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP };

  g_clear_handle_id (&v->watch_id, g_source_remove);
  if (v->fd >= 0 && v->n_buffers > 0)
    (void) xioctl (v->fd, VIDIOC_STREAMOFF, &type);
  for (guint i = 0; i < v->n_buffers; i++)
    if (v->map[i] != NULL && v->map[i] != MAP_FAILED)
      munmap (v->map[i], v->map_len[i]);
  memset (v->map, 0, sizeof v->map);
  if (v->fd >= 0 && v->n_buffers > 0)
    (void) xioctl (v->fd, VIDIOC_REQBUFS, &req); /* count 0 frees them */
  v->n_buffers = 0;
}

static void
v4l2_close (V4l2 *v)
{
  v4l2_stop (v);
  if (v->fd >= 0)
    close (v->fd);
  v->fd = -1;
}

/* One dequeued buffer -> one frame; requeued at once. */
static gboolean
v4l2_readable (gint fd, GIOCondition condition, gpointer user_data)
{
  RkiCamera *camera = user_data;
  V4l2 *v = g_object_get_data (G_OBJECT (camera), "rki-v4l2");
  struct v4l2_buffer buf = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RkiImage) image = NULL;
  g_autoptr(GError) error = NULL;
  RkiPixelFormat format;

  if (xioctl (fd, VIDIOC_DQBUF, &buf) < 0)
    {
      if (errno == EAGAIN)
        return G_SOURCE_CONTINUE;
      v->watch_id = 0;
      if (errno == ENODEV)
        rki_device_set_removed (RKI_DEVICE (camera));
      return G_SOURCE_REMOVE;
    }
  if (buf.index < v->n_buffers && buf.bytesused <= v->map_len[buf.index] && !(buf.flags & V4L2_BUF_FLAG_ERROR))
    {
      bytes = g_bytes_new (v->map[buf.index], buf.bytesused);
      format = v->fourcc == V4L2_PIX_FMT_MJPEG ? RKI_PIXEL_JPEG
               : v->fourcc == V4L2_PIX_FMT_YUYV ? RKI_PIXEL_YUYV : RKI_PIXEL_GRAY8;
      /* A short or corrupt frame is dropped, not delivered. */
      image = rki_image_new (format, v->width, v->height, 0, bytes, &error);
    }
  if (xioctl (fd, VIDIOC_QBUF, &buf) < 0 && errno == ENODEV)
    {
      v->watch_id = 0;
      rki_device_set_removed (RKI_DEVICE (camera));
      return G_SOURCE_REMOVE;
    }
  if (image != NULL)
    rki_camera_push_frame (camera, image);
  return G_SOURCE_CONTINUE;
}

static gboolean
v4l2_start (V4l2 *v, RkiCamera *camera, GError **error)
{
  struct v4l2_requestbuffers req = { .count = N_BUFFERS, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
                                     .memory = V4L2_MEMORY_MMAP };
  enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  RkiDevice *device = RKI_DEVICE (camera);

  if (xioctl (v->fd, VIDIOC_REQBUFS, &req) < 0 || req.count == 0)
    {
      g_propagate_error (error, v4l2_error (device, "VIDIOC_REQBUFS", errno));
      return FALSE;
    }
  v->n_buffers = MIN (req.count, N_BUFFERS);
  for (guint i = 0; i < v->n_buffers; i++)
    {
      struct v4l2_buffer buf = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP, .index = i };
      if (xioctl (v->fd, VIDIOC_QUERYBUF, &buf) < 0)
        {
          g_propagate_error (error, v4l2_error (device, "VIDIOC_QUERYBUF", errno));
          v4l2_stop (v);
          return FALSE;
        }
      v->map_len[i] = buf.length;
      v->map[i] = mmap (NULL, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, buf.m.offset);
      if (v->map[i] == MAP_FAILED || xioctl (v->fd, VIDIOC_QBUF, &buf) < 0)
        {
          g_propagate_error (error, v4l2_error (device, "mmap/VIDIOC_QBUF", errno));
          v4l2_stop (v);
          return FALSE;
        }
    }
  if (xioctl (v->fd, VIDIOC_STREAMON, &type) < 0)
    {
      g_propagate_error (error, v4l2_error (device, "VIDIOC_STREAMON", errno));
      v4l2_stop (v);
      return FALSE;
    }
  v->watch_id = g_unix_fd_add (v->fd, G_IO_IN | G_IO_ERR, v4l2_readable, camera);
  return TRUE;
}

/* ---- the two GTypes share the helpers above ---- */

static void
common_open (RkiDevice *device, gboolean iris)
{
  static const guint32 camera_prefs[] = { V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_GREY };
  static const guint32 iris_prefs[] = { V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_MJPEG };
  V4l2 *v = g_object_get_data (G_OBJECT (device), "rki-v4l2");
  GError *error = v4l2_open (v, device, iris ? iris_prefs : camera_prefs, 3);

  if (error != NULL)
    v4l2_close (v);
  rki_device_open_complete (device, error);
}

static void
common_close (RkiDevice *device)
{
  v4l2_close (g_object_get_data (G_OBJECT (device), "rki-v4l2"));
}

static gboolean
common_start_stream (RkiCamera *camera, GError **error)
{
  return v4l2_start (g_object_get_data (G_OBJECT (camera), "rki-v4l2"), camera, error);
}

static void
common_stop_stream (RkiCamera *camera)
{
  v4l2_stop (g_object_get_data (G_OBJECT (camera), "rki-v4l2"));
}

static void
v4l2_free (gpointer data)
{
  V4l2 *v = data;
  v4l2_close (v);
  g_free (v->devnode);
  g_free (v);
}

#define RKI_TYPE_V4L2_CAMERA (rki_v4l2_camera_get_type ())
G_DECLARE_FINAL_TYPE (RkiV4l2Camera, rki_v4l2_camera, RKI, V4L2_CAMERA, RkiCamera)
struct _RkiV4l2Camera { RkiCamera parent; };
G_DEFINE_TYPE (RkiV4l2Camera, rki_v4l2_camera, RKI_TYPE_CAMERA)

static void camera_open (RkiDevice *device) { common_open (device, FALSE); }

static void
rki_v4l2_camera_class_init (RkiV4l2CameraClass *klass)
{
  RKI_DEVICE_CLASS (klass)->driver = "v4l2";
  RKI_DEVICE_CLASS (klass)->full_name = "Camera (V4L2)";
  RKI_DEVICE_CLASS (klass)->open = camera_open;
  RKI_DEVICE_CLASS (klass)->close = common_close;
  RKI_CAMERA_CLASS (klass)->start_stream = common_start_stream;
  RKI_CAMERA_CLASS (klass)->stop_stream = common_stop_stream;
}

static void rki_v4l2_camera_init (RkiV4l2Camera *self) {}

#define RKI_TYPE_V4L2_IRIS (rki_v4l2_iris_get_type ())
G_DECLARE_FINAL_TYPE (RkiV4l2Iris, rki_v4l2_iris, RKI, V4L2_IRIS, RkiIris)
struct _RkiV4l2Iris { RkiIris parent; };
G_DEFINE_TYPE (RkiV4l2Iris, rki_v4l2_iris, RKI_TYPE_IRIS)

static void iris_open (RkiDevice *device) { common_open (device, TRUE); }

static void
rki_v4l2_iris_class_init (RkiV4l2IrisClass *klass)
{
  RKI_DEVICE_CLASS (klass)->driver = "v4l2";
  RKI_DEVICE_CLASS (klass)->full_name = "Iris camera (V4L2, near infrared)";
  RKI_DEVICE_CLASS (klass)->open = iris_open;
  RKI_DEVICE_CLASS (klass)->close = common_close;
  RKI_CAMERA_CLASS (klass)->start_stream = common_start_stream;
  RKI_CAMERA_CLASS (klass)->stop_stream = common_stop_stream;
}

static void rki_v4l2_iris_init (RkiV4l2Iris *self) {}

RkiDevice *
rki_v4l2_camera_new (const char *devnode, const char *id, gboolean iris, guint width, guint height)
{
  RkiDevice *device = g_object_new (iris ? RKI_TYPE_V4L2_IRIS : RKI_TYPE_V4L2_CAMERA, "id", id, NULL);
  V4l2 *v = g_new0 (V4l2, 1);

  v->devnode = g_strdup (devnode);
  v->fd = -1;
  v->width = width ? width : 640;
  v->height = height ? height : 480;
  g_object_set_data_full (G_OBJECT (device), "rki-v4l2", v, v4l2_free);
  rki_device_set_label (device, devnode);
  return device;
}
