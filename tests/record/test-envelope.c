#define _GNU_SOURCE /* memmem */
/* The envelope: the test plays Disdukcapil (verify + open) and an
 * attacker (tamper, truncate, swap keys). */
#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

#include "rk-envelope.h"

typedef struct {
  uint8_t station_public[32], station_secret[64];
  uint8_t recipient_public[32], recipient_secret[32];
} Keys;

static void
make_keys (Keys *keys)
{
  crypto_sign_keypair (keys->station_public, keys->station_secret);
  crypto_box_keypair (keys->recipient_public, keys->recipient_secret);
}

static GBytes *
random_plaintext (size_t length, guint32 seed)
{
  guint8 *data = g_malloc (length ? length : 1);
  GRand *rand = g_rand_new_with_seed (seed);

  for (size_t i = 0; i < length; i++)
    data[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  return g_bytes_new_take (data, length);
}

/* Sizes around the chunk boundary and a multi-chunk record. */
static void
test_roundtrip_sizes (void)
{
  static const size_t sizes[] = { 0, 1, 100, RK_ENVELOPE_CHUNK - 1, RK_ENVELOPE_CHUNK, RK_ENVELOPE_CHUNK + 1,
                                  3 * RK_ENVELOPE_CHUNK + 17 };
  Keys keys;

  make_keys (&keys);
  for (size_t i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) plain = random_plaintext (sizes[i], (guint32) i);
      uint8_t *envelope = NULL, *opened = NULL;
      size_t envelope_length = 0, opened_length = 0;
      rk_envelope_info info;
      g_assert_cmpint (rk_envelope_seal (g_bytes_get_data (plain, NULL), sizes[i], "367113-DESK1", "REC-42",
                                         keys.station_secret, keys.recipient_public, &envelope, &envelope_length),
                       ==, RK_ENVELOPE_OK);
      g_assert_cmpint (rk_envelope_read_info (envelope, envelope_length, &info), ==, RK_ENVELOPE_OK);
      g_assert_cmpstr (info.station_id, ==, "367113-DESK1");
      g_assert_cmpstr (info.record_id, ==, "REC-42");
      g_assert_cmpuint (info.plaintext_length, ==, sizes[i]);
      /* the plaintext does not appear in the clear */
      if (sizes[i] >= 100)
        g_assert_null (memmem (envelope, envelope_length, g_bytes_get_data (plain, NULL), 32));
      g_assert_cmpint (rk_envelope_open (envelope, envelope_length, keys.station_public, keys.recipient_public,
                                         keys.recipient_secret, &opened, &opened_length, &info),
                       ==, RK_ENVELOPE_OK);
      g_assert_cmpmem (opened, opened_length, g_bytes_get_data (plain, NULL), sizes[i]);
      free (opened);
      free (envelope);
    }
}

/* Flipping any byte, anywhere, makes the envelope fail to open. */
static void
test_tamper_every_region (void)
{
  Keys keys;
  g_autoptr(GBytes) plain = random_plaintext (RK_ENVELOPE_CHUNK + 500, 1);
  uint8_t *envelope = NULL;
  size_t length = 0;

  make_keys (&keys);
  g_assert_cmpint (rk_envelope_seal (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), "S", "R",
                                     keys.station_secret, keys.recipient_public, &envelope, &length),
                   ==, RK_ENVELOPE_OK);
  for (size_t at = 0; at < length; at += (at < 300 ? 1 : 211))
    {
      uint8_t *copy = g_memdup2 (envelope, length);
      uint8_t *opened = NULL;
      size_t opened_length = 0;
      rk_envelope_status status;
      copy[at] ^= 0x01;
      status = rk_envelope_open (copy, length, keys.station_public, keys.recipient_public, keys.recipient_secret,
                                 &opened, &opened_length, NULL);
      if (status == RK_ENVELOPE_OK)
        g_error ("flipping byte %zu went unnoticed", at);
      g_assert_null (opened);
      g_free (copy);
    }
  /* truncation and extension */
  for (size_t cut = 0; cut < length; cut += 997)
    {
      uint8_t *opened = NULL;
      size_t opened_length = 0;
      g_assert_cmpint (rk_envelope_open (envelope, cut, keys.station_public, keys.recipient_public,
                                         keys.recipient_secret, &opened, &opened_length, NULL), !=, RK_ENVELOPE_OK);
    }
  free (envelope);
}

/* A transplanted signature (another station's key) or another
 * recipient's key is refused. */
static void
test_wrong_keys (void)
{
  Keys keys, other;
  uint8_t *envelope = NULL, *opened = NULL;
  size_t length = 0, opened_length = 0;

  make_keys (&keys);
  make_keys (&other);
  g_assert_cmpint (rk_envelope_seal ((const uint8_t *) "abc", 3, "S", "R", keys.station_secret,
                                     keys.recipient_public, &envelope, &length), ==, RK_ENVELOPE_OK);
  g_assert_cmpint (rk_envelope_open (envelope, length, other.station_public, keys.recipient_public,
                                     keys.recipient_secret, &opened, &opened_length, NULL), ==,
                   RK_ENVELOPE_ERR_WRONG_KEY);
  g_assert_cmpint (rk_envelope_open (envelope, length, keys.station_public, other.recipient_public,
                                     other.recipient_secret, &opened, &opened_length, NULL), ==,
                   RK_ENVELOPE_ERR_WRONG_KEY);
  /* right key ids, wrong secret: the sealed key does not open */
  g_assert_cmpint (rk_envelope_open (envelope, length, keys.station_public, keys.recipient_public,
                                     other.recipient_secret, &opened, &opened_length, NULL), ==,
                   RK_ENVELOPE_ERR_DECRYPT);
  g_assert_null (opened);
  free (envelope);
}

/* A signature made with a key whose id matches but that did not sign:
 * the attacker re-encrypts someone's plaintext under a forged signature. */
static void
test_forged_signature (void)
{
  Keys keys, attacker;
  uint8_t *envelope = NULL, *opened = NULL;
  size_t length = 0, opened_length = 0;

  make_keys (&keys);
  make_keys (&attacker);
  /* attacker signs with its own key but claims the station's key id */
  g_assert_cmpint (rk_envelope_seal ((const uint8_t *) "forged", 6, "S", "R", attacker.station_secret,
                                     keys.recipient_public, &envelope, &length), ==, RK_ENVELOPE_OK);
  {
    rk_envelope_info info;
    uint8_t id[8];
    g_assert_cmpint (rk_envelope_read_info (envelope, length, &info), ==, RK_ENVELOPE_OK);
    rk_envelope_key_id (keys.station_public, 32, id);
    /* station "S", record "R": signer key id at 4+1+1+2+1+2+1 = 12 */
    memcpy (envelope + 12, id, 8);
  }
  g_assert_cmpint (rk_envelope_open (envelope, length, keys.station_public, keys.recipient_public,
                                     keys.recipient_secret, &opened, &opened_length, NULL), !=, RK_ENVELOPE_OK);
  g_assert_null (opened);
  free (envelope);
}

static void
test_key_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("envelope-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "station.key", NULL);
  g_autofree char *pub = g_build_filename (dir, "station.key.pub", NULL);
  uint8_t secret[64], public_key[32], derived[32];
  struct stat st;
  g_autofree char *contents = NULL;

  g_assert_cmpint (rk_envelope_keygen (path, "ed25519"), ==, RK_ENVELOPE_OK);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (pub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  /* never replaced */
  g_assert_cmpint (rk_envelope_keygen (path, "ed25519"), ==, RK_ENVELOPE_ERR_IO);
  g_assert_cmpint (rk_envelope_key_load (path, "ed25519-secret", secret, sizeof secret), ==, RK_ENVELOPE_OK);
  g_assert_cmpint (rk_envelope_key_load (pub, "ed25519-public", public_key, sizeof public_key), ==, RK_ENVELOPE_OK);
  crypto_sign_ed25519_sk_to_pk (derived, secret);
  g_assert_cmpmem (derived, 32, public_key, 32);
  /* the wrong kind is refused */
  g_assert_cmpint (rk_envelope_key_load (pub, "ed25519-secret", secret, sizeof secret), ==,
                   RK_ENVELOPE_ERR_KEY_FILE);
  g_assert_cmpint (rk_envelope_key_load (path, "x25519-secret", secret, 32), ==, RK_ENVELOPE_ERR_KEY_FILE);
  /* the public file names the key id the envelope carries */
  g_assert_true (g_file_get_contents (pub, &contents, NULL, NULL));
  {
    uint8_t id[8];
    char hex[17];
    rk_envelope_key_id (public_key, 32, id);
    sodium_bin2hex (hex, sizeof hex, id, sizeof id);
    g_assert_nonnull (strstr (contents, hex));
  }
  g_unlink (path);
  g_unlink (pub);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (rk_envelope_init (), ==, RK_ENVELOPE_OK);
  g_test_add_func ("/envelope/roundtrip-sizes", test_roundtrip_sizes);
  g_test_add_func ("/envelope/tamper-every-region", test_tamper_every_region);
  g_test_add_func ("/envelope/wrong-keys", test_wrong_keys);
  g_test_add_func ("/envelope/forged-signature", test_forged_signature);
  g_test_add_func ("/envelope/key-files", test_key_files);
  return g_test_run ();
}
