/* Fuzz target: the ISO/IEC 19794-2 reader on arbitrary bytes. Whatever it
 * accepts must encode back to the very same bytes, and its first view
 * must build a search template that matches itself without trouble. */
#include <stdlib.h>
#include <string.h>

#include "afis/afis-template.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static AfisTemplate record;
  static uint8_t again[AFIS_TEMPLATE_MAX_SIZE];
  static AfisFingerprint print;
  char reason[128];
  if (afis_template_read (data, size, &record, reason, sizeof reason) != AFIS_OK)
    return 0;
  size_t length = 0;
  if (afis_template_write (&record, again, sizeof again, &length) != AFIS_OK || length != size
      || memcmp (again, data, size) != 0)
    abort ();
  if (afis_template_view_print (&record, 0, &print) != AFIS_OK)
    abort ();
  AfisSearchTemplate search;
  int score;
  if (afis_search_template_build (&print, &search) != AFIS_OK
      || afis_finger_match (&search, &search, &score) != AFIS_OK)
    abort ();
  return 0;
}
