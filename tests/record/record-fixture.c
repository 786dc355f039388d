/* Fixture images and manifests for the record tests (fixed seed). */
#include "record-fixture.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

static void
write_or_abort (const char *path, const void *data, gsize length)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, data, (gssize) length, &error))
    g_error ("fixture: %s", error->message);
}

/* A ridge-like pattern so the images are not constant (the codec does not
 * care, but a viewer of the dump should see something plausible). */
static void
write_pgm (const char *path, guint width, guint height, guint seed, double frequency)
{
  g_autoptr(GString) pgm = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (seed);

  g_string_append_printf (pgm, "P5\n%u %u\n255\n", width, height);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        double r = sqrt ((double) (x - width / 2.0) * (x - width / 2.0) + (y - height / 2.0) * (y - height / 2.0));
        double v = 128 + 90 * sin (r * frequency + seed) + g_rand_int_range (rand, -20, 20);
        g_string_append_c (pgm, (char) (guint8) CLAMP (v, 0, 255));
      }
  g_rand_free (rand);
  write_or_abort (path, pgm->str, pgm->len);
}

static void
write_jpeg (const char *path, guint width, guint height, guint seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) width, (int) height);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * (guint) stride + x * 3;
        gboolean face = (x - width / 2.0) * (x - width / 2.0) / (width * width / 9.0)
                          + (y - height / 2.0) * (y - height / 2.0) / (height * height / 6.0) < 1.0;
        p[0] = face ? 220 : 200;
        p[1] = face ? 180 : (guint8) (20 + seed % 10);
        p[2] = face ? 150 : 30;
      }
  if (!gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "85", NULL))
    g_error ("fixture: %s", error->message);
}

/* ISO/IEC 19794-2:2005 record with one finger view of n minutiae. */
static void
write_fmr (const char *path, guint finger, guint n, guint seed)
{
  GByteArray *fmr = g_byte_array_new ();
  GRand *rand = g_rand_new_with_seed (seed);
  guint total = 24 + 4 + 6 * n + 2;
  guint8 header[28] = { 'F', 'M', 'R', 0, ' ', '2', '0', 0,
                        (guint8) (total >> 24), (guint8) (total >> 16), (guint8) (total >> 8), (guint8) total,
                        0x00, 0x00, 0x01, 0x90, 0x01, 0xF4, 0x00, 197, 0x00, 197, 1, 0,
                        (guint8) finger, 0x00, 60, (guint8) n };

  g_byte_array_append (fmr, header, sizeof header);
  for (guint i = 0; i < n; i++)
    {
      guint x = (guint) g_rand_int_range (rand, 20, 380), y = (guint) g_rand_int_range (rand, 20, 480);
      guint type = 1 + i % 2;
      guint8 m[6] = { (guint8) ((type << 6) | (x >> 8)), (guint8) x, (guint8) (y >> 8), (guint8) y,
                      (guint8) g_rand_int_range (rand, 0, 256), (guint8) g_rand_int_range (rand, 30, 100) };
      g_byte_array_append (fmr, m, 6);
    }
  {
    guint8 ext[2] = { 0, 0 };
    g_byte_array_append (fmr, ext, 2);
  }
  g_rand_free (rand);
  write_or_abort (path, fmr->data, fmr->len);
  g_byte_array_unref (fmr);
}

char *
record_fixture_write (const char *dir, const RecordFixtureOptions *options)
{
  g_autoptr(GString) json = g_string_new (NULL);
  guint fw = options->full_size ? 400 : 40, fh = options->full_size ? 500 : 50;
  guint seed = options->seed;
  g_autofree char *path = NULL;

  for (guint finger = 1; finger <= 10; finger++)
    {
      g_autofree char *name = g_strdup_printf ("%s/finger-%02u.pgm", dir, finger);
      if (!(options->missing_finger && finger == 7))
        write_pgm (name, fw, fh, seed + finger, 0.35);
    }
  if (options->with_slaps)
    for (guint slap = 13; slap <= 15; slap++)
      {
        g_autofree char *name = g_strdup_printf ("%s/slap-%u.pgm", dir, slap);
        guint sw = options->full_size ? (slap == 15 ? 800 : 1600) : (slap == 15 ? 80 : 160);
        write_pgm (name, sw, options->full_size ? 1500 : 150, seed + slap, 0.35);
      }
  {
    g_autofree char *face = g_strdup_printf ("%s/face.jpg", dir);
    g_autofree char *right = g_strdup_printf ("%s/iris-right.pgm", dir);
    g_autofree char *left = g_strdup_printf ("%s/iris-left.pgm", dir);
    g_autofree char *signature = g_strdup_printf ("%s/signature.pgm", dir);
    write_jpeg (face, options->full_size ? 600 : 60, options->full_size ? 800 : 80, seed);
    write_pgm (right, options->full_size ? 640 : 64, options->full_size ? 480 : 48, seed + 20, 0.2);
    write_pgm (left, options->full_size ? 640 : 64, options->full_size ? 480 : 48, seed + 21, 0.2);
    write_pgm (signature, options->full_size ? 500 : 50, options->full_size ? 200 : 20, seed + 22, 0.05);
  }
  if (options->with_minutiae)
    {
      g_autofree char *fmr = g_strdup_printf ("%s/finger-02.fmr", dir);
      write_fmr (fmr, 2, 40, seed + 30);
    }

  g_string_append_printf (json,
                          "{\n"
                          "  \"transaction\": {\"tcn\": \"%s\", \"ori\": \"367113-DESK1\",\n"
                          "                  \"dai\": \"DISDUKCAPIL-3671\", \"date\": \"2026-11-25\",\n"
                          "                  \"gmt\": \"20261125021500Z\", \"priority\": 5},\n"
                          "  \"capture_date\": \"2026-11-25\",\n"
                          "  \"demographics\": {\"nik\": \"3671134501900003\", \"nkk\": \"3671130101120002\",\n"
                          "    \"name\": \"Siti Nurhaliza Ähm\", \"birth_place\": \"Tangerang\",\n"
                          "    \"birth_date\": \"1990-01-05\", \"sex\": \"P\", \"blood_type\": \"O\",\n"
                          "    \"address\": \"Jl. Raden Fatah No. 1\", \"rt\": \"001\", \"rw\": \"002\",\n"
                          "    \"region_code\": \"3671131001\", \"religion\": 1, \"marital_status\": 2,\n"
                          "    \"occupation\": \"Karyawan Swasta\", \"citizenship\": \"WNI\",\n"
                          "    \"application_type\": \"BARU\", \"case_id\": \"CASE-%u\"},\n"
                          "  \"face\": {\"file\": \"face.jpg\"},\n"
                          "  \"fingers\": [\n",
                          options->tcn ? options->tcn : "TCN-TEST-0001", seed);
  for (guint finger = 1; finger <= 10; finger++)
    {
      if (options->missing_finger && finger == 7)
        g_string_append_printf (json, "    {\"position\": 7, \"missing\": \"XX\"}");
      else
        g_string_append_printf (json, "    {\"position\": %u, \"file\": \"finger-%02u.pgm\", \"quality\": %u}",
                                finger, finger, 40 + finger * 5);
      g_string_append (json, finger < 10 ? ",\n" : "\n");
    }
  g_string_append (json, "  ],\n");
  if (options->with_slaps)
    {
      guint s = options->full_size ? 10 : 1;
      g_string_append_printf (json,
                              "  \"slaps\": [\n"
                              "    {\"position\": 13, \"file\": \"slap-13.pgm\", \"segments\": [\n"
                              "      {\"finger\": 2, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u},\n"
                              "      {\"finger\": 3, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u},\n"
                              "      {\"finger\": 4, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u},\n"
                              "      {\"finger\": 5, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u}]},\n",
                              0 * s, 40 * s, 10 * s, 60 * s, 40 * s, 80 * s, 5 * s, 55 * s, 80 * s, 120 * s,
                              10 * s, 60 * s, 120 * s, 160 * s, 30 * s, 80 * s);
      if (options->missing_finger)
        g_string_append_printf (json,
                                "    {\"position\": 14, \"file\": \"slap-14.pgm\", \"segments\": [\n"
                                "      {\"finger\": 8, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u},\n"
                                "      {\"finger\": 9, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u},\n"
                                "      {\"finger\": 10, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u}],\n"
                                "     \"missing\": [{\"finger\": 7, \"code\": \"XX\"}]},\n",
                                40 * s, 80 * s, 5 * s, 55 * s, 80 * s, 120 * s, 10 * s, 60 * s, 120 * s, 160 * s,
                                30 * s, 80 * s);
      else
        g_string_append_printf (json,
                                "    {\"position\": 14, \"file\": \"slap-14.pgm\", \"segments\": [\n"
                                "      {\"finger\": 7, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u},\n"
                                "      {\"finger\": 8, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u},\n"
                                "      {\"finger\": 9, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u},\n"
                                "      {\"finger\": 10, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u}]},\n",
                                0 * s, 40 * s, 10 * s, 60 * s, 40 * s, 80 * s, 5 * s, 55 * s, 80 * s, 120 * s,
                                10 * s, 60 * s, 120 * s, 160 * s, 30 * s, 80 * s);
      g_string_append_printf (json,
                              "    {\"position\": 15, \"file\": \"slap-15.pgm\", \"segments\": [\n"
                              "      {\"finger\": 1, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u},\n"
                              "      {\"finger\": 6, \"left\": %u, \"right\": %u, \"top\": %u, \"bottom\": %u}]}\n"
                              "  ],\n",
                              0 * s, 40 * s, 20 * s, 80 * s, 40 * s, 80 * s, 20 * s, 80 * s);
    }
  g_string_append (json,
                   "  \"irises\": [{\"eye\": \"right\", \"file\": \"iris-right.pgm\", \"quality\": 70},\n"
                   "             {\"eye\": \"left\", \"file\": \"iris-left.pgm\", \"quality\": 65}],\n");
  if (options->with_minutiae)
    g_string_append (json, "  \"minutiae\": [{\"file\": \"finger-02.fmr\"}],\n");
  g_string_append (json, "  \"signature\": {\"file\": \"signature.pgm\"}\n}\n");

  path = g_build_filename (dir, "manifest.json", NULL);
  write_or_abort (path, json->str, json->len);
  return g_steal_pointer (&path);
}

char *
record_fixture_write_small (const char *dir, const char *tcn)
{
  RecordFixtureOptions options = { .seed = 7, .tcn = tcn };

  return record_fixture_write (dir, &options);
}
