/* rekam-afis iris record: write an ISO/IEC 19794-6:2011 record
 * (cropped-and-masked images) from eye images, or describe one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afis-image-load.h"
#include "afis/afis-iris-record.h"
#include "cli-iris-util.h"

#define RECORD_MAX_BYTES (64u * 1024u * 1024u)

static int
record_read (const char *path)
{
  AfisIrisRecordImage images[AFIS_IRIS_RECORD_MAX_IMAGES];
  unsigned char *data;
  size_t size, n = 0;
  AfisStatus status;

  if (cli_iris_file_read (path, RECORD_MAX_BYTES, &data, &size) != 0)
    {
      fprintf (stderr, "rekam-afis iris record: %s: %s\n", path, strerror (errno));
      return 1;
    }
  status = afis_iris_record_read (data, size, images, &n);
  if (status != AFIS_OK)
    {
      fprintf (stderr, "rekam-afis iris record: %s: %s\n", path, afis_strerror (status));
      free (data);
      return 1;
    }
  printf ("representation\teye\ttype\twidth\theight\tiris_diameter\tcentre_x\tcentre_y\tquality\n");
  for (size_t i = 0; i < n; i++)
    printf ("%zu\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", i + 1,
            images[i].eye == 1 ? "right" : images[i].eye == 2 ? "left" : "undefined",
            images[i].image_type, images[i].width, images[i].height, images[i].iris_diameter,
            images[i].centre_x, images[i].centre_y, images[i].quality);
  free (data);
  return 0;
}

int
cli_iris_record (int argc, char **argv)
{
  AfisIrisRecordImage images[AFIS_IRIS_RECORD_MAX_IMAGES];
  uint8_t *crops[AFIS_IRIS_RECORD_MAX_IMAGES] = { 0 };
  const char *out = NULL;
  int n = 0, eye = 0, status = 1;

  if (argc == 3 && strcmp (argv[1], "--read") == 0)
    return record_read (argv[2]);
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "-o") == 0 && i + 1 < argc)
        out = argv[++i];
      else if (strcmp (argv[i], "--eye") == 0 && i + 1 < argc)
        {
          i++;
          eye = strcmp (argv[i], "right") == 0 ? 1 : strcmp (argv[i], "left") == 0 ? 2 : -1;
        }
    }
  if (out == NULL || eye < 0)
    {
      fprintf (stderr, "Usage: rekam-afis iris record [--eye left|right] IMAGE... -o FILE\n"
                       "       rekam-afis iris record --read FILE\n");
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      AfisCliImage image;
      AfisIrisSegmentation s;
      AfisIrisQuality q;
      AfisIrisReject reject = AFIS_IRIS_REJECT_NONE;
      char reason[256];
      size_t cap;

      if (strcmp (argv[i], "-o") == 0 || strcmp (argv[i], "--eye") == 0)
        {
          i++;
          continue;
        }
      if (n == AFIS_IRIS_RECORD_MAX_IMAGES)
        {
          fprintf (stderr, "rekam-afis iris record: at most %d images\n", AFIS_IRIS_RECORD_MAX_IMAGES);
          goto out;
        }
      if (afis_cli_image_load (argv[i], &image, reason, sizeof reason) != 0)
        {
          fprintf (stderr, "%s: %s\n", argv[i], reason);
          goto out;
        }
      AfisStatus st = afis_iris_segment (image.pixels, image.width, image.height, image.width, &s, &reject);
      if (st == AFIS_OK)
        st = afis_iris_quality (image.pixels, image.width, image.height, image.width, &s, &q);
      cap = (size_t) AFIS_IRIS_RECORD_MAX_SIDE * AFIS_IRIS_RECORD_MAX_SIDE;
      crops[n] = malloc (cap);
      if (st == AFIS_OK && crops[n] != NULL)
        st = afis_iris_record_crop (image.pixels, image.width, image.height, image.width, &s,
                                    crops[n], cap, &images[n]);
      afis_cli_image_clear (&image);
      if (st != AFIS_OK)
        {
          fprintf (stderr, "%s: %s\n", argv[i],
                   st == AFIS_ERROR_UNUSABLE_IMAGE ? afis_iris_reject_string (reject) : afis_strerror (st));
          n++;
          goto out;
        }
      images[n].eye = (uint8_t) eye;
      images[n].quality = (uint8_t) q.overall;
      n++;
    }
  if (n == 0)
    {
      fprintf (stderr, "Usage: rekam-afis iris record [--eye left|right] IMAGE... -o FILE\n");
      status = 2;
      goto out;
    }
  {
    size_t size = afis_iris_record_size (images, (size_t) n), written = 0;
    uint8_t *buffer = malloc (size);
    FILE *f;
    if (buffer == NULL
        || afis_iris_record_write (images, (size_t) n, buffer, size, &written) != AFIS_OK)
      {
        free (buffer);
        goto out;
      }
    f = fopen (out, "wb");
    if (f == NULL || fwrite (buffer, 1, written, f) != written)
      {
        fprintf (stderr, "rekam-afis iris record: %s: %s\n", out, strerror (errno));
        if (f)
          fclose (f);
        free (buffer);
        goto out;
      }
    if (fclose (f) != 0)
      {
        free (buffer);
        goto out;
      }
    free (buffer);
    status = 0;
  }
out:
  for (int i = 0; i < n; i++)
    free (crops[i]);
  return status;
}
