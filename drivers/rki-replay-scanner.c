/* rki-replay-scanner.c: the scanner class played from a session file. */
#include "rki-scanner.h"
#include "rki-replay.h"

#define RKI_TYPE_REPLAY_SCANNER (rki_replay_scanner_get_type ())
G_DECLARE_FINAL_TYPE (RkiReplayScanner, rki_replay_scanner, RKI, REPLAY_SCANNER, RkiScanner)

struct _RkiReplayScanner {
  RkiScanner    parent;
  RkiReplay *replay;
};

G_DEFINE_TYPE (RkiReplayScanner, rki_replay_scanner, RKI_TYPE_SCANNER)

static void
answer_done (RkiDevice *device, RkiImage *image, GError *error)
{
  rki_scanner_scan_complete (RKI_SCANNER (device), image, error);
}

static void
replay_scan (RkiScanner *base, guint dpi)
{
  RkiReplayScanner *self = RKI_REPLAY_SCANNER (base);
  rki_replay_answer (self->replay, answer_done);
}

static void
replay_open (RkiDevice *device)
{
  RkiReplayScanner *self = RKI_REPLAY_SCANNER (device);

  rki_replay_start_timeline (self->replay, NULL, NULL);
  rki_device_open_complete (device, NULL);
}

static void
replay_close (RkiDevice *device)
{
  rki_replay_stop (RKI_REPLAY_SCANNER (device)->replay);
}

static void
rki_replay_scanner_finalize (GObject *object)
{
  g_clear_pointer (&RKI_REPLAY_SCANNER (object)->replay, rki_replay_free);
  G_OBJECT_CLASS (rki_replay_scanner_parent_class)->finalize (object);
}

static void
rki_replay_scanner_class_init (RkiReplayScannerClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_replay_scanner_finalize;
  device_class->driver = "replay";
  device_class->full_name = "Replayed document scanner";
  device_class->open = replay_open;
  device_class->close = replay_close;
  RKI_SCANNER_CLASS (klass)->scan = replay_scan;
}

static void
rki_replay_scanner_init (RkiReplayScanner *self)
{
}

RkiDevice *rki_replay_scanner_new (RkiSession *session, const char *id);

RkiDevice *
rki_replay_scanner_new (RkiSession *session, const char *id)
{
  RkiReplayScanner *self = g_object_new (RKI_TYPE_REPLAY_SCANNER, "id", id, NULL);

  self->replay = rki_replay_new (session, RKI_DEVICE (self));
  return RKI_DEVICE (self);
}
