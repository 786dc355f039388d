#include "cli-common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "afis-image-load.h"

int
afis_cli_read_file (const char *path, size_t max, uint8_t **ret_data, size_t *ret_size)
{
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    return -1;
  size_t cap = 65536, size = 0;
  uint8_t *data = malloc (cap);
  if (data == NULL)
    {
      fclose (f);
      errno = ENOMEM;
      return -1;
    }
  for (;;)
    {
      if (size == cap)
        {
          if (cap >= max)
            {
              free (data);
              fclose (f);
              errno = EFBIG;
              return -1;
            }
          cap = cap * 2 > max ? max : cap * 2;
          uint8_t *grown = realloc (data, cap);
          if (grown == NULL)
            {
              free (data);
              fclose (f);
              errno = ENOMEM;
              return -1;
            }
          data = grown;
        }
      size_t got = fread (data + size, 1, cap - size, f);
      size += got;
      if (got == 0)
        break;
    }
  int failed = ferror (f);
  fclose (f);
  if (failed)
    {
      free (data);
      errno = EIO;
      return -1;
    }
  *ret_data = data;
  *ret_size = size;
  return 0;
}

int
afis_cli_write_file (const char *path, const uint8_t *data, size_t size)
{
  size_t len = strlen (path) + 8;
  char *tmp = malloc (len);
  if (tmp == NULL)
    return -1;
  snprintf (tmp, len, "%s.tmp", path);
  FILE *f = fopen (tmp, "wb");
  if (f == NULL)
    {
      free (tmp);
      return -1;
    }
  int ok = fwrite (data, 1, size, f) == size;
  ok = fclose (f) == 0 && ok;
  if (!ok || rename (tmp, path) != 0)
    {
      remove (tmp);
      free (tmp);
      return -1;
    }
  free (tmp);
  return 0;
}

/* Seconds on @clock as a double; the three public readers differ only in
 * which clock they ask. */
static double
clock_seconds (clockid_t clock)
{
  struct timespec ts;
  clock_gettime (clock, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

double
afis_cli_now (void)
{
  return clock_seconds (CLOCK_MONOTONIC);
}

double
afis_cli_cpu_now (void)
{
  return clock_seconds (CLOCK_THREAD_CPUTIME_ID);
}

double
afis_cli_process_cpu_now (void)
{
  return clock_seconds (CLOCK_PROCESS_CPUTIME_ID);
}

int
afis_cli_extract_file (const char *path, int ppi, AfisFingerprint *ret_print, char *reason,
                       size_t reason_size)
{
  AfisCliImage image;
  if (afis_cli_image_load (path, &image, reason, reason_size) < 0)
    return -1;
  AfisStatus status = afis_finger_extract (image.pixels, image.width, image.height,
                                           (size_t) image.width, ppi, ret_print);
  afis_cli_image_clear (&image);
  if (status != AFIS_OK)
    {
      snprintf (reason, reason_size, "%s", afis_strerror (status));
      return -1;
    }
  return 0;
}

long
afis_cli_parse_long (const char *text, long min, long max)
{
  if (text == NULL || *text == '\0')
    return -1;
  char *end = NULL;
  errno = 0;
  long v = strtol (text, &end, 10);
  if (errno != 0 || *end != '\0' || v < min || v > max)
    return -1;
  return v;
}

void
afis_cli_basename (const char *path, char *out, size_t out_size)
{
  const char *slash = strrchr (path, '/');
  const char *name = slash ? slash + 1 : path;
  snprintf (out, out_size, "%s", name);
  char *dot = strrchr (out, '.');
  if (dot != NULL && dot != out)
    *dot = '\0';
}

int
afis_cli_compare_double (const void *a, const void *b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

int
afis_cli_load_record (const char *path, AfisTemplate **ret_template, char *reason,
                      size_t reason_size)
{
  uint8_t *data;
  size_t size;
  if (afis_cli_read_file (path, AFIS_TEMPLATE_MAX_SIZE, &data, &size) < 0)
    {
      snprintf (reason, reason_size, "cannot read: %s", strerror (errno));
      return -1;
    }
  AfisTemplate *t = malloc (sizeof *t);
  if (t == NULL)
    {
      free (data);
      snprintf (reason, reason_size, "out of memory");
      return -1;
    }
  char why[160] = "";
  AfisStatus status = afis_template_read (data, size, t, why, sizeof why);
  free (data);
  if (status != AFIS_OK)
    {
      snprintf (reason, reason_size, "%s: %s", afis_strerror (status), why);
      free (t);
      return -1;
    }
  *ret_template = t;
  return 0;
}

int
afis_cli_load_search (const char *path, int view, AfisSearchTemplate *ret_search, char *reason,
                      size_t reason_size)
{
  AfisTemplate *t;
  if (afis_cli_load_record (path, &t, reason, reason_size) < 0)
    return -1;
  AfisFingerprint *print = malloc (sizeof *print);
  int rc = -1;
  if (print == NULL)
    snprintf (reason, reason_size, "out of memory");
  else if (view >= t->view_count)
    snprintf (reason, reason_size, "record has no view %d", view + 1);
  else if (afis_template_view_print (t, view, print) != AFIS_OK
           || afis_search_template_build (print, ret_search) != AFIS_OK)
    snprintf (reason, reason_size, "cannot use the record's view %d", view + 1);
  else
    rc = 0;
  free (print);
  free (t);
  return rc;
}
