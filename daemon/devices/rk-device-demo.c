#include "rk-device-demo.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "rki-error.h"

/* A whorl: rings around the centre, period 9 px (about 500 ppi ridges). */
static void
draw_print (guint8 *p, guint w, guint h, guint stride, double cx, double cy, double radius)
{
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        double dx = x - cx, dy = (y - cy) * 0.8;
        double r = sqrt (dx * dx + dy * dy);
        if (r < radius)
          p[(gsize) y * stride + x] = (guint8) (128 + 100 * sin (r * 2 * G_PI / 9.0 + atan2 (dy, dx)));
      }
}

static char *
gray_record (guint ms, guint8 *px, guint w, guint h, guint ppi)
{
  g_autofree char *b64 = g_base64_encode (px, (gsize) w * h);
  return g_strdup_printf ("%u image gray8 %u %u %u base64:%s\n", ms, w, h, ppi, b64);
}

static char *
finger_session (void)
{
  g_autofree guint8 *px = g_malloc ((gsize) 256 * 320);
  g_autofree guint8 *blank = g_malloc ((gsize) 256 * 320);
  g_autofree char *r1 = NULL, *r2 = NULL;

  memset (px, 240, (gsize) 256 * 320);
  memset (blank, 238, (gsize) 256 * 320);
  draw_print (px, 256, 320, 256, 128, 160, 110);
  r1 = gray_record (800, px, 256, 320, 500);
  r2 = gray_record (300, blank, 256, 320, 500);
  return g_strconcat ("rekam-session 1\nclass finger\nlabel Demo fingerprint scanner\n"
                      "serial DEMO-FP-0001\nfirmware replay\n", r1, r2, NULL);
}

static char *
slap_session (void)
{
  const guint w = 800, h = 750;
  g_autofree guint8 *px = g_malloc ((gsize) w * h);
  g_autofree char *r1 = NULL;

  memset (px, 240, (gsize) w * h);
  for (guint f = 0; f < 4; f++)
    draw_print (px, w, h, w, 110 + f * 190.0, 330 + (f == 0 || f == 3 ? 60 : 0), 80);
  r1 = gray_record (1200, px, w, h, 500);
  return g_strconcat ("rekam-session 1\nclass slap\nlabel Demo 4-4-2 slap scanner\n"
                      "serial DEMO-SLAP-0001\nfirmware replay\n", r1, NULL);
}

/* A face-coloured ellipse on a blue backdrop, moving a little per frame. */
static char *
camera_session (void)
{
  const guint w = 160, h = 120;
  GString *s = g_string_new ("rekam-session 1\nclass camera\nlabel Demo webcam\nserial DEMO-CAM-0001\n"
                             "firmware replay\nloop yes\n");
  for (guint f = 0; f < 10; f++)
    {
      g_autofree guint8 *px = g_malloc ((gsize) w * h * 3);
      g_autofree char *b64 = NULL;
      for (guint y = 0; y < h; y++)
        for (guint x = 0; x < w; x++)
          {
            double dx = (x - (80.0 + f)) / 28.0, dy = (y - 62.0) / 38.0;
            guint8 *q = px + ((gsize) y * w + x) * 3;
            gboolean face = dx * dx + dy * dy < 1;
            q[0] = face ? 205 : 40;
            q[1] = face ? 160 : 90;
            q[2] = face ? 130 : 200;
          }
      b64 = g_base64_encode (px, (gsize) w * h * 3);
      g_string_append_printf (s, "%u image rgb24 %u %u 0 base64:%s\n", f * 100, w, h, b64);
    }
  return g_string_free (s, FALSE);
}

static char *
iris_session (void)
{
  const guint w = 320, h = 240;
  g_autofree guint8 *px = g_malloc ((gsize) w * h);
  g_autofree char *rec = NULL;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        double dx = x - 160.0, dy = y - 120.0, r = sqrt (dx * dx + dy * dy);
        double v = r < 30 ? 20 : r < 90 ? 90 + 40 * sin (atan2 (dy, dx) * 24) * sin (r / 3) : 170;
        px[(gsize) y * w + x] = (guint8) v;
      }
  rec = gray_record (0, px, w, h, 0);
  return g_strconcat ("rekam-session 1\nclass iris\nlabel Demo iris camera\nserial DEMO-IRIS-0001\n"
                      "firmware replay\nloop yes\n", rec, NULL);
}

/* A looping signature: two loops and a stroke, 100 samples per second. */
static char *
signature_session (void)
{
  GString *s = g_string_new ("rekam-session 1\nclass signature\nlabel Demo signature pad\n"
                             "serial DEMO-PAD-0001\nfirmware replay\nranges 10000 6000 1023\nloop yes\n");
  static const int corners[4][2] = { { 600, 500 }, { 9400, 500 }, { 9400, 5500 }, { 600, 5500 } };
  guint t = 0;

  /* first the four corner taps `device calibrate` asks for */
  for (guint c = 0; c < 4; c++, t += 100)
    g_string_append_printf (s, "%u pen %d %d 400 1\n%u pen %d %d 0 0\n", t, corners[c][0], corners[c][1],
                            t + 50, corners[c][0], corners[c][1]);
  for (guint i = 0; i < 200; i++, t += 10)
    {
      double a = i / 200.0 * 4 * G_PI;
      int x = (int) (2000 + i * 30 + 600 * cos (a));
      int y = (int) (3000 + 900 * sin (a));
      g_string_append_printf (s, "%u pen %d %d %d 1\n", t, x, y, 300 + (int) (200 * sin (a * 0.5)));
    }
  g_string_append_printf (s, "%u pen 8000 3000 0 0\n", t);
  return g_string_free (s, FALSE);
}

static char *
smartcard_session (void)
{
  return g_strdup ("rekam-session 1\nclass smartcard\nlabel Demo card reader\nserial DEMO-SC-0001\n"
                   "firmware replay\n"
                   "500 card-insert 3B80800101\n"
                   "20 apdu 00A40000023F00 9000\n"
                   "20 apdu 00A4040009A00000030800001000 9000\n"
                   "40 apdu 0084000008 01020304050607089000\n");
}

static char *
scanner_session (void)
{
  const guint w = 425, h = 550; /* A4 at 50 dpi */
  g_autofree guint8 *px = g_malloc ((gsize) w * h);
  g_autofree char *rec = NULL;

  memset (px, 245, (gsize) w * h);
  for (guint line = 0; line < 30; line++)
    for (guint y = 60 + line * 15; y < 66 + line * 15 && y < h; y++)
      for (guint x = 40; x < 40 + (line * 37) % 300 + 60; x++)
        px[(gsize) y * w + x] = 30;
  rec = gray_record (1500, px, w, h, 50);
  return g_strconcat ("rekam-session 1\nclass scanner\nlabel Demo document scanner\n"
                      "serial DEMO-SCAN-0001\nfirmware replay\n", rec, NULL);
}

static char *
ups_session (void)
{
  return g_strdup ("rekam-session 1\nclass ups\nlabel Demo UPS 2200 VA\nserial DEMO-UPS-0001\n"
                   "firmware replay\n0 ups OL 100 2400\n");
}

GPtrArray *
rk_device_demo_write_sessions (const char *dir, GError **error)
{
  static const struct { const char *name; char *(*make) (void); } sessions[] = {
    { "finger", finger_session },       { "slap", slap_session },
    { "camera", camera_session },       { "iris", iris_session },
    { "signature", signature_session }, { "smartcard", smartcard_session },
    { "scanner", scanner_session },     { "ups", ups_session },
  };
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot create %s: %s", dir,
                   g_strerror (errno));
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      g_autofree char *text = sessions[i].make ();
      g_autofree char *file = g_strdup_printf ("demo-%s.session", sessions[i].name);
      char *path = g_build_filename (dir, file, NULL);
      if (!g_file_set_contents (path, text, -1, error))
        {
          g_free (path);
          return NULL;
        }
      g_ptr_array_add (paths, path);
    }
  return g_steal_pointer (&paths);
}
