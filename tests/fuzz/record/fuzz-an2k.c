/* Fuzz target: the ANSI/NIST-ITL reader and the profile check.
 * Whatever the input, decoding must not read out of bounds; a decoded
 * transaction must pass through the profile check and re-encode without
 * fault of ours (the encoder may refuse, never crash). */
#include <stdint.h>
#include <stdlib.h>

#include "an2k.h"

static an2k_profile *profile;

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  an2k_transaction *transaction = NULL;
  an2k_fault fault;
  uint8_t *out = NULL;
  size_t out_length = 0;

  if (profile == NULL && an2k_profile_new_default (&profile) != AN2K_OK)
    abort ();
  if (an2k_transaction_decode (data, size, &transaction, &fault) != AN2K_OK)
    return 0;
  (void) an2k_profile_check (profile, transaction, &fault);
  if (an2k_transaction_encode (transaction, &out, &out_length, &fault) == AN2K_OK)
    {
      /* what we wrote we must read back */
      an2k_transaction *again = NULL;
      if (an2k_transaction_decode (out, out_length, &again, &fault) != AN2K_OK)
        abort ();
      an2k_transaction_free (again);
      free (out);
    }
  an2k_transaction_free (transaction);
  return 0;
}
