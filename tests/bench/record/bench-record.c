/* bench-record: the record path's costs, medians of N runs.
 *
 *  1. build + sign + encrypt one full enrolment (ten flats 400x500, three
 *     slaps, face 600x800 JPEG, two irises 640x480, signature, 500 ppi
 *     8-bit images written uncompressed: the worst case until WSQ lands):
 *     manifest -> transaction (profile-checked) -> envelope. Target: < 100 ms.
 *  2. queue commit: the module's durable sequence replayed on the same
 *     envelope (tmp write, fsync, link, unlink, fsync dir, SQLite INSERT in
 *     WAL with synchronous=FULL + COMMIT).
 * Baselines in the same run: SHA-256 over the transaction (what any
 * pipeline must at least read), and the same file write without any
 * fsync. Usage: bench-record [RUNS] (default 15). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef REKAM_HAVE_CAPTURE_WSQ
#include "capture/capture-wsq.h"
#endif

#include "an2k.h"
#include "record-fixture.h"
#include "rk-an2k-build.h"
#include "rk-envelope.h"

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *values, int n)
{
  qsort (values, (size_t) n, sizeof *values, compare_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

#ifdef REKAM_HAVE_CAPTURE_WSQ
/* The production path: capture/ delivers fingers already WSQ-encoded, so
 * the fixture's PGM fingers and slaps are encoded once here and the
 * manifest is pointed at the .wsq files. Returns the median encode time
 * per image in ms. */
static double
pre_encode_wsq (const char *dir, const char *manifest)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) json = NULL;
  double times[16];
  int n = 0;
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL && n < 16)
    {
      g_autofree char *path = NULL, *contents = NULL, *out_path = NULL, *base = NULL;
      gsize length;
      unsigned width, height;
      int header = 0;
      uint8_t *wsq = NULL;
      size_t size = 0;
      double t0;
      if (!g_str_has_suffix (name, ".pgm") || !(g_str_has_prefix (name, "finger-") || g_str_has_prefix (name, "slap-")))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (!g_file_get_contents (path, &contents, &length, NULL)
          || sscanf (contents, "P5\n%u %u\n255\n%n", &width, &height, &header) != 2 || header == 0)
        g_error ("fixture %s unreadable", name);
      {
        CaptureImage image = { .pixels = (uint8_t *) contents + header, .width = (int) width,
                               .height = (int) height, .stride = width, .channels = 1 };
        t0 = now_ms ();
        if (capture_wsq_encode (&image, CAPTURE_WSQ_DEFAULT_BITRATE, 500, &wsq, &size) != CAPTURE_OK)
          g_error ("WSQ encoding of %s failed", name);
        times[n++] = now_ms () - t0;
      }
      base = g_strndup (name, strlen (name) - 4);
      out_path = g_strdup_printf ("%s/%s.wsq", dir, base);
      if (!g_file_set_contents (out_path, (const char *) wsq, (gssize) size, NULL))
        g_error ("cannot write %s", out_path);
      free (wsq);
    }
  g_assert_true (g_file_get_contents (manifest, &text, NULL, NULL));
  json = g_string_new (text);
  for (int f = 1; f <= 10; f++)
    {
      g_autofree char *from = g_strdup_printf ("finger-%02d.pgm", f), *to = g_strdup_printf ("finger-%02d.wsq", f);
      g_string_replace (json, from, to, 0);
    }
  for (int f = 13; f <= 15; f++)
    {
      g_autofree char *from = g_strdup_printf ("slap-%d.pgm", f), *to = g_strdup_printf ("slap-%d.wsq", f);
      g_string_replace (json, from, to, 0);
    }
  g_assert_true (g_file_set_contents (manifest, json->str, (gssize) json->len, NULL));
  return n ? median (times, n) : 0;
}
#endif

static void
write_all (int fd, const guint8 *data, gsize length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = write (fd, data + done, length - done);
      if (n <= 0)
        g_error ("write: %s", g_strerror (errno));
      done += (gsize) n;
    }
}

int
main (int argc, char **argv)
{
  int runs = argc > 1 ? atoi (argv[1]) : 15;
  g_autofree char *dir = g_dir_make_tmp ("bench-record-XXXXXX", NULL);
  RecordFixtureOptions options = { .full_size = TRUE, .with_slaps = TRUE, .seed = 1 };
  g_autofree char *manifest = record_fixture_write (dir, &options);
  uint8_t sign_public[32], sign_secret[64], box_public[32], box_secret[32];
  double *build = g_new0 (double, runs), *seal = g_new0 (double, runs), *total = g_new0 (double, runs);
  double *hash = g_new0 (double, runs), *commit = g_new0 (double, runs), *plain = g_new0 (double, runs);
  gsize transaction_bytes = 0, envelope_bytes = 0;
  uint8_t *last_envelope = NULL;
  sqlite3 *db = NULL;
  g_autofree char *db_path = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *queue_dir = g_build_filename (dir, "queue", NULL);

  double wsq_ms = -1;

  if (runs < 1 || sodium_init () < 0)
    return 2;
#ifdef REKAM_HAVE_CAPTURE_WSQ
  wsq_ms = pre_encode_wsq (dir, manifest);
#endif
  crypto_sign_keypair (sign_public, sign_secret);
  crypto_box_keypair (box_public, box_secret);

  for (int i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(an2k_transaction) transaction = NULL;
      g_autoptr(GBytes) bytes = NULL;
      uint8_t *envelope = NULL;
      size_t length = 0;
      guint8 digest[32];
      double t0 = now_ms (), t1, t2;

      transaction = rk_an2k_build_from_file (manifest, &error);
      if (transaction != NULL)
        bytes = rk_an2k_encode_checked (transaction, &error);
      if (bytes == NULL)
        g_error ("build: %s", error->message);
      t1 = now_ms ();
      if (rk_envelope_seal (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "367113-DESK1", "BENCH",
                            sign_secret, box_public, &envelope, &length) != RK_ENVELOPE_OK)
        g_error ("seal failed");
      t2 = now_ms ();
      build[i] = t1 - t0;
      seal[i] = t2 - t1;
      total[i] = t2 - t0;
      t0 = now_ms ();
      crypto_hash_sha256 (digest, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      hash[i] = now_ms () - t0;
      transaction_bytes = g_bytes_get_size (bytes);
      envelope_bytes = length;
      free (last_envelope);
      last_envelope = envelope;
    }

  /* 2. the durable commit sequence */
  g_mkdir_with_parents (queue_dir, 0700);
  if (sqlite3_open (db_path, &db) != SQLITE_OK
      || sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                           "CREATE TABLE q (id INTEGER PRIMARY KEY, name TEXT UNIQUE, sha TEXT, bytes INTEGER,"
                           " sealed BLOB);", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("sqlite: %s", sqlite3_errmsg (db));
  for (int i = 0; i < runs; i++)
    {
      g_autofree char *tmp = g_strdup_printf ("%s/tmp-%d", queue_dir, i);
      g_autofree char *final = g_strdup_printf ("%s/R%d.env", queue_dir, i);
      g_autofree char *nosync = g_strdup_printf ("%s/nosync-%d", queue_dir, i);
      g_autofree char *name = g_strdup_printf ("R%d", i);
      sqlite3_stmt *stmt = NULL;
      double t0 = now_ms ();
      int fd = open (tmp, O_WRONLY | O_CREAT | O_EXCL, 0600), dfd;

      write_all (fd, last_envelope, envelope_bytes);
      fsync (fd);
      close (fd);
      if (link (tmp, final) != 0)
        g_error ("link: %s", g_strerror (errno));
      unlink (tmp);
      dfd = open (queue_dir, O_RDONLY | O_DIRECTORY);
      fsync (dfd);
      close (dfd);
      sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      sqlite3_prepare_v2 (db, "INSERT INTO q (name, sha, bytes, sealed) VALUES (?1, ?2, ?3, zeroblob(?3))", -1,
                          &stmt, NULL);
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, "0000000000000000000000000000000000000000000000000000000000000000", -1,
                         SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) transaction_bytes);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("insert: %s", sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        g_error ("commit: %s", sqlite3_errmsg (db));
      commit[i] = now_ms () - t0;
      /* baseline: the same bytes written, no fsync, no database */
      t0 = now_ms ();
      fd = open (nosync, O_WRONLY | O_CREAT | O_EXCL, 0600);
      write_all (fd, last_envelope, envelope_bytes);
      close (fd);
      plain[i] = now_ms () - t0;
      unlink (final);
      unlink (nosync);
    }
  sqlite3_close (db);

  {
    double m_build = median (build, runs), m_seal = median (seal, runs), m_total = median (total, runs);
    double m_hash = median (hash, runs), m_commit = median (commit, runs), m_plain = median (plain, runs);
    printf ("bench-record: %d runs, transaction %.2f MiB (10 flats + 3 slaps + face + 2 irises + signature, "
            "fingers %s), envelope %.2f MiB\n", runs, transaction_bytes / 1048576.0,
            wsq_ms >= 0 ? "WSQ 0.75 bpp as capture/ delivers them" : "raw 8-bit (no WSQ encoder built)",
            envelope_bytes / 1048576.0);
    if (wsq_ms >= 0)
      printf ("  (capture side, not counted: WSQ encode median %.2f ms per finger/slap image)\n", wsq_ms);
    printf ("  build+check (manifest -> transaction)  median %8.2f ms\n", m_build);
    printf ("  sign+encrypt (envelope)                median %8.2f ms\n", m_seal);
    printf ("  build+sign+encrypt                     median %8.2f ms   target < 100 ms: %s\n", m_total,
            m_total < 100 ? "met" : "NOT met");
    printf ("  baseline SHA-256 of the transaction    median %8.2f ms   ratio %.1fx\n", m_hash,
            m_hash > 0 ? m_total / m_hash : 0);
    printf ("  queue commit (write+fsync+link+fsync dir+SQLite FULL)  median %8.2f ms\n", m_commit);
    printf ("  baseline same write without fsync/db   median %8.2f ms   ratio %.1fx\n", m_plain,
            m_plain > 0 ? m_commit / m_plain : 0);
  }
  free (last_envelope);
  g_free (build);
  g_free (seal);
  g_free (total);
  g_free (hash);
  g_free (commit);
  g_free (plain);
  {
    /* remove the fixture */
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (queue_dir);
    g_rmdir (dir);
  }
  return 0;
}
