/* rk-envelope: a transaction signed by the station and encrypted for
 * Disdukcapil. The byte format is specified in schemas/envelope.md; this
 * is plain C over libsodium (no GLib) so the receiving side's steps can be
 * run from rekam-an2k and tests alike.
 *
 * Keys: the station signs with Ed25519 (64-byte secret key, 32-byte public
 * key); Disdukcapil receives with X25519 (crypto_box: 32-byte keys). Call
 * sodium_init() (rk_envelope_init()) before anything else.
 * Functions returning rk_envelope_status leave ret_ out-params untouched on
 * failure. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RK_ENVELOPE_VERSION 1
#define RK_ENVELOPE_MAGIC "RKEV"
#define RK_ENVELOPE_CHUNK 65536u
#define RK_ENVELOPE_KEY_ID_BYTES 8
#define RK_ENVELOPE_MAX_ID 64u               /* station id, record id: bytes */
#define RK_ENVELOPE_MAX_PLAINTEXT (512u << 20)
#define RK_ENVELOPE_SIGN_PUBLIC_BYTES 32
#define RK_ENVELOPE_SIGN_SECRET_BYTES 64
#define RK_ENVELOPE_BOX_PUBLIC_BYTES 32
#define RK_ENVELOPE_BOX_SECRET_BYTES 32

typedef enum {
  RK_ENVELOPE_OK = 0,
  RK_ENVELOPE_ERR_ARGUMENT,
  RK_ENVELOPE_ERR_NOMEM,
  RK_ENVELOPE_ERR_CRYPTO_INIT,
  RK_ENVELOPE_ERR_FORMAT,     /* not an envelope, truncated, bad lengths */
  RK_ENVELOPE_ERR_VERSION,    /* a version this code does not read */
  RK_ENVELOPE_ERR_WRONG_KEY,  /* key ids do not match the keys given */
  RK_ENVELOPE_ERR_DECRYPT,    /* the sealed key or a chunk fails to open */
  RK_ENVELOPE_ERR_SIGNATURE,  /* decrypted, but the signature is invalid */
  RK_ENVELOPE_ERR_IO,         /* key file I/O */
  RK_ENVELOPE_ERR_KEY_FILE,   /* key file malformed or of the wrong kind */
} rk_envelope_status;

const char *rk_envelope_strerror (rk_envelope_status status);

/* The clear-text header fields of an envelope. */
typedef struct {
  unsigned version;
  char station_id[RK_ENVELOPE_MAX_ID + 1];
  char record_id[RK_ENVELOPE_MAX_ID + 1];
  uint8_t signer_key_id[RK_ENVELOPE_KEY_ID_BYTES];
  uint8_t recipient_key_id[RK_ENVELOPE_KEY_ID_BYTES];
  uint64_t plaintext_length;
  size_t header_length;
} rk_envelope_info;

rk_envelope_status rk_envelope_init (void);

/* Key id: the first 8 bytes of BLAKE2b-256 of a public key. */
void rk_envelope_key_id (const uint8_t *public_key, size_t length, uint8_t ret_id[RK_ENVELOPE_KEY_ID_BYTES]);

/* Builds an envelope. *ret_envelope is malloc()ed, owned by the caller. */
rk_envelope_status rk_envelope_seal (const uint8_t *plaintext, size_t length, const char *station_id,
                                     const char *record_id,
                                     const uint8_t sign_secret[RK_ENVELOPE_SIGN_SECRET_BYTES],
                                     const uint8_t recipient_public[RK_ENVELOPE_BOX_PUBLIC_BYTES],
                                     uint8_t **ret_envelope, size_t *ret_length);

/* Parses the clear header only (no keys needed). */
rk_envelope_status rk_envelope_read_info (const uint8_t *envelope, size_t length, rk_envelope_info *ret_info);

/* The receiving side: checks key ids, opens the sealed key, decrypts every
 * chunk (the header is authenticated with the first), then verifies the
 * station's signature over header and plaintext. The plaintext is handed
 * out only when all of that succeeded (*ret_plaintext malloc()ed). */
rk_envelope_status rk_envelope_open (const uint8_t *envelope, size_t length,
                                     const uint8_t station_public[RK_ENVELOPE_SIGN_PUBLIC_BYTES],
                                     const uint8_t recipient_public[RK_ENVELOPE_BOX_PUBLIC_BYTES],
                                     const uint8_t recipient_secret[RK_ENVELOPE_BOX_SECRET_BYTES],
                                     uint8_t **ret_plaintext, size_t *ret_length, rk_envelope_info *ret_info);

/* Key files: one line "<kind> <key id hex> <base64 key>\n"; kinds are
 * ed25519-public, ed25519-secret, x25519-public, x25519-secret. Secret key
 * files are created 0600 with O_EXCL (an existing file is never replaced),
 * written, fsynced; public ones 0644. */
rk_envelope_status rk_envelope_key_save (const char *path, const char *kind, const uint8_t *key,
                                         size_t length, const uint8_t *public_key, size_t public_length);
rk_envelope_status rk_envelope_key_load (const char *path, const char *kind, uint8_t *ret_key, size_t length);

/* Generates a key pair and saves both files (path and path + ".pub").
 * kind_prefix is "ed25519" or "x25519". */
rk_envelope_status rk_envelope_keygen (const char *path, const char *kind_prefix);

#ifdef __cplusplus
}
#endif
