/* rki-replay.h: the player the replay backends share.
 *
 * Each class has its own replay backend (rki-replay-<class>.c), an
 * ordinary driver chosen by config; they all play a session file
 * (rki-session.h) through this helper, which owns the timers.
 */
#pragma once

#include "rki-device-private.h"
#include "rki-session.h"

G_BEGIN_DECLS

typedef struct _RkiReplay RkiReplay;
typedef void (*RkiReplayFunc) (const RkiRecord *record, gpointer user_data);
typedef void (*RkiReplayAnswerFunc) (RkiDevice *device, RkiImage *image, GError *error);

/* Create the replay device for the session at @path: its class comes from
 * the session's `class` line. (transfer full) */
RkiDevice *rki_replay_device_new (const char *path, const char *id, GError **error);

/* Backend side. @device is not referenced (the device owns the player). */
RkiReplay *rki_replay_new            (RkiSession *session, RkiDevice *device); /* takes session */
void       rki_replay_free           (RkiReplay *self);
RkiSession *rki_replay_get_session   (RkiReplay *self);
/* Schedule the session's open-relative records (card, ups, unplug) from
 * now; @func gets card and ups records; unplug is handled here. */
void       rki_replay_start_timeline (RkiReplay *self, RkiReplayFunc func, gpointer user_data);
/* Play image and pen records at their times from now, looping if the
 * session says so. */
void       rki_replay_start_stream   (RkiReplay *self, RkiReplayFunc func, gpointer user_data);
void       rki_replay_stop_stream    (RkiReplay *self);
/* Answer the request in flight with the next image/hang/fail record,
 * after its delay, through @done; honours the task's cancellable. */
void       rki_replay_answer         (RkiReplay *self, RkiReplayAnswerFunc done);
/* Drop every timer (close). */
void       rki_replay_stop           (RkiReplay *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkiReplay, rki_replay_free)

G_END_DECLS
