/* Fuzz target: the receiving side of the envelope. Any input must be
 * rejected cleanly (or, never in practice, open): no read past the input,
 * no plaintext handed out unless everything verified. Keys are fixed so
 * runs repeat; a valid envelope made with them seeds the mutations. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rk-envelope.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static uint8_t station_public[32], station_secret[64], recipient_public[32], recipient_secret[32];
static int ready;

static void
setup (void)
{
  uint8_t seed[32];

  if (sodium_init () < 0)
    abort ();
  memset (seed, 7, sizeof seed);
  crypto_sign_seed_keypair (station_public, station_secret, seed);
  memset (seed, 9, sizeof seed);
  crypto_box_seed_keypair (recipient_public, recipient_secret, seed);
  ready = 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  rk_envelope_info info;
  uint8_t *plaintext = NULL;
  size_t length = 0;

  if (!ready)
    setup ();
  (void) rk_envelope_read_info (data, size, &info);
  if (rk_envelope_open (data, size, station_public, recipient_public, recipient_secret, &plaintext, &length,
                        &info) == RK_ENVELOPE_OK)
    {
      if (plaintext == NULL && length > 0)
        abort ();
      free (plaintext);
    }
  else if (plaintext != NULL)
    abort ();
  /* a fresh envelope over the input must always open again */
  if (size < 4096)
    {
      uint8_t *envelope = NULL;
      size_t envelope_length = 0;
      if (rk_envelope_seal (data, size, "S", "R", station_secret, recipient_public, &envelope, &envelope_length)
            != RK_ENVELOPE_OK
          || rk_envelope_open (envelope, envelope_length, station_public, recipient_public, recipient_secret,
                               &plaintext, &length, NULL) != RK_ENVELOPE_OK
          || length != size || (size > 0 && memcmp (plaintext, data, size) != 0))
        abort ();
      free (plaintext);
      free (envelope);
    }
  return 0;
}
