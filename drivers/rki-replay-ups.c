/* rki-replay-ups.c: a UPS played from a session file: ups records set
 * the line state at their times (on line, 100 %, until the first). */
#include "rki-ups.h"
#include "rki-replay.h"

#define RKI_TYPE_REPLAY_UPS (rki_replay_ups_get_type ())
G_DECLARE_FINAL_TYPE (RkiReplayUps, rki_replay_ups, RKI, REPLAY_UPS, RkiUps)

struct _RkiReplayUps {
  RkiUps       parent;
  RkiReplay   *replay;
  GMutex       lock;    /* current is read from the worker thread */
  RkiUpsStatus current;
};

G_DEFINE_TYPE (RkiReplayUps, rki_replay_ups, RKI_TYPE_UPS)

static void
play_ups (const RkiRecord *record, gpointer user_data)
{
  RkiReplayUps *self = user_data;

  if (record->kind != RKI_RECORD_UPS)
    return;
  g_mutex_lock (&self->lock);
  rki_ups_status_parse (&self->current, record->text);
  self->current.charge = record->charge;
  self->current.runtime = record->runtime;
  g_mutex_unlock (&self->lock);
}

static gboolean
replay_read_status (RkiUps *ups, RkiUpsStatus *ret_status, GCancellable *cancellable, GError **error)
{
  RkiReplayUps *self = RKI_REPLAY_UPS (ups);

  g_mutex_lock (&self->lock);
  *ret_status = self->current;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
replay_open (RkiDevice *device)
{
  RkiReplayUps *self = RKI_REPLAY_UPS (device);

  g_mutex_lock (&self->lock);
  rki_ups_status_parse (&self->current, "OL");
  self->current.charge = 100;
  self->current.runtime = -1;
  g_mutex_unlock (&self->lock);
  rki_replay_start_timeline (self->replay, play_ups, self);
  rki_device_open_complete (device, NULL);
}

static void
replay_close (RkiDevice *device)
{
  rki_replay_stop (RKI_REPLAY_UPS (device)->replay);
}

static void
replay_test (RkiDevice *device)
{
  RkiReplayUps *self = RKI_REPLAY_UPS (device);
  GVariantBuilder b;
  RkiUpsStatus st;

  g_mutex_lock (&self->lock);
  st = self->current;
  g_mutex_unlock (&self->lock);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sbs)"));
  rki_checks_add (&b, "status", st.online || st.on_battery, "status '%s'", st.status);
  rki_checks_add (&b, "battery", !st.low_battery, "charge %d %%, runtime %d s", st.charge, st.runtime);
  rki_device_test_complete (device, g_variant_builder_end (&b), NULL);
}

static void
rki_replay_ups_finalize (GObject *object)
{
  RkiReplayUps *self = RKI_REPLAY_UPS (object);

  g_clear_pointer (&self->replay, rki_replay_free);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rki_replay_ups_parent_class)->finalize (object);
}

static void
rki_replay_ups_class_init (RkiReplayUpsClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_replay_ups_finalize;
  device_class->driver = "replay";
  device_class->full_name = "Replayed UPS";
  device_class->open = replay_open;
  device_class->close = replay_close;
  device_class->test = replay_test;
  RKI_UPS_CLASS (klass)->read_status = replay_read_status;
}

static void
rki_replay_ups_init (RkiReplayUps *self)
{
  g_mutex_init (&self->lock);
}

RkiDevice *rki_replay_ups_new (RkiSession *session, const char *id);

RkiDevice *
rki_replay_ups_new (RkiSession *session, const char *id)
{
  RkiReplayUps *self = g_object_new (RKI_TYPE_REPLAY_UPS, "id", id, NULL);

  self->replay = rki_replay_new (session, RKI_DEVICE (self));
  return RKI_DEVICE (self);
}
