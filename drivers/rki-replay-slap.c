/* rki-replay-slap.c: the slap class played from a session file. */
#include "rki-slap.h"
#include "rki-replay.h"

#define RKI_TYPE_REPLAY_SLAP (rki_replay_slap_get_type ())
G_DECLARE_FINAL_TYPE (RkiReplaySlap, rki_replay_slap, RKI, REPLAY_SLAP, RkiSlap)

struct _RkiReplaySlap {
  RkiSlap    parent;
  RkiReplay *replay;
};

G_DEFINE_TYPE (RkiReplaySlap, rki_replay_slap, RKI_TYPE_SLAP)

static void
answer_done (RkiDevice *device, RkiImage *image, GError *error)
{
  rki_slap_capture_complete (RKI_SLAP (device), image, error);
}

static void
replay_capture (RkiSlap *base, RkiSlapPosition position)
{
  RkiReplaySlap *self = RKI_REPLAY_SLAP (base);
  rki_replay_answer (self->replay, answer_done);
}

static void
replay_open (RkiDevice *device)
{
  RkiReplaySlap *self = RKI_REPLAY_SLAP (device);

  rki_replay_start_timeline (self->replay, NULL, NULL);
  rki_device_open_complete (device, NULL);
}

static void
replay_close (RkiDevice *device)
{
  rki_replay_stop (RKI_REPLAY_SLAP (device)->replay);
}

static void
rki_replay_slap_finalize (GObject *object)
{
  g_clear_pointer (&RKI_REPLAY_SLAP (object)->replay, rki_replay_free);
  G_OBJECT_CLASS (rki_replay_slap_parent_class)->finalize (object);
}

static void
rki_replay_slap_class_init (RkiReplaySlapClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_replay_slap_finalize;
  device_class->driver = "replay";
  device_class->full_name = "Replayed 4-4-2 slap scanner";
  device_class->open = replay_open;
  device_class->close = replay_close;
  RKI_SLAP_CLASS (klass)->capture = replay_capture;
}

static void
rki_replay_slap_init (RkiReplaySlap *self)
{
}

RkiDevice *rki_replay_slap_new (RkiSession *session, const char *id);

RkiDevice *
rki_replay_slap_new (RkiSession *session, const char *id)
{
  RkiReplaySlap *self = g_object_new (RKI_TYPE_REPLAY_SLAP, "id", id, NULL);

  self->replay = rki_replay_new (session, RKI_DEVICE (self));
  return RKI_DEVICE (self);
}
