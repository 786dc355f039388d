/* Envelope: sign-then-encrypt, format in schemas/envelope.md. */
#include "rk-envelope.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Domain separation: a signature made for an envelope cannot be replayed
 * as a signature over anything else the station key signs. */
static const char signature_context[] = "rekam-envelope-v1";

#define SEALED_KEY_BYTES (crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES)
#define STREAM_HEADER_BYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SIGNATURE_BYTES crypto_sign_BYTES

const char *
rk_envelope_strerror (rk_envelope_status status)
{
  switch (status)
    {
    case RK_ENVELOPE_OK: return "success";
    case RK_ENVELOPE_ERR_ARGUMENT: return "invalid argument";
    case RK_ENVELOPE_ERR_NOMEM: return "out of memory";
    case RK_ENVELOPE_ERR_CRYPTO_INIT: return "libsodium failed to initialise";
    case RK_ENVELOPE_ERR_FORMAT: return "not a well-formed envelope";
    case RK_ENVELOPE_ERR_VERSION: return "unsupported envelope version";
    case RK_ENVELOPE_ERR_WRONG_KEY: return "envelope was made for other keys";
    case RK_ENVELOPE_ERR_DECRYPT: return "decryption failed (tampered or wrong key)";
    case RK_ENVELOPE_ERR_SIGNATURE: return "signature invalid";
    case RK_ENVELOPE_ERR_IO: return "key file I/O error";
    case RK_ENVELOPE_ERR_KEY_FILE: return "key file malformed or of the wrong kind";
    }
  return "unknown status";
}

rk_envelope_status
rk_envelope_init (void)
{
  return sodium_init () < 0 ? RK_ENVELOPE_ERR_CRYPTO_INIT : RK_ENVELOPE_OK;
}

void
rk_envelope_key_id (const uint8_t *public_key, size_t length, uint8_t ret_id[RK_ENVELOPE_KEY_ID_BYTES])
{
  uint8_t hash[32];

  crypto_generichash (hash, sizeof hash, public_key, length, NULL, 0);
  memcpy (ret_id, hash, RK_ENVELOPE_KEY_ID_BYTES);
}

static void
put_be (uint8_t *p, uint64_t value, unsigned width)
{
  for (unsigned i = 0; i < width; i++)
    p[i] = (uint8_t) (value >> (8 * (width - 1 - i)));
}

static uint64_t
get_be (const uint8_t *p, unsigned width)
{
  uint64_t value = 0;

  for (unsigned i = 0; i < width; i++)
    value = (value << 8) | p[i];
  return value;
}

static size_t
n_chunks (uint64_t plaintext_length)
{
  return plaintext_length == 0 ? 1 : (size_t) ((plaintext_length + RK_ENVELOPE_CHUNK - 1) / RK_ENVELOPE_CHUNK);
}

static int
valid_id (const char *id)
{
  size_t n;

  if (id == NULL)
    return 0;
  n = strlen (id);
  if (n == 0 || n > RK_ENVELOPE_MAX_ID)
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char) id[i] < 0x21 || (unsigned char) id[i] > 0x7E)
      return 0;
  return 1;
}

rk_envelope_status
rk_envelope_seal (const uint8_t *plaintext, size_t length, const char *station_id, const char *record_id,
                  const uint8_t sign_secret[RK_ENVELOPE_SIGN_SECRET_BYTES],
                  const uint8_t recipient_public[RK_ENVELOPE_BOX_PUBLIC_BYTES], uint8_t **ret_envelope,
                  size_t *ret_length)
{
  size_t station_length, record_length, header_length, total, chunks;
  uint8_t stream_key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  uint8_t sign_public[crypto_sign_PUBLICKEYBYTES];
  crypto_secretstream_xchacha20poly1305_state stream;
  crypto_sign_state sign;
  uint8_t *out, *p;
  size_t signature_at;

  if ((plaintext == NULL && length > 0) || length > RK_ENVELOPE_MAX_PLAINTEXT || !valid_id (station_id)
      || !valid_id (record_id) || sign_secret == NULL || recipient_public == NULL || ret_envelope == NULL
      || ret_length == NULL)
    return RK_ENVELOPE_ERR_ARGUMENT;

  station_length = strlen (station_id);
  record_length = strlen (record_id);
  header_length = 4 + 1 + 1 + 2 + station_length + 2 + record_length + 8 + 8 + 8 + 4 + SEALED_KEY_BYTES
                  + STREAM_HEADER_BYTES + SIGNATURE_BYTES;
  chunks = n_chunks (length);
  total = header_length + length + chunks * crypto_secretstream_xchacha20poly1305_ABYTES;
  out = malloc (total);
  if (out == NULL)
    return RK_ENVELOPE_ERR_NOMEM;

  p = out;
  memcpy (p, RK_ENVELOPE_MAGIC, 4);
  p += 4;
  *p++ = RK_ENVELOPE_VERSION;
  *p++ = 0; /* flags */
  put_be (p, station_length, 2);
  p += 2;
  memcpy (p, station_id, station_length);
  p += station_length;
  put_be (p, record_length, 2);
  p += 2;
  memcpy (p, record_id, record_length);
  p += record_length;
  crypto_sign_ed25519_sk_to_pk (sign_public, sign_secret);
  rk_envelope_key_id (sign_public, sizeof sign_public, p);
  p += 8;
  rk_envelope_key_id (recipient_public, RK_ENVELOPE_BOX_PUBLIC_BYTES, p);
  p += 8;
  put_be (p, length, 8);
  p += 8;
  put_be (p, RK_ENVELOPE_CHUNK, 4);
  p += 4;

  /* a fresh symmetric key per record, sealed to Disdukcapil's key */
  crypto_secretstream_xchacha20poly1305_keygen (stream_key);
  if (crypto_box_seal (p, stream_key, sizeof stream_key, recipient_public) != 0)
    {
      sodium_memzero (stream_key, sizeof stream_key);
      free (out);
      return RK_ENVELOPE_ERR_ARGUMENT;
    }
  p += SEALED_KEY_BYTES;
  crypto_secretstream_xchacha20poly1305_init_push (&stream, p, stream_key);
  sodium_memzero (stream_key, sizeof stream_key);
  p += STREAM_HEADER_BYTES;

  /* Ed25519ph over context, header so far and the plaintext */
  signature_at = (size_t) (p - out);
  crypto_sign_init (&sign);
  crypto_sign_update (&sign, (const uint8_t *) signature_context, sizeof signature_context);
  crypto_sign_update (&sign, out, signature_at);
  if (length > 0)
    crypto_sign_update (&sign, plaintext, length);
  crypto_sign_final_create (&sign, p, NULL, sign_secret);
  p += SIGNATURE_BYTES;

  for (size_t i = 0; i < chunks; i++)
    {
      size_t offset = i * RK_ENVELOPE_CHUNK;
      size_t n = length - offset < RK_ENVELOPE_CHUNK ? length - offset : RK_ENVELOPE_CHUNK;
      unsigned char tag = i + 1 == chunks ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0;
      unsigned long long written = 0;
      /* the first chunk authenticates the whole clear header */
      crypto_secretstream_xchacha20poly1305_push (&stream, p, &written, length ? plaintext + offset : p, n,
                                                  i == 0 ? out : NULL, i == 0 ? header_length : 0, tag);
      p += written;
    }
  sodium_memzero (&stream, sizeof stream);
  if ((size_t) (p - out) != total)
    {
      free (out);
      return RK_ENVELOPE_ERR_FORMAT;
    }
  *ret_envelope = out;
  *ret_length = total;
  return RK_ENVELOPE_OK;
}

/* Parses the header; *ret_sealed points at the sealed key within it. */
static rk_envelope_status
parse_header (const uint8_t *envelope, size_t length, rk_envelope_info *info, size_t *ret_sealed_at)
{
  const uint8_t *p = envelope, *end = envelope + length;
  size_t n, chunks;
  uint64_t expected;

  memset (info, 0, sizeof *info);
  if (envelope == NULL || length < 8 || memcmp (p, RK_ENVELOPE_MAGIC, 4) != 0)
    return RK_ENVELOPE_ERR_FORMAT;
  info->version = p[4];
  if (info->version != RK_ENVELOPE_VERSION)
    return RK_ENVELOPE_ERR_VERSION;
  if (p[5] != 0)
    return RK_ENVELOPE_ERR_FORMAT;
  p += 6;
  n = (size_t) get_be (p, 2);
  p += 2;
  if (n == 0 || n > RK_ENVELOPE_MAX_ID || (size_t) (end - p) < n + 2)
    return RK_ENVELOPE_ERR_FORMAT;
  memcpy (info->station_id, p, n);
  p += n;
  n = (size_t) get_be (p, 2);
  p += 2;
  if (n == 0 || n > RK_ENVELOPE_MAX_ID || (size_t) (end - p) < n)
    return RK_ENVELOPE_ERR_FORMAT;
  memcpy (info->record_id, p, n);
  p += n;
  if ((size_t) (end - p) < 8 + 8 + 8 + 4 + SEALED_KEY_BYTES + STREAM_HEADER_BYTES + SIGNATURE_BYTES)
    return RK_ENVELOPE_ERR_FORMAT;
  memcpy (info->signer_key_id, p, 8);
  p += 8;
  memcpy (info->recipient_key_id, p, 8);
  p += 8;
  info->plaintext_length = get_be (p, 8);
  p += 8;
  if (get_be (p, 4) != RK_ENVELOPE_CHUNK || info->plaintext_length > RK_ENVELOPE_MAX_PLAINTEXT)
    return RK_ENVELOPE_ERR_FORMAT;
  p += 4;
  *ret_sealed_at = (size_t) (p - envelope);
  p += SEALED_KEY_BYTES + STREAM_HEADER_BYTES + SIGNATURE_BYTES;
  info->header_length = (size_t) (p - envelope);
  chunks = n_chunks (info->plaintext_length);
  expected = info->header_length + info->plaintext_length
             + (uint64_t) chunks * crypto_secretstream_xchacha20poly1305_ABYTES;
  if (expected != length)
    return RK_ENVELOPE_ERR_FORMAT;
  return RK_ENVELOPE_OK;
}

rk_envelope_status
rk_envelope_read_info (const uint8_t *envelope, size_t length, rk_envelope_info *ret_info)
{
  rk_envelope_info info;
  size_t sealed_at;
  rk_envelope_status status;

  if (ret_info == NULL)
    return RK_ENVELOPE_ERR_ARGUMENT;
  status = parse_header (envelope, length, &info, &sealed_at);
  if (status == RK_ENVELOPE_OK)
    *ret_info = info;
  return status;
}

rk_envelope_status
rk_envelope_open (const uint8_t *envelope, size_t length,
                  const uint8_t station_public[RK_ENVELOPE_SIGN_PUBLIC_BYTES],
                  const uint8_t recipient_public[RK_ENVELOPE_BOX_PUBLIC_BYTES],
                  const uint8_t recipient_secret[RK_ENVELOPE_BOX_SECRET_BYTES], uint8_t **ret_plaintext,
                  size_t *ret_length, rk_envelope_info *ret_info)
{
  rk_envelope_info info;
  size_t sealed_at, chunks, signature_at;
  uint8_t key_id[RK_ENVELOPE_KEY_ID_BYTES];
  uint8_t stream_key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  crypto_secretstream_xchacha20poly1305_state stream;
  crypto_sign_state sign;
  const uint8_t *p;
  uint8_t *plaintext;
  rk_envelope_status status;

  if (station_public == NULL || recipient_public == NULL || recipient_secret == NULL
      || ret_plaintext == NULL || ret_length == NULL)
    return RK_ENVELOPE_ERR_ARGUMENT;
  status = parse_header (envelope, length, &info, &sealed_at);
  if (status != RK_ENVELOPE_OK)
    return status;
  rk_envelope_key_id (station_public, RK_ENVELOPE_SIGN_PUBLIC_BYTES, key_id);
  if (memcmp (key_id, info.signer_key_id, sizeof key_id) != 0)
    return RK_ENVELOPE_ERR_WRONG_KEY;
  rk_envelope_key_id (recipient_public, RK_ENVELOPE_BOX_PUBLIC_BYTES, key_id);
  if (memcmp (key_id, info.recipient_key_id, sizeof key_id) != 0)
    return RK_ENVELOPE_ERR_WRONG_KEY;

  if (crypto_box_seal_open (stream_key, envelope + sealed_at, SEALED_KEY_BYTES, recipient_public,
                            recipient_secret) != 0)
    return RK_ENVELOPE_ERR_DECRYPT;
  if (crypto_secretstream_xchacha20poly1305_init_pull (&stream, envelope + sealed_at + SEALED_KEY_BYTES,
                                                       stream_key) != 0)
    {
      sodium_memzero (stream_key, sizeof stream_key);
      return RK_ENVELOPE_ERR_DECRYPT;
    }
  sodium_memzero (stream_key, sizeof stream_key);

  plaintext = malloc (info.plaintext_length + 1);
  if (plaintext == NULL)
    return RK_ENVELOPE_ERR_NOMEM;
  chunks = n_chunks (info.plaintext_length);
  p = envelope + info.header_length;
  for (size_t i = 0; i < chunks; i++)
    {
      size_t offset = i * RK_ENVELOPE_CHUNK;
      size_t n = info.plaintext_length - offset < RK_ENVELOPE_CHUNK ? info.plaintext_length - offset
                                                                     : RK_ENVELOPE_CHUNK;
      unsigned long long got = 0;
      unsigned char tag = 0;
      if (crypto_secretstream_xchacha20poly1305_pull (&stream, plaintext + offset, &got, &tag, p,
                                                      n + crypto_secretstream_xchacha20poly1305_ABYTES,
                                                      i == 0 ? envelope : NULL, i == 0 ? info.header_length : 0)
            != 0
          || got != n
          || (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) != (i + 1 == chunks))
        {
          /* a dropped, reordered or truncated chunk fails here too */
          sodium_memzero (&stream, sizeof stream);
          sodium_memzero (plaintext, info.plaintext_length);
          free (plaintext);
          return RK_ENVELOPE_ERR_DECRYPT;
        }
      p += n + crypto_secretstream_xchacha20poly1305_ABYTES;
    }
  sodium_memzero (&stream, sizeof stream);

  signature_at = info.header_length - SIGNATURE_BYTES;
  crypto_sign_init (&sign);
  crypto_sign_update (&sign, (const uint8_t *) signature_context, sizeof signature_context);
  crypto_sign_update (&sign, envelope, signature_at);
  if (info.plaintext_length > 0)
    crypto_sign_update (&sign, plaintext, info.plaintext_length);
  if (crypto_sign_final_verify (&sign, envelope + signature_at, station_public) != 0)
    {
      sodium_memzero (plaintext, info.plaintext_length);
      free (plaintext);
      return RK_ENVELOPE_ERR_SIGNATURE;
    }
  *ret_plaintext = plaintext;
  *ret_length = info.plaintext_length;
  if (ret_info)
    *ret_info = info;
  return RK_ENVELOPE_OK;
}

/* --- key files ------------------------------------------------------- */

static int
is_secret_kind (const char *kind)
{
  return strstr (kind, "-secret") != NULL;
}

rk_envelope_status
rk_envelope_key_save (const char *path, const char *kind, const uint8_t *key, size_t length,
                      const uint8_t *public_key, size_t public_length)
{
  char b64[256], id_hex[2 * RK_ENVELOPE_KEY_ID_BYTES + 1], line[400];
  uint8_t id[RK_ENVELOPE_KEY_ID_BYTES];
  int fd, n;
  ssize_t written;

  if (path == NULL || kind == NULL || key == NULL || length == 0 || length > 64 || public_key == NULL)
    return RK_ENVELOPE_ERR_ARGUMENT;
  rk_envelope_key_id (public_key, public_length, id);
  sodium_bin2hex (id_hex, sizeof id_hex, id, sizeof id);
  sodium_bin2base64 (b64, sizeof b64, key, length, sodium_base64_VARIANT_ORIGINAL);
  n = snprintf (line, sizeof line, "%s %s %s\n", kind, id_hex, b64);
  sodium_memzero (b64, sizeof b64);
  /* O_EXCL: a key is never silently replaced; rotation writes a new file */
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, is_secret_kind (kind) ? 0600 : 0644);
  if (fd < 0)
    {
      sodium_memzero (line, sizeof line);
      return RK_ENVELOPE_ERR_IO;
    }
  written = write (fd, line, (size_t) n);
  sodium_memzero (line, sizeof line);
  if (written != n || fsync (fd) != 0)
    {
      close (fd);
      unlink (path);
      return RK_ENVELOPE_ERR_IO;
    }
  if (close (fd) != 0)
    return RK_ENVELOPE_ERR_IO;
  return RK_ENVELOPE_OK;
}

rk_envelope_status
rk_envelope_key_load (const char *path, const char *kind, uint8_t *ret_key, size_t length)
{
  char line[400], *space1, *space2, *newline;
  uint8_t key[64];
  size_t key_length = 0;
  ssize_t n;
  int fd;

  if (path == NULL || kind == NULL || ret_key == NULL || length == 0 || length > sizeof key)
    return RK_ENVELOPE_ERR_ARGUMENT;
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return RK_ENVELOPE_ERR_IO;
  n = read (fd, line, sizeof line - 1);
  close (fd);
  if (n <= 0)
    return RK_ENVELOPE_ERR_KEY_FILE;
  line[n] = '\0';
  newline = strchr (line, '\n');
  if (newline)
    *newline = '\0';
  space1 = strchr (line, ' ');
  space2 = space1 ? strchr (space1 + 1, ' ') : NULL;
  if (space1 == NULL || space2 == NULL || (size_t) (space1 - line) != strlen (kind)
      || memcmp (line, kind, strlen (kind)) != 0)
    {
      sodium_memzero (line, sizeof line);
      return RK_ENVELOPE_ERR_KEY_FILE;
    }
  if (sodium_base642bin (key, sizeof key, space2 + 1, strlen (space2 + 1), NULL, &key_length, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0
      || key_length != length)
    {
      sodium_memzero (line, sizeof line);
      sodium_memzero (key, sizeof key);
      return RK_ENVELOPE_ERR_KEY_FILE;
    }
  sodium_memzero (line, sizeof line);
  memcpy (ret_key, key, length);
  sodium_memzero (key, sizeof key);
  return RK_ENVELOPE_OK;
}

rk_envelope_status
rk_envelope_keygen (const char *path, const char *kind_prefix)
{
  uint8_t public_key[32], secret_key[64];
  size_t secret_length;
  char kind[32], public_path[4096];
  rk_envelope_status status;

  if (path == NULL || kind_prefix == NULL)
    return RK_ENVELOPE_ERR_ARGUMENT;
  if (strcmp (kind_prefix, "ed25519") == 0)
    {
      crypto_sign_keypair (public_key, secret_key);
      secret_length = crypto_sign_SECRETKEYBYTES;
    }
  else if (strcmp (kind_prefix, "x25519") == 0)
    {
      crypto_box_keypair (public_key, secret_key);
      secret_length = crypto_box_SECRETKEYBYTES;
    }
  else
    return RK_ENVELOPE_ERR_ARGUMENT;
  if ((size_t) snprintf (public_path, sizeof public_path, "%s.pub", path) >= sizeof public_path)
    return RK_ENVELOPE_ERR_ARGUMENT;
  snprintf (kind, sizeof kind, "%s-secret", kind_prefix);
  status = rk_envelope_key_save (path, kind, secret_key, secret_length, public_key, sizeof public_key);
  sodium_memzero (secret_key, sizeof secret_key);
  if (status != RK_ENVELOPE_OK)
    return status;
  snprintf (kind, sizeof kind, "%s-public", kind_prefix);
  status = rk_envelope_key_save (public_path, kind, public_key, sizeof public_key, public_key,
                                 sizeof public_key);
  if (status != RK_ENVELOPE_OK)
    unlink (path);
  return status;
}
