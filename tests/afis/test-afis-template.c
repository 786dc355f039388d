/* ISO/IEC 19794-2:2005 records: bit-exact round trips and rejection of
 * malformed input. */
#include <string.h>

#include "afis-test.h"
#include "afis/afis-template.h"

static AfisTemplate record, copy;
static uint8_t bytes[AFIS_TEMPLATE_MAX_SIZE], again[AFIS_TEMPLATE_MAX_SIZE];

static void
make_print (AfisFingerprint *print, int seed, int count)
{
  memset (print, 0, sizeof *print);
  print->width = 400;
  print->height = 500;
  print->quality = (uint8_t) (seed * 7 % 101);
  print->position = (uint8_t) (seed % 11);
  print->count = (uint16_t) count;
  for (int i = 0; i < count; i++)
    {
      AfisMinutia *m = &print->minutiae[i];
      m->x = (uint16_t) ((i * 37 + seed * 11) % 400);
      m->y = (uint16_t) ((i * 53 + seed * 5) % 500);
      m->angle = (uint8_t) (i * 29 + seed);
      m->type = (uint8_t) (i % 3);
      m->quality = (uint8_t) (i * 13 % 101);
    }
}

static size_t
encode (const AfisTemplate *t, uint8_t *out)
{
  size_t length = 0;
  if (afis_template_write (t, out, AFIS_TEMPLATE_MAX_SIZE, &length) != AFIS_OK)
    return 0;
  return length;
}

static void
template_round_trip_single (void)
{
  AfisFingerprint print;
  make_print (&print, 3, 40);
  CHECK (afis_template_from_print (&print, &record) == AFIS_OK);
  size_t n = encode (&record, bytes);
  CHECK (n == 24 + 4 + 40 * 6 + 2);
  CHECK (memcmp (bytes, "FMR\0 20\0", 8) == 0);
  CHECK (afis_template_read (bytes, n, &copy, NULL, 0) == AFIS_OK);
  CHECK (copy.views[0].minutia_count == 40);
  for (int i = 0; i < 40; i++)
    {
      CHECK (copy.views[0].minutiae[i].x == print.minutiae[i].x);
      CHECK (copy.views[0].minutiae[i].y == print.minutiae[i].y);
      CHECK (copy.views[0].minutiae[i].angle == print.minutiae[i].angle);
      CHECK (copy.views[0].minutiae[i].type == print.minutiae[i].type);
    }
  size_t m = encode (&copy, again);
  CHECK (m == n && memcmp (bytes, again, n) == 0);
}

static void
template_round_trip_multi_view_extended (void)
{
  AfisFingerprint print;
  record.view_count = 0;
  for (int v = 0; v < 10; v++)
    {
      make_print (&print, v + 1, 10 + v * 5);
      CHECK (afis_template_add_view (&record, &print) == AFIS_OK);
    }
  /* a ridge-count area and a vendor area travel verbatim */
  static const uint8_t ext[] = { 0x00, 0x01, 0x00, 0x03, 0x01, 0x02, 0x05,
                                 0x01, 0x07, 0x00, 0x02, 0xab, 0xcd };
  memcpy (record.views[4].extended, ext, sizeof ext);
  record.views[4].extended_length = sizeof ext;
  record.certification = 5;
  record.device_type = 0x123;
  size_t n = encode (&record, bytes);
  CHECK (n > 0);
  char reason[128] = "";
  CHECK (afis_template_read (bytes, n, &copy, reason, sizeof reason) == AFIS_OK);
  CHECK (copy.view_count == 10);
  CHECK (copy.certification == 5 && copy.device_type == 0x123);
  CHECK (copy.views[4].extended_length == sizeof ext);
  CHECK (memcmp (copy.views[4].extended, ext, sizeof ext) == 0);
  size_t m = encode (&copy, again);
  CHECK (m == n && memcmp (bytes, again, n) == 0);
}

static AfisStatus
read_modified (size_t n, size_t at, uint8_t value)
{
  memcpy (again, bytes, n);
  again[at] = value;
  return afis_template_read (again, n, &copy, NULL, 0);
}

static void
template_rejects_malformed (void)
{
  AfisFingerprint print;
  make_print (&print, 2, 12);
  CHECK (afis_template_from_print (&print, &record) == AFIS_OK);
  static const uint8_t ext[] = { 0x00, 0x02, 0x00, 0x01, 0x00 };
  memcpy (record.views[0].extended, ext, sizeof ext);
  record.views[0].extended_length = sizeof ext;
  size_t n = encode (&record, bytes);
  CHECK (n > 0);
  /* every truncation, and every extension, is refused */
  for (size_t cut = 0; cut < n; cut++)
    CHECK (afis_template_read (bytes, cut, &copy, NULL, 0) != AFIS_OK);
  memcpy (again, bytes, n);
  again[n] = 0;
  CHECK (afis_template_read (again, n + 1, &copy, NULL, 0) != AFIS_OK);
  char reason[128] = "";
  memcpy (again, bytes, n);
  again[0] = 'X';
  CHECK (afis_template_read (again, n, &copy, reason, sizeof reason) == AFIS_ERROR_MALFORMED_RECORD);
  CHECK (strlen (reason) > 0);
  CHECK (read_modified (n, 5, '3') == AFIS_ERROR_UNSUPPORTED);  /* version */
  CHECK (read_modified (n, 11, (uint8_t) (n + 1)) != AFIS_OK);     /* length field */
  CHECK (read_modified (n, 22, 0) != AFIS_OK);                    /* no views */
  CHECK (read_modified (n, 22, 2) != AFIS_OK);                    /* views missing */
  CHECK (read_modified (n, 23, 1) != AFIS_OK);                    /* reserved byte */
  CHECK (read_modified (n, 24, 15) != AFIS_OK);                   /* finger position */
  CHECK (read_modified (n, 25, 0x05) != AFIS_OK);                 /* impression type */
  CHECK (read_modified (n, 26, 101) != AFIS_OK);                  /* view quality */
  CHECK (read_modified (n, 27, 13) != AFIS_OK);                   /* minutia count */
  CHECK (read_modified (n, 28, (uint8_t) (0xc0 | bytes[28])) != AFIS_OK); /* type 3 */
  CHECK (read_modified (n, 30, (uint8_t) (0x40 | bytes[30])) != AFIS_OK); /* reserved bits */
  CHECK (read_modified (n, 28, (uint8_t) ((bytes[28] & 0xc0) | 0x3f)) != AFIS_OK); /* x outside */
  CHECK (read_modified (n, 33, 101) != AFIS_OK);                  /* minutia quality */
  size_t ext_at = 24 + 4 + 12 * 6;
  CHECK (read_modified (n, ext_at + 1, 4) != AFIS_OK);            /* block length */
  CHECK (read_modified (n, ext_at + 3, 0) != AFIS_OK);            /* area type 0 */
  CHECK (read_modified (n, ext_at + 5, 2) != AFIS_OK);            /* area length */
  /* a failed read leaves the output untouched */
  memset (&copy, 0x5a, sizeof copy);
  CHECK (read_modified (n, 0, 'Y') != AFIS_OK);
  CHECK (copy.view_count == 0x5a);
  /* the writer refuses what the reader would refuse */
  record.views[0].minutiae[0].type = 3;
  size_t length;
  CHECK (afis_template_write (&record, bytes, sizeof bytes, &length) == AFIS_ERROR_INVALID_ARGUMENT);
  record.views[0].minutiae[0].type = 1;
  CHECK (afis_template_write (&record, bytes, 10, &length) == AFIS_ERROR_BUFFER_TOO_SMALL);
}

static void
template_rescales_foreign_resolution (void)
{
  AfisFingerprint print;
  make_print (&print, 1, 5);
  CHECK (afis_template_from_print (&print, &record) == AFIS_OK);
  record.resolution_x = record.resolution_y = 394; /* 1000 ppi */
  AfisFingerprint back;
  CHECK (afis_template_view_print (&record, 0, &back) == AFIS_OK);
  for (int i = 0; i < 5; i++)
    {
      CHECK (abs (back.minutiae[i].x * 2 - print.minutiae[i].x) <= 1);
      CHECK (abs (back.minutiae[i].y * 2 - print.minutiae[i].y) <= 1);
    }
}

int
main (void)
{
  RUN (template_round_trip_single);
  RUN (template_round_trip_multi_view_extended);
  RUN (template_rejects_malformed);
  RUN (template_rescales_foreign_resolution);
  return afis_test_failures ? 1 : 0;
}
