/* Shared by the drivers tests: temp dirs, session files, running the
 * main loop until an async call returns. */
#pragma once

#include <math.h>
#include <glib/gstdio.h>
#include "rki-device-private.h"

typedef struct {
  GAsyncResult *result;
} Wait;

static inline void
wait_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  w->result = g_object_ref (result);
}

/* Spins the default context until the callback ran; returns the result
 * (transfer full). Fails the test after @timeout_ms. */
static inline GAsyncResult *
wait_result (Wait *w, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (w->result == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () > end)
        g_error ("async call did not return within %u ms", timeout_ms);
      g_usleep (200);
    }
  return g_steal_pointer (&w->result);
}

static inline void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static inline char *
write_temp_session (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static inline void
open_sync (RkiDevice *device)
{
  Wait w = { 0 };
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  rki_device_open (device, NULL, wait_cb, &w);
  r = wait_result (&w, 5000);
  g_assert_true (rki_device_open_finish (device, r, &error));
  g_assert_no_error (error);
}

/* A gray ridge pattern: concentric rings around (cx, cy), period 9 px,
 * like a fingerprint's whorl (deterministic). */
static inline GBytes *
make_ridges (guint w, guint h)
{
  guint8 *p = g_malloc ((gsize) w * h);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        double dx = (double) x - w / 2.0, dy = ((double) y - h / 2.0) * 1.3;
        double r = sqrt (dx * dx + dy * dy);
        double v = sin (r * 2 * G_PI / 9.0);
        double edge = r > (w * 0.45) ? 0 : 1; /* outside the finger: white */
        p[(gsize) y * w + x] = (guint8) (edge ? 128 + 100 * v : 240);
      }
  return g_bytes_new_take (p, (gsize) w * h);
}
