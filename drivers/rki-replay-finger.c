/* rki-replay-finger.c: the finger class played from a session file. */
#include "rki-finger.h"
#include "rki-replay.h"

#define RKI_TYPE_REPLAY_FINGER (rki_replay_finger_get_type ())
G_DECLARE_FINAL_TYPE (RkiReplayFinger, rki_replay_finger, RKI, REPLAY_FINGER, RkiFinger)

struct _RkiReplayFinger {
  RkiFinger    parent;
  RkiReplay *replay;
};

G_DEFINE_TYPE (RkiReplayFinger, rki_replay_finger, RKI_TYPE_FINGER)

static void
answer_done (RkiDevice *device, RkiImage *image, GError *error)
{
  rki_finger_capture_complete (RKI_FINGER (device), image, error);
}

static void
replay_capture (RkiFinger *base)
{
  RkiReplayFinger *self = RKI_REPLAY_FINGER (base);
  rki_finger_awaiting_finger (base);
  rki_replay_answer (self->replay, answer_done);
}

static void
replay_open (RkiDevice *device)
{
  RkiReplayFinger *self = RKI_REPLAY_FINGER (device);

  rki_replay_start_timeline (self->replay, NULL, NULL);
  rki_device_open_complete (device, NULL);
}

static void
replay_close (RkiDevice *device)
{
  rki_replay_stop (RKI_REPLAY_FINGER (device)->replay);
}

static void
rki_replay_finger_finalize (GObject *object)
{
  g_clear_pointer (&RKI_REPLAY_FINGER (object)->replay, rki_replay_free);
  G_OBJECT_CLASS (rki_replay_finger_parent_class)->finalize (object);
}

static void
rki_replay_finger_class_init (RkiReplayFingerClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_replay_finger_finalize;
  device_class->driver = "replay";
  device_class->full_name = "Replayed fingerprint scanner";
  device_class->open = replay_open;
  device_class->close = replay_close;
  RKI_FINGER_CLASS (klass)->capture = replay_capture;
}

static void
rki_replay_finger_init (RkiReplayFinger *self)
{
}

RkiDevice *rki_replay_finger_new (RkiSession *session, const char *id);

RkiDevice *
rki_replay_finger_new (RkiSession *session, const char *id)
{
  RkiReplayFinger *self = g_object_new (RKI_TYPE_REPLAY_FINGER, "id", id, NULL);

  self->replay = rki_replay_new (session, RKI_DEVICE (self));
  return RKI_DEVICE (self);
}
