/* rki-pcsc-reader.c: the smartcard class on PC/SC Lite. */
#include "rki-pcsc-reader.h"

#include <string.h>
#include <winscard.h>

#define MONITOR_POLL_MS 500

#define RKI_TYPE_PCSC_READER (rki_pcsc_reader_get_type ())
G_DECLARE_FINAL_TYPE (RkiPcscReader, rki_pcsc_reader, RKI, PCSC_READER, RkiSmartcard)

struct _RkiPcscReader {
  RkiSmartcard  parent;
  char         *reader;        /* PC/SC reader name */
  /* monitor thread */
  GThread      *monitor;
  SCARDCONTEXT  monitor_ctx;
  gint          monitor_stop;  /* atomic */
  /* exchanges: only ever touched by the one transmit thread in flight */
  SCARDCONTEXT  io_ctx;
  SCARDHANDLE   card;
  DWORD         protocol;
};

G_DEFINE_TYPE (RkiPcscReader, rki_pcsc_reader, RKI_TYPE_SMARTCARD)

GStrv
rki_pcsc_list_readers (GError **error)
{
  SCARDCONTEXT ctx;
  DWORD len = 0;
  LONG rv;
  g_autofree char *buf = NULL;
  GPtrArray *names;

  rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
  if (rv != SCARD_S_SUCCESS)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_FAILED,
                   "cannot reach pcscd: %s", pcsc_stringify_error (rv));
      return NULL;
    }
  names = g_ptr_array_new ();
  rv = SCardListReaders (ctx, NULL, NULL, &len);
  if (rv == SCARD_S_SUCCESS && len > 0 && len < 65536)
    {
      buf = g_malloc0 (len + 1);
      rv = SCardListReaders (ctx, NULL, buf, &len);
      /* a multi-string: names separated by NUL, ended by an empty one */
      for (const char *p = buf; rv == SCARD_S_SUCCESS && p < buf + len && *p; p += strlen (p) + 1)
        g_ptr_array_add (names, g_strdup (p));
    }
  SCardReleaseContext (ctx);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

/* ---- monitor thread -> main loop ---- */

typedef struct {
  RkiPcscReader *self;  /* ref held */
  gboolean       present;
  gboolean       gone;
  GBytes        *atr;
} CardEvent;

static gboolean
card_event_idle (gpointer user_data)
{
  CardEvent *ev = user_data;
  RkiDevice *device = RKI_DEVICE (ev->self);
  RkiDeviceState state = rki_device_get_state (device);

  if (state == RKI_DEVICE_STATE_IDLE || state == RKI_DEVICE_STATE_BUSY)
    {
      if (ev->gone)
        rki_device_set_removed (device);
      else
        rki_smartcard_set_card (RKI_SMARTCARD (ev->self), ev->present, ev->atr);
    }
  g_object_unref (ev->self);
  g_clear_pointer (&ev->atr, g_bytes_unref);
  g_free (ev);
  return G_SOURCE_REMOVE;
}

static void
post_event (RkiPcscReader *self, gboolean present, gboolean gone, const guint8 *atr, gsize atr_len)
{
  CardEvent *ev = g_new0 (CardEvent, 1);

  ev->self = g_object_ref (self);
  ev->present = present;
  ev->gone = gone;
  if (present && atr_len > 0)
    ev->atr = g_bytes_new (atr, atr_len);
  g_idle_add (card_event_idle, ev);
}

static gpointer
monitor_thread (gpointer user_data)
{
  RkiPcscReader *self = user_data;
  SCARD_READERSTATE state = { 0 };
  gboolean present = FALSE, first = TRUE;

  state.szReader = self->reader;
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  while (!g_atomic_int_get (&self->monitor_stop))
    {
      LONG rv = SCardGetStatusChange (self->monitor_ctx, MONITOR_POLL_MS, &state, 1);

      if (rv == SCARD_E_TIMEOUT)
        continue;
      if (rv == SCARD_E_CANCELLED)
        break;
      if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_NO_READERS_AVAILABLE ||
          (rv == SCARD_S_SUCCESS && (state.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE))))
        {
          post_event (self, FALSE, TRUE, NULL, 0);
          break;
        }
      if (rv != SCARD_S_SUCCESS)
        {
          /* pcscd went away: the reader with it */
          post_event (self, FALSE, TRUE, NULL, 0);
          break;
        }
      state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
      {
        gboolean now = (state.dwEventState & SCARD_STATE_PRESENT) != 0 &&
                       (state.dwEventState & SCARD_STATE_MUTE) == 0;
        if (now != present || first)
          {
            present = now;
            first = FALSE;
            post_event (self, present, FALSE, state.rgbAtr, MIN (state.cbAtr, sizeof state.rgbAtr));
          }
      }
    }
  g_object_unref (self);
  return NULL;
}

static void
stop_monitor (RkiPcscReader *self)
{
  if (self->monitor == NULL)
    return;
  g_atomic_int_set (&self->monitor_stop, 1);
  SCardCancel (self->monitor_ctx);
  g_thread_join (g_steal_pointer (&self->monitor));
  SCardReleaseContext (self->monitor_ctx);
  self->monitor_ctx = 0;
}

static void
pcsc_open (RkiDevice *device)
{
  RkiPcscReader *self = RKI_PCSC_READER (device);
  LONG rv;

  rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &self->monitor_ctx);
  if (rv == SCARD_S_SUCCESS)
    rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &self->io_ctx);
  if (rv != SCARD_S_SUCCESS)
    {
      if (self->monitor_ctx)
        SCardReleaseContext (self->monitor_ctx);
      self->monitor_ctx = 0;
      rki_device_open_complete (device, g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_FAILED,
                                                     "reader %s: cannot reach pcscd: %s",
                                                     rki_device_get_id (device), pcsc_stringify_error (rv)));
      return;
    }
  g_atomic_int_set (&self->monitor_stop, 0);
  self->monitor = g_thread_new ("rki-pcsc-monitor", monitor_thread, g_object_ref (self));
  rki_device_open_complete (device, NULL);
}

static void
disconnect_card (RkiPcscReader *self)
{
  if (self->card != 0)
    SCardDisconnect (self->card, SCARD_LEAVE_CARD);
  self->card = 0;
}

static void
pcsc_close (RkiDevice *device)
{
  RkiPcscReader *self = RKI_PCSC_READER (device);

  stop_monitor (self);
  /* A transmit thread may still run; it holds a reference and the
   * handle is released in finalize. */
  rki_smartcard_set_card (RKI_SMARTCARD (self), FALSE, NULL);
}

/* ---- transmit ---- */

static gboolean
card_still_there (RkiPcscReader *self)
{
  DWORD state = 0, protocol = 0, atr_len = MAX_ATR_SIZE, name_len = 0;
  BYTE atr[MAX_ATR_SIZE];
  LONG rv = SCardStatus (self->card, NULL, &name_len, &state, &protocol, atr, &atr_len);

  return rv == SCARD_S_SUCCESS && (state & SCARD_PRESENT);
}

static void
transmit_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RkiPcscReader *self = RKI_PCSC_READER (source);
  GBytes *apdu = task_data;
  const char *id = rki_device_get_id (RKI_DEVICE (self));
  g_autofree guint8 *rsp = g_malloc (RKI_APDU_MAX);
  DWORD rsp_len = RKI_APDU_MAX;
  const SCARD_IO_REQUEST *pci;
  gsize len = 0;
  const guint8 *cmd = g_bytes_get_data (apdu, &len);
  LONG rv;

  for (int attempt = 0; attempt < 2; attempt++)
    {
      if (self->card == 0)
        {
          rv = SCardConnect (self->io_ctx, self->reader, SCARD_SHARE_SHARED,
                             SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &self->card, &self->protocol);
          if (rv != SCARD_S_SUCCESS)
            {
              self->card = 0;
              g_task_return_new_error (task, RKI_DEVICE_ERROR,
                                       rv == SCARD_E_NO_SMARTCARD || rv == SCARD_W_REMOVED_CARD
                                         ? RKI_DEVICE_ERROR_NO_MEDIA : RKI_DEVICE_ERROR_FAILED,
                                       "reader %s: cannot connect to the card: %s", id,
                                       pcsc_stringify_error (rv));
              return;
            }
        }
      pci = self->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
      rsp_len = RKI_APDU_MAX;
      rv = SCardTransmit (self->card, pci, cmd, (DWORD) len, NULL, rsp, &rsp_len);
      if (rv == SCARD_S_SUCCESS && rsp_len >= 2)
        {
          g_task_return_pointer (task, g_bytes_new (rsp, rsp_len), (GDestroyNotify) g_bytes_unref);
          return;
        }
      if (rv == SCARD_S_SUCCESS)
        {
          /* No status word: the card stopped answering mid-exchange (vpcd
           * reports a pulled card this way). pcscd notices the removal on
           * its next presence poll, so give it a moment to tell. */
          for (int i = 0; i < 20 && card_still_there (self); i++)
            g_usleep (50000);
          rv = card_still_there (self) ? SCARD_F_COMM_ERROR : SCARD_W_REMOVED_CARD;
          if (rv == SCARD_W_REMOVED_CARD)
            disconnect_card (self);
          break;
        }
      /* A card swapped since the last exchange: reconnect once. */
      if (rv == SCARD_W_RESET_CARD || rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_INVALID_HANDLE)
        {
          gboolean there = rv != SCARD_W_REMOVED_CARD && card_still_there (self);
          disconnect_card (self);
          if (attempt == 0 && (there || rv == SCARD_W_RESET_CARD))
            continue;
        }
      break;
    }
  if (self->card == 0 || !card_still_there (self))
    {
      disconnect_card (self);
      g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NO_MEDIA,
                               "card removed from reader %s during the exchange (%s)", id,
                               pcsc_stringify_error (rv));
      return;
    }
  g_task_return_new_error (task, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_PROTOCOL,
                           "reader %s: exchange failed: %s", id, pcsc_stringify_error (rv));
}

static void
transmit_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  GBytes *rsp = g_task_propagate_pointer (G_TASK (result), &error);

  rki_smartcard_transmit_complete (RKI_SMARTCARD (source), rsp, error);
}

static void
pcsc_transmit (RkiSmartcard *card, GBytes *apdu)
{
  /* PC/SC has no cancellation of a single exchange; the base class's
   * timeout answers the caller if the card never does. */
  g_autoptr(GTask) task = g_task_new (card, NULL, transmit_cb, NULL);

  g_task_set_task_data (task, g_bytes_ref (apdu), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, transmit_thread);
}

const char *
rki_pcsc_reader_get_name (RkiDevice *device)
{
  return RKI_PCSC_READER (device)->reader;
}

static void
rki_pcsc_reader_finalize (GObject *object)
{
  RkiPcscReader *self = RKI_PCSC_READER (object);

  stop_monitor (self);
  disconnect_card (self);
  if (self->io_ctx)
    SCardReleaseContext (self->io_ctx);
  g_free (self->reader);
  G_OBJECT_CLASS (rki_pcsc_reader_parent_class)->finalize (object);
}

static void
rki_pcsc_reader_class_init (RkiPcscReaderClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_pcsc_reader_finalize;
  device_class->driver = "pcsc";
  device_class->full_name = "Smartcard reader (PC/SC)";
  device_class->open = pcsc_open;
  device_class->close = pcsc_close;
  RKI_SMARTCARD_CLASS (klass)->transmit = pcsc_transmit;
}

static void
rki_pcsc_reader_init (RkiPcscReader *self)
{
}

RkiDevice *
rki_pcsc_reader_new (const char *reader_name, const char *id)
{
  RkiPcscReader *self = g_object_new (RKI_TYPE_PCSC_READER, "id", id, NULL);

  self->reader = g_strdup (reader_name);
  rki_device_set_label (RKI_DEVICE (self), reader_name);
  return RKI_DEVICE (self);
}
