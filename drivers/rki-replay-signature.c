/* rki-replay-signature.c: a signature pad played from a session file:
 * pen records are raw samples at their times. */
#include "rki-signature.h"
#include "rki-replay.h"

#define RKI_TYPE_REPLAY_SIGNATURE (rki_replay_signature_get_type ())
G_DECLARE_FINAL_TYPE (RkiReplaySignature, rki_replay_signature, RKI, REPLAY_SIGNATURE, RkiSignature)

struct _RkiReplaySignature {
  RkiSignature parent;
  RkiReplay   *replay;
};

G_DEFINE_TYPE (RkiReplaySignature, rki_replay_signature, RKI_TYPE_SIGNATURE)

static void
play_pen (const RkiRecord *record, gpointer user_data)
{
  if (record->kind == RKI_RECORD_PEN)
    rki_signature_push_raw (RKI_SIGNATURE (user_data), record->x, record->y, record->pressure,
                            record->touch);
}

static gboolean
replay_start_stream (RkiSignature *pad, GError **error)
{
  rki_replay_start_stream (RKI_REPLAY_SIGNATURE (pad)->replay, play_pen, pad);
  return TRUE;
}

static void
replay_stop_stream (RkiSignature *pad)
{
  rki_replay_stop_stream (RKI_REPLAY_SIGNATURE (pad)->replay);
}

static void
replay_open (RkiDevice *device)
{
  RkiReplaySignature *self = RKI_REPLAY_SIGNATURE (device);
  int x = 10000, y = 10000, p = 1023;

  (void) rki_session_get_ranges (rki_replay_get_session (self->replay), &x, &y, &p);
  rki_signature_set_ranges (RKI_SIGNATURE (self), x, y, p);
  rki_replay_start_timeline (self->replay, NULL, NULL);
  rki_device_open_complete (device, NULL);
}

static void
replay_close (RkiDevice *device)
{
  rki_replay_stop (RKI_REPLAY_SIGNATURE (device)->replay);
}

static void
replay_test (RkiDevice *device)
{
  RkiSession *session = rki_replay_get_session (RKI_REPLAY_SIGNATURE (device)->replay);
  GVariantBuilder b;
  guint pens = 0;
  int x, y, p;

  for (guint i = 0; i < rki_session_get_n_records (session); i++)
    pens += rki_session_get_record (session, i)->kind == RKI_RECORD_PEN;
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sbs)"));
  rki_checks_add (&b, "axis-ranges", rki_session_get_ranges (session, &x, &y, &p),
                  "ranges line in the session");
  rki_checks_add (&b, "pen-samples", pens > 0, "%u samples", pens);
  rki_device_test_complete (device, g_variant_builder_end (&b), NULL);
}

static void
rki_replay_signature_finalize (GObject *object)
{
  g_clear_pointer (&RKI_REPLAY_SIGNATURE (object)->replay, rki_replay_free);
  G_OBJECT_CLASS (rki_replay_signature_parent_class)->finalize (object);
}

static void
rki_replay_signature_class_init (RkiReplaySignatureClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_replay_signature_finalize;
  device_class->driver = "replay";
  device_class->full_name = "Replayed signature pad";
  device_class->open = replay_open;
  device_class->close = replay_close;
  device_class->test = replay_test;
  RKI_SIGNATURE_CLASS (klass)->start_stream = replay_start_stream;
  RKI_SIGNATURE_CLASS (klass)->stop_stream = replay_stop_stream;
}

static void
rki_replay_signature_init (RkiReplaySignature *self)
{
}

RkiDevice *rki_replay_signature_new (RkiSession *session, const char *id);

RkiDevice *
rki_replay_signature_new (RkiSession *session, const char *id)
{
  RkiReplaySignature *self = g_object_new (RKI_TYPE_REPLAY_SIGNATURE, "id", id, NULL);

  self->replay = rki_replay_new (session, RKI_DEVICE (self));
  return RKI_DEVICE (self);
}
