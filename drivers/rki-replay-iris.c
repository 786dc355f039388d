/* rki-replay-iris.c: the iris class played from a session file: image
 * records become stream frames at their times. */
#include "rki-camera.h"
#include "rki-replay.h"

#define RKI_TYPE_REPLAY_IRIS (rki_replay_iris_get_type ())
G_DECLARE_FINAL_TYPE (RkiReplayIris, rki_replay_iris, RKI, REPLAY_IRIS, RkiIris)

struct _RkiReplayIris {
  RkiIris parent;
  RkiReplay *replay;
};

G_DEFINE_TYPE (RkiReplayIris, rki_replay_iris, RKI_TYPE_IRIS)

static void
play_frame (const RkiRecord *record, gpointer user_data)
{
  rki_camera_push_frame (RKI_CAMERA (user_data), record->image);
}

static gboolean
replay_start_stream (RkiCamera *camera, GError **error)
{
  RkiReplayIris *self = RKI_REPLAY_IRIS (camera);

  rki_replay_start_stream (self->replay, play_frame, self);
  return TRUE;
}

static void
replay_stop_stream (RkiCamera *camera)
{
  rki_replay_stop_stream (RKI_REPLAY_IRIS (camera)->replay);
}

static void
replay_open (RkiDevice *device)
{
  rki_replay_start_timeline (RKI_REPLAY_IRIS (device)->replay, NULL, NULL);
  rki_device_open_complete (device, NULL);
}

static void
replay_close (RkiDevice *device)
{
  rki_replay_stop (RKI_REPLAY_IRIS (device)->replay);
}

static void
rki_replay_iris_finalize (GObject *object)
{
  g_clear_pointer (&RKI_REPLAY_IRIS (object)->replay, rki_replay_free);
  G_OBJECT_CLASS (rki_replay_iris_parent_class)->finalize (object);
}

static void
rki_replay_iris_class_init (RkiReplayIrisClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_replay_iris_finalize;
  device_class->driver = "replay";
  device_class->full_name = "Replayed iris camera";
  device_class->open = replay_open;
  device_class->close = replay_close;
  RKI_CAMERA_CLASS (klass)->start_stream = replay_start_stream;
  RKI_CAMERA_CLASS (klass)->stop_stream = replay_stop_stream;
}

static void
rki_replay_iris_init (RkiReplayIris *self)
{
}

RkiDevice *rki_replay_iris_new (RkiSession *session, const char *id);

RkiDevice *
rki_replay_iris_new (RkiSession *session, const char *id)
{
  RkiReplayIris *self = g_object_new (RKI_TYPE_REPLAY_IRIS, "id", id, NULL);

  self->replay = rki_replay_new (session, RKI_DEVICE (self));
  return RKI_DEVICE (self);
}
