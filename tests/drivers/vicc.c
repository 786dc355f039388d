#include "vicc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct _Vicc {
  int      fd;
  GThread *thread;
  gint     pull_ins;   /* -1 none */
  gint     apdus;
  gint     stop;
};

static const guint8 atr[] = { 0x3B, 0x80, 0x80, 0x01, 0x01 }; /* T=1, no historical bytes */

static gboolean
read_all (int fd, guint8 *buf, gsize len)
{
  gsize got = 0;
  while (got < len)
    {
      ssize_t n = recv (fd, buf + got, len - got, 0);
      if (n <= 0)
        {
          if (n < 0 && errno == EINTR)
            continue;
          return FALSE;
        }
      got += (gsize) n;
    }
  return TRUE;
}

static gboolean
send_msg (int fd, const guint8 *data, gsize len)
{
  guint8 hdr[2] = { (guint8) (len >> 8), (guint8) len };
  return send (fd, hdr, 2, MSG_NOSIGNAL) == 2 &&
         send (fd, data, len, MSG_NOSIGNAL) == (ssize_t) len;
}

static gpointer
card_thread (gpointer user_data)
{
  Vicc *self = user_data;
  guint8 buf[65536 + 2];
  guint8 rsp[258];

  while (!g_atomic_int_get (&self->stop))
    {
      guint8 hdr[2];
      gsize len, rlen = 0;

      if (!read_all (self->fd, hdr, 2))
        break;
      len = (gsize) hdr[0] << 8 | hdr[1];
      if (!read_all (self->fd, buf, len))
        break;
      if (len == 1)
        {
          if (buf[0] == 0x04 && !send_msg (self->fd, atr, sizeof atr))
            break;
          continue;
        }
      if (len < 4)
        break;
      g_atomic_int_inc (&self->apdus);
      if (buf[1] == g_atomic_int_get (&self->pull_ins))
        {
          shutdown (self->fd, SHUT_RDWR); /* pulled mid-exchange */
          break;
        }
      switch (buf[1])
        {
        case 0xA4:
          rsp[rlen++] = 0x90;
          rsp[rlen++] = 0x00;
          break;
        case 0xB0:
          {
            guint le = len >= 5 ? buf[4] : 0;
            for (guint i = 0; i < le; i++)
              rsp[rlen++] = (guint8) i;
            rsp[rlen++] = 0x90;
            rsp[rlen++] = 0x00;
            break;
          }
        case 0x84:
          for (guint i = 0; i < 8; i++)
            rsp[rlen++] = (guint8) g_random_int ();
          rsp[rlen++] = 0x90;
          rsp[rlen++] = 0x00;
          break;
        default:
          rsp[rlen++] = 0x6D;
          rsp[rlen++] = 0x00;
        }
      if (!send_msg (self->fd, rsp, rlen))
        break;
    }
  return NULL;
}

Vicc *
vicc_start (guint16 port)
{
  struct sockaddr_in addr = { 0 };
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  Vicc *self;
  int fd = -1;

  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  while (g_get_monotonic_time () < end)
    {
      fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd >= 0 && connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0)
        break;
      if (fd >= 0)
        close (fd);
      fd = -1;
      g_usleep (50000);
    }
  if (fd < 0)
    return NULL;
  self = g_new0 (Vicc, 1);
  self->fd = fd;
  self->pull_ins = -1;
  self->thread = g_thread_new ("vicc", card_thread, self);
  return self;
}

void
vicc_pull_on_ins (Vicc *self, guint8 ins)
{
  g_atomic_int_set (&self->pull_ins, ins);
}

guint
vicc_get_apdu_count (Vicc *self)
{
  return (guint) g_atomic_int_get (&self->apdus);
}

void
vicc_stop (Vicc *self)
{
  if (self == NULL)
    return;
  g_atomic_int_set (&self->stop, 1);
  shutdown (self->fd, SHUT_RDWR);
  g_thread_join (self->thread);
  close (self->fd);
  g_free (self);
}
