/* The WSQ benchmark (`rekam-capture bench`, tests/bench/capture/bench-wsq):
 * median encode/decode time of a 500x500 print at 0.75 bpp on one core,
 * with the PSNR, against libjpeg-turbo on the same image at the same
 * file size as a baseline measured in the same run. The print is a
 * synthetic ridge pattern (fixed seed), so the figures need no data set.
 * Times are CPU time of this thread, so a busy machine inflates them
 * less than wall-clock time would. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/capture-jpeg.h"
#include "capture/capture-wsq.h"
#include "capture-cli-image.h"
#include "rekam-capture-cli.h"

static double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof *v, compare);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A fingerprint-like pattern: concentric ridges bent by a slow wave,
 * fading to the background at the edges, with fixed-seed noise. */
static void
synthetic_print (CaptureImage *image)
{
  unsigned seed = 12345;
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      {
        double dx = x - image->width / 2.0, dy = y - image->height * 0.55;
        double r = hypot (dx, dy * 1.2);
        double ridge = sin (r / 1.45 + 0.8 * sin (x / 41.0) + 0.5 * cos (y / 53.0));
        double mask = exp (-r * r / (2 * 150.0 * 150.0));
        seed = seed * 1103515245u + 12345u;
        double noise = (double) ((seed >> 16) % 7) - 3.0;
        double v = 205 - 120 * mask * (0.5 + 0.5 * ridge) + noise;
        capture_image_row (image, y)[x] = (uint8_t) (v < 0 ? 0 : v > 255 ? 255 : v);
      }
}

/* PSNR and bits per pixel at 0.75 bpp over the first impression of a
 * few fingers of each FVC2002 set, when the shared data is there. */
static void
fvc_quality (void)
{
  const char *shared = getenv ("REKAM_SHARED_DATA");
  static const char *sets[] = { "fvc2002_db1_b", "fvc2002_db2_b", "fvc2002_db3_b", "fvc2002_db4_b" };
  for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++)
    {
      double psnr_sum = 0, bpp_sum = 0;
      int n = 0;
      for (int finger = 101; finger <= 110; finger++)
        {
          char path[1024], reason[256];
          snprintf (path, sizeof path, "%s/fingerprint/%s/%d_1.tif",
                    shared != NULL ? shared : "../shared/data", sets[s], finger);
          CaptureImage image, back;
          if (capture_cli_image_load (path, 1, &image, reason, sizeof reason) != 0)
            continue;
          uint8_t *data = NULL;
          size_t size = 0;
          if (capture_wsq_encode (&image, CAPTURE_WSQ_DEFAULT_BITRATE, 500, &data, &size) == CAPTURE_OK
              && capture_wsq_decode (data, size, &back, NULL) == CAPTURE_OK)
            {
              psnr_sum += capture_image_psnr (&image, &back);
              bpp_sum += size * 8.0 / ((double) image.width * image.height);
              n++;
              capture_image_clear (&back);
            }
          free (data);
          capture_image_clear (&image);
        }
      if (n > 0)
        printf ("wsq %s (%d prints) @0.75 bpp: mean %.3f bpp actual, mean PSNR %.2f dB\n",
                sets[s], n, bpp_sum / n, psnr_sum / n);
      else
        printf ("wsq %s: data set absent, skipped\n", sets[s]);
    }
}

int
capture_cli_wsq_bench (bool quick)
{
  int iterations = quick ? 3 : 25;
  CaptureImage image;
  if (capture_image_init (&image, 500, 500, 1) != CAPTURE_OK)
    return 1;
  synthetic_print (&image);

  double *enc = calloc ((size_t) iterations, sizeof (double));
  double *dec = calloc ((size_t) iterations, sizeof (double));
  double *jenc = calloc ((size_t) iterations, sizeof (double));
  double *jdec = calloc ((size_t) iterations, sizeof (double));
  uint8_t *wsq = NULL, *jpeg = NULL;
  size_t wsq_size = 0, jpeg_size = 0;
  double psnr = 0, jpeg_psnr = 0;
  for (int i = 0; i < iterations; i++)
    {
      free (wsq);
      double t0 = now_ms ();
      if (capture_wsq_encode (&image, CAPTURE_WSQ_DEFAULT_BITRATE, 500, &wsq, &wsq_size) != CAPTURE_OK)
        return 1;
      double t1 = now_ms ();
      CaptureImage back;
      if (capture_wsq_decode (wsq, wsq_size, &back, NULL) != CAPTURE_OK)
        return 1;
      double t2 = now_ms ();
      enc[i] = t1 - t0;
      dec[i] = t2 - t1;
      psnr = capture_image_psnr (&image, &back);
      capture_image_clear (&back);
    }
  /* Baseline: JPEG at the quality that fits the WSQ file's size. */
  int quality = 0;
  for (int i = 0; i < iterations; i++)
    {
      free (jpeg);
      double t0 = now_ms ();
      if (capture_jpeg_encode_budget (&image, wsq_size, 5, 95, &jpeg, &jpeg_size, &quality) != CAPTURE_OK)
        return 1;
      double t1 = now_ms ();
      uint8_t *once = NULL;
      size_t once_size = 0;
      if (capture_jpeg_encode (&image, quality, &once, &once_size) != CAPTURE_OK)
        return 1;
      double t2 = now_ms ();
      free (once);
      CaptureImage back;
      if (capture_jpeg_decode (jpeg, jpeg_size, 1, &back) != CAPTURE_OK)
        return 1;
      double t3 = now_ms ();
      (void) t0;
      (void) t1;
      jenc[i] = t2 - t1;
      jdec[i] = t3 - t2;
      jpeg_psnr = capture_image_psnr (&image, &back);
      capture_image_clear (&back);
    }
  double me = median (enc, iterations), md = median (dec, iterations);
  double je = median (jenc, iterations), jd = median (jdec, iterations);
  printf ("wsq 500x500 synthetic print @%.2f bpp: %zu bytes (%.3f bpp actual), PSNR %.2f dB\n",
          CAPTURE_WSQ_DEFAULT_BITRATE, wsq_size, wsq_size * 8.0 / 250000, psnr);
  printf ("wsq encode median %.2f ms (target < 30)  decode median %.2f ms (target < 20)\n", me, md);
  printf ("baseline jpeg q%d %zu bytes PSNR %.2f dB: encode %.2f ms decode %.2f ms\n",
          quality, jpeg_size, jpeg_psnr, je, jd);
  printf ("ratio wsq/jpeg: encode %.1fx decode %.1fx\n", me / je, md / jd);
  if (!quick)
    fvc_quality ();
  free (wsq);
  free (jpeg);
  free (enc);
  free (dec);
  free (jenc);
  free (jdec);
  capture_image_clear (&image);
  return 0;
}
