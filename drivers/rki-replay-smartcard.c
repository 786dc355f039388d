/* rki-replay-smartcard.c: a reader played from a session file: card
 * records insert and pull the card at their times; apdu records are the
 * card's answers (after their delay), 6D00 for any other command. */
#include "rki-smartcard.h"
#include "rki-replay.h"

#define RKI_TYPE_REPLAY_SMARTCARD (rki_replay_smartcard_get_type ())
G_DECLARE_FINAL_TYPE (RkiReplaySmartcard, rki_replay_smartcard, RKI, REPLAY_SMARTCARD, RkiSmartcard)

struct _RkiReplaySmartcard {
  RkiSmartcard parent;
  RkiReplay   *replay;
  guint        answer_id;  /* pending response timer */
  GBytes      *answer;
  gulong       cancel_id;
};

G_DEFINE_TYPE (RkiReplaySmartcard, rki_replay_smartcard, RKI_TYPE_SMARTCARD)

static void
finish_exchange (RkiReplaySmartcard *self, GBytes *response, GError *error)
{
  g_clear_handle_id (&self->answer_id, g_source_remove);
  g_clear_pointer (&self->answer, g_bytes_unref);
  if (self->cancel_id != 0)
    g_signal_handler_disconnect (rki_device_get_task_cancellable (RKI_DEVICE (self)), self->cancel_id);
  self->cancel_id = 0;
  rki_smartcard_transmit_complete (RKI_SMARTCARD (self), response, error);
}

static void
play_card (const RkiRecord *record, gpointer user_data)
{
  RkiReplaySmartcard *self = user_data;

  if (record->kind == RKI_RECORD_CARD_INSERT)
    rki_smartcard_set_card (RKI_SMARTCARD (self), TRUE, record->bytes);
  else if (record->kind == RKI_RECORD_CARD_REMOVE)
    {
      rki_smartcard_set_card (RKI_SMARTCARD (self), FALSE, NULL);
      if (self->answer_id != 0)
        finish_exchange (self, NULL, g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NO_MEDIA,
                                                  "card removed from reader %s during the exchange",
                                                  rki_device_get_id (RKI_DEVICE (self))));
    }
}

static gboolean
answer_cb (gpointer user_data)
{
  RkiReplaySmartcard *self = user_data;
  GBytes *answer = g_steal_pointer (&self->answer);

  self->answer_id = 0;
  finish_exchange (self, answer, NULL);
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  RkiReplaySmartcard *self = user_data;

  /* Emitted on the main loop here: the daemon cancels from it. */
  if (self->answer_id != 0)
    finish_exchange (self, NULL, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));
}

static void
replay_transmit (RkiSmartcard *card, GBytes *apdu)
{
  RkiReplaySmartcard *self = RKI_REPLAY_SMARTCARD (card);
  RkiSession *session = rki_replay_get_session (self->replay);
  static const guint8 not_supported[] = { 0x6D, 0x00 };
  guint delay = 0;

  self->answer = g_bytes_new_static (not_supported, sizeof not_supported);
  for (guint i = 0; i < rki_session_get_n_records (session); i++)
    {
      const RkiRecord *r = rki_session_get_record (session, i);
      if (r->kind == RKI_RECORD_APDU && g_bytes_equal (r->bytes, apdu))
        {
          g_bytes_unref (self->answer);
          self->answer = g_bytes_ref (r->response);
          delay = r->time_ms;
          break;
        }
    }
  self->answer_id = g_timeout_add (delay, answer_cb, self);
  self->cancel_id = g_signal_connect (rki_device_get_task_cancellable (RKI_DEVICE (self)), "cancelled",
                                      G_CALLBACK (cancelled_cb), self);
}

static void
replay_open (RkiDevice *device)
{
  RkiReplaySmartcard *self = RKI_REPLAY_SMARTCARD (device);

  rki_replay_start_timeline (self->replay, play_card, self);
  rki_device_open_complete (device, NULL);
}

static void
replay_close (RkiDevice *device)
{
  RkiReplaySmartcard *self = RKI_REPLAY_SMARTCARD (device);

  rki_replay_stop (self->replay);
  if (self->answer_id != 0)
    finish_exchange (self, NULL, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "closed"));
  rki_smartcard_set_card (RKI_SMARTCARD (self), FALSE, NULL);
}

static void
rki_replay_smartcard_finalize (GObject *object)
{
  RkiReplaySmartcard *self = RKI_REPLAY_SMARTCARD (object);

  g_clear_handle_id (&self->answer_id, g_source_remove);
  g_clear_pointer (&self->answer, g_bytes_unref);
  g_clear_pointer (&self->replay, rki_replay_free);
  G_OBJECT_CLASS (rki_replay_smartcard_parent_class)->finalize (object);
}

static void
rki_replay_smartcard_class_init (RkiReplaySmartcardClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_replay_smartcard_finalize;
  device_class->driver = "replay";
  device_class->full_name = "Replayed smartcard reader";
  device_class->open = replay_open;
  device_class->close = replay_close;
  RKI_SMARTCARD_CLASS (klass)->transmit = replay_transmit;
}

static void
rki_replay_smartcard_init (RkiReplaySmartcard *self)
{
}

RkiDevice *rki_replay_smartcard_new (RkiSession *session, const char *id);

RkiDevice *
rki_replay_smartcard_new (RkiSession *session, const char *id)
{
  RkiReplaySmartcard *self = g_object_new (RKI_TYPE_REPLAY_SMARTCARD, "id", id, NULL);

  self->replay = rki_replay_new (session, RKI_DEVICE (self));
  return RKI_DEVICE (self);
}
