/* Fuzz: ISO/IEC 19794-6 records and our template files must be parsed
 * or refused, never read out of bounds. The first run also feeds a valid
 * record (written here) so mutations start from deep inside the format. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "afis/afis-iris-code.h"
#include "afis/afis-iris-record.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
parse (const uint8_t *data, size_t size)
{
  AfisIrisRecordImage images[AFIS_IRIS_RECORD_MAX_IMAGES];
  AfisIrisTemplate t;
  size_t n = 0;

  if (afis_iris_record_read (data, size, images, &n) == AFIS_OK)
    {
      /* touch every pixel the reader claims: ASan checks the bounds */
      unsigned sum = 0;
      for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < (size_t) images[i].width * (size_t) images[i].height; k++)
          sum += images[i].pixels[k];
      if (sum == 0xFFFFFFFFu)
        abort ();
    }
  if (afis_iris_template_deserialize (data, size, &t) == AFIS_OK)
    {
      double hd;
      if (afis_iris_template_match (&t, &t, &hd) != AFIS_OK || hd > 1.0)
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static int seeded;

  if (!seeded)
    {
      uint8_t pixels[40 * 30];
      AfisIrisRecordImage image = { 1, AFIS_IRIS_IMAGE_TYPE_CROPPED_AND_MASKED, 80, 40, 30, pixels, 50, 20, 15 };
      static uint8_t record[4096];
      size_t written = 0;
      seeded = 1;
      memset (pixels, 99, sizeof pixels);
      if (afis_iris_record_write (&image, 1, record, sizeof record, &written) != AFIS_OK)
        abort ();
      parse (record, written);
      /* and every truncation of it */
      for (size_t len = 0; len < written; len++)
        parse (record, len);
    }
  parse (data, size);
  return 0;
}
