#include "rki-replay.h"

struct _RkiReplay {
  RkiSession *session;
  RkiDevice  *device;        /* not owned: it owns us */
  GPtrArray  *timeline;      /* GSource*, open-relative records */
  RkiReplayFunc timeline_func;
  gpointer    timeline_data;
  /* stream */
  GSource    *stream_source;
  RkiReplayFunc stream_func;
  gpointer    stream_data;
  gint64      stream_t0;     /* monotonic us of the current pass's start */
  guint       stream_index;
  guint       stream_generation; /* bumped by start/stop */
  /* request/answer */
  guint       answer_index;
  GSource    *answer_source;
  GCancellable *answer_cancellable;
  gulong      answer_handler;
  RkiReplayAnswerFunc answer_done;
  const RkiRecord *answer_record;
};

RkiReplay *
rki_replay_new (RkiSession *session, RkiDevice *device)
{
  RkiReplay *self = g_new0 (RkiReplay, 1);

  self->session = session;
  self->device = device;
  self->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  return self;
}

RkiSession *
rki_replay_get_session (RkiReplay *self)
{
  return self->session;
}

static void
clear_answer (RkiReplay *self)
{
  if (self->answer_source != NULL)
    {
      g_source_destroy (self->answer_source);
      g_clear_pointer (&self->answer_source, g_source_unref);
    }
  if (self->answer_handler != 0)
    g_cancellable_disconnect (self->answer_cancellable, self->answer_handler);
  self->answer_handler = 0;
  g_clear_object (&self->answer_cancellable);
  self->answer_record = NULL;
}

void
rki_replay_stop_stream (RkiReplay *self)
{
  self->stream_generation++;
  if (self->stream_source != NULL)
    {
      g_source_destroy (self->stream_source);
      g_clear_pointer (&self->stream_source, g_source_unref);
    }
}

void
rki_replay_stop (RkiReplay *self)
{
  for (guint i = 0; i < self->timeline->len; i++)
    g_source_destroy (g_ptr_array_index (self->timeline, i));
  g_ptr_array_set_size (self->timeline, 0);
  rki_replay_stop_stream (self);
  clear_answer (self);
}

void
rki_replay_free (RkiReplay *self)
{
  if (self == NULL)
    return;
  rki_replay_stop (self);
  g_ptr_array_unref (self->timeline);
  rki_session_free (self->session);
  g_free (self);
}

typedef struct {
  RkiReplay       *replay;
  const RkiRecord *record;
} TimelineItem;

static gboolean
timeline_fire (gpointer user_data)
{
  TimelineItem *item = user_data;
  RkiReplay *self = item->replay;

  if (item->record->kind == RKI_RECORD_UNPLUG)
    rki_device_set_removed (self->device);
  else if (self->timeline_func != NULL)
    self->timeline_func (item->record, self->timeline_data);
  return G_SOURCE_REMOVE;
}

void
rki_replay_start_timeline (RkiReplay *self, RkiReplayFunc func, gpointer user_data)
{
  self->timeline_func = func;
  self->timeline_data = user_data;
  for (guint i = 0; i < rki_session_get_n_records (self->session); i++)
    {
      const RkiRecord *r = rki_session_get_record (self->session, i);
      TimelineItem *item;
      GSource *source;

      if (r->kind != RKI_RECORD_CARD_INSERT && r->kind != RKI_RECORD_CARD_REMOVE &&
          r->kind != RKI_RECORD_UPS && r->kind != RKI_RECORD_UNPLUG)
        continue;
      item = g_new0 (TimelineItem, 1);
      item->replay = self;
      item->record = r;
      source = g_timeout_source_new (r->time_ms);
      g_source_set_callback (source, timeline_fire, item, g_free);
      g_source_attach (source, NULL);
      g_ptr_array_add (self->timeline, source);
    }
}

static gboolean
is_stream_record (const RkiRecord *r)
{
  return r->kind == RKI_RECORD_IMAGE || r->kind == RKI_RECORD_PEN;
}

static void schedule_stream (RkiReplay *self);

/* Plays every record that is due (a burst of pen samples in the same
 * millisecond must not wait one main-loop turn each), then re-arms. */
static gboolean
stream_fire (gpointer user_data)
{
  RkiReplay *self = user_data;
  guint n = rki_session_get_n_records (self->session);
  gint64 now = g_get_monotonic_time ();
  guint generation = self->stream_generation;

  g_clear_pointer (&self->stream_source, g_source_unref);
  for (guint burst = 0; burst < 100000 && self->stream_index < n; burst++)
    {
      const RkiRecord *r = rki_session_get_record (self->session, self->stream_index);
      if (is_stream_record (r) && self->stream_t0 + (gint64) r->time_ms * 1000 > now)
        break;
      self->stream_index++;
      if (is_stream_record (r))
        {
          self->stream_func (r, self->stream_data);
          if (self->stream_generation != generation)
            return G_SOURCE_REMOVE; /* the callback stopped or restarted the stream */
        }
    }
  schedule_stream (self);
  return G_SOURCE_REMOVE;
}

/* Arms the timer for the next stream record, wrapping around when the
 * session loops; one pass lasts the last record's time plus one frame. */
static void
schedule_stream (RkiReplay *self)
{
  guint n = rki_session_get_n_records (self->session);
  guint last_ms = 0, first_ms = 0;
  gboolean any = FALSE;
  gint64 due, now;

  while (self->stream_index < n &&
         !is_stream_record (rki_session_get_record (self->session, self->stream_index)))
    self->stream_index++;
  if (self->stream_index >= n)
    {
      if (!rki_session_get_loop (self->session))
        return;
      for (guint i = 0; i < n; i++)
        {
          const RkiRecord *r = rki_session_get_record (self->session, i);
          if (!is_stream_record (r))
            continue;
          if (!any)
            first_ms = r->time_ms;
          any = TRUE;
          last_ms = MAX (last_ms, r->time_ms);
        }
      if (!any)
        return;
      self->stream_t0 += (gint64) (last_ms - first_ms + 33) * 1000;
      self->stream_index = 0;
      while (!is_stream_record (rki_session_get_record (self->session, self->stream_index)))
        self->stream_index++;
    }
  due = self->stream_t0 + (gint64) rki_session_get_record (self->session, self->stream_index)->time_ms * 1000;
  now = g_get_monotonic_time ();
  self->stream_source = g_timeout_source_new (due > now ? (guint) ((due - now) / 1000) : 0);
  g_source_set_callback (self->stream_source, stream_fire, self, NULL);
  g_source_attach (self->stream_source, NULL);
}

void
rki_replay_start_stream (RkiReplay *self, RkiReplayFunc func, gpointer user_data)
{
  rki_replay_stop_stream (self);
  self->stream_func = func;
  self->stream_data = user_data;
  self->stream_t0 = g_get_monotonic_time ();
  self->stream_index = 0;
  schedule_stream (self);
}

static gboolean
answer_fire (gpointer user_data)
{
  RkiReplay *self = user_data;
  const RkiRecord *r = self->answer_record;
  RkiReplayAnswerFunc done = self->answer_done;

  clear_answer (self);
  if (r->kind == RKI_RECORD_FAIL)
    done (self->device, NULL, g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_PROTOCOL,
                                           "device %s: %s", rki_device_get_id (self->device), r->text));
  else
    done (self->device, rki_image_ref (r->image), NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
answer_cancelled_idle (gpointer user_data)
{
  RkiReplay *self = user_data;
  RkiReplayAnswerFunc done = self->answer_done;

  clear_answer (self);
  done (self->device, NULL, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));
  return G_SOURCE_REMOVE;
}

static void
answer_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  RkiReplay *self = user_data;

  /* Cancellation may come from another thread: answer on the loop. The
   * pending answer timer is replaced by an idle. */
  if (self->answer_source != NULL)
    g_source_destroy (self->answer_source);
  g_clear_pointer (&self->answer_source, g_source_unref);
  self->answer_source = g_idle_source_new ();
  g_source_set_callback (self->answer_source, answer_cancelled_idle, self, NULL);
  g_source_attach (self->answer_source, NULL);
}

void
rki_replay_answer (RkiReplay *self, RkiReplayAnswerFunc done)
{
  guint n = rki_session_get_n_records (self->session);
  const RkiRecord *r = NULL;

  clear_answer (self);
  for (guint tries = 0; tries < n && r == NULL; tries++)
    {
      const RkiRecord *c;
      if (self->answer_index >= n)
        self->answer_index = 0;
      c = rki_session_get_record (self->session, self->answer_index++);
      if (c->kind == RKI_RECORD_IMAGE || c->kind == RKI_RECORD_HANG || c->kind == RKI_RECORD_FAIL)
        r = c;
    }
  if (r == NULL)
    {
      done (self->device, NULL, g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                                             "replay device %s: its session holds no image",
                                             rki_device_get_id (self->device)));
      return;
    }
  self->answer_done = done;
  self->answer_record = r;
  if (r->kind != RKI_RECORD_HANG)
    {
      self->answer_source = g_timeout_source_new (r->time_ms);
      g_source_set_callback (self->answer_source, answer_fire, self, NULL);
      g_source_attach (self->answer_source, NULL);
    }
  /* A hang only ends by cancellation (close, timeout, caller). */
  self->answer_cancellable = g_object_ref (rki_device_get_task_cancellable (self->device));
  self->answer_handler = g_cancellable_connect (self->answer_cancellable,
                                                G_CALLBACK (answer_cancelled_cb), self, NULL);
}

RkiDevice *rki_replay_finger_new (RkiSession *session, const char *id);
RkiDevice *rki_replay_slap_new (RkiSession *session, const char *id);
RkiDevice *rki_replay_scanner_new (RkiSession *session, const char *id);
RkiDevice *rki_replay_camera_new (RkiSession *session, const char *id);
RkiDevice *rki_replay_iris_new (RkiSession *session, const char *id);
RkiDevice *rki_replay_signature_new (RkiSession *session, const char *id);
RkiDevice *rki_replay_smartcard_new (RkiSession *session, const char *id);
RkiDevice *rki_replay_ups_new (RkiSession *session, const char *id);

RkiDevice *
rki_replay_device_new (const char *path, const char *id, GError **error)
{
  static const struct {
    const char *name;
    RkiDevice *(*create) (RkiSession *session, const char *id);
  } classes[] = {
    { "finger", rki_replay_finger_new },     { "slap", rki_replay_slap_new },
    { "scanner", rki_replay_scanner_new },   { "camera", rki_replay_camera_new },
    { "iris", rki_replay_iris_new },         { "signature", rki_replay_signature_new },
    { "smartcard", rki_replay_smartcard_new }, { "ups", rki_replay_ups_new },
  };
  RkiSession *session = rki_session_load (path, error);
  RkiDevice *device = NULL;

  if (session == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (g_strcmp0 (rki_session_get_class (session), classes[i].name) == 0)
      {
        const char *label = rki_session_get_label (session);
        const char *serial = rki_session_get_serial (session);
        const char *firmware = rki_session_get_firmware (session);
        device = classes[i].create (session, id);
        if (label != NULL)
          rki_device_set_label (device, label);
        if (serial != NULL)
          rki_device_set_serial (device, serial);
        if (firmware != NULL)
          rki_device_set_firmware (device, firmware);
        return device;
      }
  /* rki_session_parse() accepts only the classes above. */
  rki_session_free (session);
  g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA, "no replay backend for %s", path);
  return NULL;
}
