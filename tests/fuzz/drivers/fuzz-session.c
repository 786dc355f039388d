/* Session files come from technicians' USB sticks and rekamctl uploads:
 * the parser must reject any input with an error, never crash or read
 * past the buffer. file: sources are refused (no base dir). */
#include <stddef.h>
#include <stdint.h>

#include "rki-session.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  RkiSession *session = rki_session_parse ((const char *) data, size, "/nonexistent", "fuzz", &error);

  if (session != NULL)
    {
      /* walk what was accepted */
      for (guint i = 0; i < rki_session_get_n_records (session); i++)
        {
          const RkiRecord *r = rki_session_get_record (session, i);
          if (r->image != NULL)
            (void) rki_image_mean (r->image);
        }
      rki_session_free (session);
    }
  g_clear_error (&error);
  return 0;
}
