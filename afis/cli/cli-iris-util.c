/* rekam-afis iris: small file and timing helpers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli-iris-util.h"

double
cli_iris_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

double
cli_iris_cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

int
cli_iris_file_read (const char *path, size_t max, unsigned char **ret_data,
                    size_t *ret_size)
{
  FILE *f = fopen (path, "rb");
  unsigned char *data;
  size_t size;

  if (f == NULL)
    return -1;
  data = malloc (max + 1);
  if (data == NULL)
    {
      fclose (f);
      return -1;
    }
  size = fread (data, 1, max + 1, f);
  fclose (f);
  if (size > max)
    {
      free (data);
      errno = EFBIG;
      return -1;
    }
  *ret_data = data;
  *ret_size = size;
  return 0;
}

int
cli_iris_template_load (const char *path, AfisIrisTemplate *ret_template)
{
  unsigned char *data;
  size_t size;
  AfisStatus status;

  if (cli_iris_file_read (path, 65536, &data, &size) != 0)
    {
      fprintf (stderr, "rekam-afis iris: %s: %s\n", path, strerror (errno));
      return -1;
    }
  status = afis_iris_template_deserialize (data, size, ret_template);
  free (data);
  if (status != AFIS_OK)
    {
      fprintf (stderr, "rekam-afis iris: %s: %s\n", path, afis_strerror (status));
      return -1;
    }
  return 0;
}

int
cli_iris_template_save (const char *path, const AfisIrisTemplate *template_)
{
  unsigned char buffer[AFIS_IRIS_TEMPLATE_SIZE];
  char tmp[4096];
  size_t size;
  FILE *f;

  if (afis_iris_template_serialize (template_, buffer, sizeof buffer, &size) != AFIS_OK)
    return -1;
  if ((size_t) snprintf (tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
    return -1;
  f = fopen (tmp, "wb");
  if (f == NULL)
    return -1;
  if (fwrite (buffer, 1, size, f) != size)
    {
      fclose (f);
      remove (tmp);
      return -1;
    }
  if (fclose (f) != 0 || rename (tmp, path) != 0)
    {
      remove (tmp);
      return -1;
    }
  return 0;
}

void
cli_iris_stem (const char *path, char *out, size_t out_size)
{
  const char *base = strrchr (path, '/');
  const char *dot;
  size_t n;

  base = base ? base + 1 : path;
  dot = strrchr (base, '.');
  n = dot && dot != base ? (size_t) (dot - base) : strlen (base);
  if (n >= out_size)
    n = out_size - 1;
  memcpy (out, base, n);
  out[n] = '\0';
}

int
cli_iris_is_image (const char *name)
{
  static const char *const ext[] = { ".bmp", ".png", ".tif", ".tiff", ".pgm",
                                     ".pnm", ".jpg", ".jpeg" };
  const char *dot = strrchr (name, '.');

  if (dot == NULL)
    return 0;
  for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
    if (strcasecmp (dot, ext[i]) == 0)
      return 1;
  return 0;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

double
cli_iris_median (double *values, size_t n)
{
  if (n == 0)
    return 0;
  qsort (values, n, sizeof values[0], compare_double);
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}
