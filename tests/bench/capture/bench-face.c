/* Benchmark: the face check on 1280x720 preview frames, one core.
 *
 * Prints the median thread CPU time of capture_face_check() on (a) a
 * frame holding one London-set portrait scaled so that the eyes are
 * ~124 px apart (the usual case), and (b) a frame without a face (the
 * commonest preview frame; on 1280x720 the detector's finer second pass
 * is skipped, see capture-face-detect.c), each against
 * one gray conversion of the same frame timed in the same run. Budget:
 * 30 ms per frame. Usage: bench-face [RUNS]; needs REKAM_SHARED_DATA for
 * (a). OpenCV runs single-threaded (the shim sets it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/capture-face.h"
#include "capture/capture-jpeg.h"

#define WIDTH 1280
#define HEIGHT 720

static double
cpu_ms (void)
{
  struct timespec t;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof *v, compare);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int
load_portrait (CaptureImage *frame)
{
  const char *data = getenv ("REKAM_SHARED_DATA");
  char path[1024];
  snprintf (path, sizeof path, "%s/face/frl-london/neutral/003_03.jpg",
            data != NULL ? data : "../shared/data");
  FILE *file = fopen (path, "rb");
  if (file == NULL)
    return -1;
  static uint8_t buffer[4u << 20];
  size_t size = fread (buffer, 1, sizeof buffer, file);
  fclose (file);
  CaptureImage portrait;
  if (capture_jpeg_decode (buffer, size, 3, &portrait) != CAPTURE_OK)
    return -1;
  double scale = 0.53;
  int x0 = (WIDTH - (int) (portrait.width * scale)) / 2;
  int y0 = (HEIGHT - (int) (portrait.height * scale)) / 2;
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        int sx = (int) ((x - x0) / scale), sy = (int) ((y - y0) / scale);
        sx = sx < 0 ? 0 : sx >= portrait.width ? portrait.width - 1 : sx;
        sy = sy < 0 ? 0 : sy >= portrait.height ? portrait.height - 1 : sy;
        memcpy (capture_image_row (frame, y) + x * 3,
                capture_image_row (&portrait, sy) + sx * 3, 3);
      }
  capture_image_clear (&portrait);
  return 0;
}

static void
noise_frame (CaptureImage *frame)
{
  uint32_t state = 12345;
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH * 3; x++)
      {
        state = state * 1103515245u + 12345u;
        /* a smooth gradient with mild noise: a wall, no face */
        capture_image_row (frame, y)[x] = (uint8_t) ((x / 3 + y) / 8 + ((state >> 16) & 15));
      }
}

static void
run (CaptureFaceChecker *checker, const CaptureImage *frame, int runs,
     const char *label)
{
  double *check = calloc ((size_t) runs, sizeof *check);
  double *base = calloc ((size_t) runs, sizeof *base);
  size_t faces = 0;
  for (int i = 0; check != NULL && base != NULL && i < runs; i++)
    {
      CaptureImage gray;
      CaptureFaceMeasures m;
      CaptureFeedback feedback;
      double t0 = cpu_ms ();
      if (capture_image_to_gray (frame, &gray) != CAPTURE_OK)
        break;
      double t1 = cpu_ms ();
      capture_image_clear (&gray);
      double t2 = cpu_ms ();
      if (capture_face_check (checker, frame, 1991, &m, &feedback) != CAPTURE_OK)
        break;
      check[i] = cpu_ms () - t2;
      base[i] = t1 - t0;
      faces = m.n_faces;
    }
  if (check != NULL && base != NULL)
    {
      double c = median (check, runs), b = median (base, runs);
      printf ("face check 1280x720, %s (%zu face): median %.2f ms CPU over %d runs "
              "(budget 30 ms); baseline gray conversion %.2f ms, ratio %.1fx\n",
              label, faces, c, runs, b, b > 0 ? c / b : 0.0);
    }
  free (check);
  free (base);
}

int
main (int argc, char **argv)
{
  int runs = argc > 1 ? atoi (argv[1]) : 41;
  if (runs < 1 || runs > 10000)
    runs = 41;
  CaptureFaceChecker *checker;
  CaptureImage frame;
  if (capture_face_checker_new (NULL, NULL, &checker) != CAPTURE_OK)
    {
      fprintf (stderr, "bench-face: OpenCV cascades not found (opencv-data)\n");
      return 77;
    }
  if (capture_image_init (&frame, WIDTH, HEIGHT, 3) != CAPTURE_OK)
    return 1;
  if (load_portrait (&frame) == 0)
    run (checker, &frame, runs, "one portrait");
  else
    printf ("face check, one portrait: skipped (no REKAM_SHARED_DATA)\n");
  noise_frame (&frame);
  run (checker, &frame, runs, "no face");
  capture_image_clear (&frame);
  capture_face_checker_free (checker);
  return 0;
}
