/* Benchmarks of `rekam-capture bench` for slaps and document pages:
 * the time a capture screen waits for its verdict. CPU time of this
 * thread, medians. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture-cli-image.h"
#include "capture/capture-document.h"
#include "capture/capture-finger.h"
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

/* A right slap from four FVC2002 DB1 prints, as the tests build it. */
static bool
build_slap (CaptureImage *slap)
{
  const char *shared = getenv ("REKAM_SHARED_DATA");
  static const int offsets[4] = { 60, 0, 40, 240 };
  if (capture_image_init (slap, 4 * 420 + 40, 700, 1) != CAPTURE_OK)
    return false;
  memset (slap->pixels, 255, slap->stride * (size_t) slap->height);
  for (int i = 0; i < 4; i++)
    {
      char path[1024], reason[256];
      snprintf (path, sizeof path, "%s/fingerprint/fvc2002_db1_b/%d_1.tif",
                shared != NULL ? shared : "../shared/data", 101 + i);
      CaptureImage print;
      if (capture_cli_image_load (path, 1, &print, reason, sizeof reason) != 0)
        {
          capture_image_clear (slap);
          return false;
        }
      for (int y = 0; y < print.height; y++)
        for (int x = 0; x < print.width; x++)
          {
            uint8_t *out = capture_image_row (slap, y + 20 + offsets[i]) + 20 + 420 * i + x;
            uint8_t v = capture_image_row (&print, y)[x];
            *out = v < *out ? v : *out;
          }
      capture_image_clear (&print);
    }
  return true;
}

int
capture_cli_finger_bench (bool quick)
{
  int iterations = quick ? 3 : 15;
  double *times = calloc ((size_t) iterations, sizeof (double));
  if (times == NULL)
    return 1;
  CaptureImage slap;
  if (build_slap (&slap))
    {
      int found = 0;
      for (int i = 0; i < iterations; i++)
        {
          CaptureSlapResult result;
          double t0 = now_ms ();
          if (capture_slap_segment (&slap, CAPTURE_SLAP_RIGHT_FOUR, NULL, &result) != CAPTURE_OK)
            break;
          times[i] = now_ms () - t0;
          found = result.n_fingers;
          capture_slap_result_clear (&result);
        }
      printf ("slap segment %dx%d (4 FVC prints): median %.1f ms incl. afis quality of %d fingers\n",
              slap.width, slap.height, median (times, iterations), found);
      capture_image_clear (&slap);
    }
  else
    printf ("slap segment: FVC2002 DB1 absent, skipped\n");

  /* An A4 page at 300 dpi with lines of "text", turned by 2 degrees. */
  CaptureImage page, turned;
  if (capture_image_init (&page, 2480, 3508, 1) != CAPTURE_OK)
    {
      free (times);
      return 1;
    }
  memset (page.pixels, 245, page.stride * (size_t) page.height);
  for (int line = 0; line < 60; line++)
    for (int y = 300 + line * 48; y < 300 + line * 48 + 22; y++)
      for (int x = 250; x < 2200; x++)
        if ((x / 13 + line) % 5 != 0 && (x % 13) < 9)
          capture_image_row (&page, y)[x] = 30;
  if (capture_image_rotate (&page, 2.0, &turned) == CAPTURE_OK)
    {
      double skew = 0;
      for (int i = 0; i < iterations; i++)
        {
          CaptureImage clean;
          CaptureDocumentAnalysis analysis;
          CaptureFeedback feedback;
          capture_feedback_init (&feedback);
          double t0 = now_ms ();
          if (capture_document_clean (&turned, &clean, &analysis, &feedback) != CAPTURE_OK)
            break;
          times[i] = now_ms () - t0;
          skew = analysis.skew_degrees;
          capture_image_clear (&clean);
        }
      printf ("document clean A4 300 dpi gray: median %.1f ms (skew found %.2f of 2.00 degrees)\n",
              median (times, iterations), skew);
      capture_image_clear (&turned);
    }
  capture_image_clear (&page);
  free (times);
  return 0;
}
