/* rk-crypto.c: the station key and sealing with libsodium's secretbox. */
#include "rk-crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEAL_MAGIC "RKS1"

struct _RkStationKey {
  guint8 *bytes;   /* RK_STATION_KEY_BYTES in sodium_malloc'd (guarded) memory */
};

G_DEFINE_QUARK (rk-crypto-error-quark, rk_crypto_error)

G_STATIC_ASSERT (RK_STATION_KEY_BYTES == crypto_secretbox_KEYBYTES);
G_STATIC_ASSERT (RK_SEAL_OVERHEAD == 4 + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES);

static RkStationKey *
key_new (void)
{
  RkStationKey *key = g_new0 (RkStationKey, 1);

  key->bytes = sodium_malloc (RK_STATION_KEY_BYTES);
  g_assert (key->bytes != NULL);
  return key;
}

void
rk_station_key_free (RkStationKey *key)
{
  if (key == NULL)
    return;
  sodium_free (key->bytes);
  g_free (key);
}

static gboolean
read_key (const char *path, int fd, RkStationKey *key, GError **error)
{
  struct stat st;
  gsize done = 0;

  if (fstat (fd, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_KEY,
                   "cannot stat station key %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_KEY,
                   "station key %s is readable by others (mode %04o); it must be 0600",
                   path, (unsigned) (st.st_mode & 07777));
      return FALSE;
    }
  if (st.st_size != RK_STATION_KEY_BYTES)
    {
      g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_KEY,
                   "station key %s has %lld bytes, expected %d", path,
                   (long long) st.st_size, RK_STATION_KEY_BYTES);
      return FALSE;
    }
  while (done < RK_STATION_KEY_BYTES)
    {
      ssize_t n = read (fd, key->bytes + done, RK_STATION_KEY_BYTES - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_KEY,
                       "cannot read station key %s", path);
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* Writes a new key to a temporary file, fsyncs and links it into place, so
 * a crash never leaves a short key file that would fail every later start. */
static gboolean
create_key (const char *path, RkStationKey *key, GError **error)
{
  g_autofree char *tmp = g_strconcat (path, ".new", NULL);
  gsize done = 0;
  int fd;

  randombytes_buf (key->bytes, RK_STATION_KEY_BYTES);
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_FAILED,
                   "cannot create station key %s: %s", tmp, g_strerror (saved));
      return FALSE;
    }
  while (done < RK_STATION_KEY_BYTES)
    {
      ssize_t n = write (fd, key->bytes + done, RK_STATION_KEY_BYTES - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          close (fd);
          g_unlink (tmp);
          g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_FAILED,
                       "cannot write station key %s: %s", tmp, g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_FAILED,
                   "cannot sync station key %s: %s", tmp, g_strerror (saved));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_FAILED,
                   "cannot install station key %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

RkStationKey *
rk_station_key_load_or_create (const char *path, GError **error)
{
  g_autoptr(RkStationKey) key = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_FAILED,
                           "libsodium cannot initialise");
      return NULL;
    }
  key = key_new ();
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 && errno == ENOENT)
    {
      if (!create_key (path, key, error))
        return NULL;
      g_info ("created station key %s", path);
      return g_steal_pointer (&key);
    }
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_KEY,
                   "cannot open station key %s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (!read_key (path, fd, key, error))
    {
      close (fd);
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&key);
}

void
rk_station_key_derive (RkStationKey *key, guint64 id, const char *context, guint8 *ret_subkey,
                       gsize len)
{
  g_return_if_fail (key != NULL && context != NULL && strlen (context) == crypto_kdf_CONTEXTBYTES);
  g_return_if_fail (len >= crypto_kdf_BYTES_MIN && len <= crypto_kdf_BYTES_MAX);
  crypto_kdf_derive_from_key (ret_subkey, len, id, context, key->bytes);
}

guint8 *
rk_station_key_seal (RkStationKey *key, const guint8 *plaintext, gsize len, gsize *ret_len)
{
  guint8 *out;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (plaintext != NULL || len == 0, NULL);
  g_return_val_if_fail (len <= G_MAXSIZE - RK_SEAL_OVERHEAD, NULL);

  out = g_malloc (len + RK_SEAL_OVERHEAD);
  memcpy (out, SEAL_MAGIC, 4);
  randombytes_buf (out + 4, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (out + 4 + crypto_secretbox_NONCEBYTES,
                         plaintext != NULL ? plaintext : (const guint8 *) "", len,
                         out + 4, key->bytes);
  if (ret_len != NULL)
    *ret_len = len + RK_SEAL_OVERHEAD;
  return out;
}

guint8 *
rk_station_key_open (RkStationKey *key, const guint8 *sealed, gsize len, gsize *ret_len,
                     GError **error)
{
  g_autofree guint8 *out = NULL;
  gsize plain_len;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sealed == NULL || len < RK_SEAL_OVERHEAD || memcmp (sealed, SEAL_MAGIC, 4) != 0)
    {
      g_set_error (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_CORRUPT,
                   "sealed data is truncated or not in RKS1 format (%" G_GSIZE_FORMAT " bytes)",
                   len);
      return NULL;
    }
  plain_len = len - RK_SEAL_OVERHEAD;
  /* One spare byte so an empty plaintext still gets a real allocation. */
  out = g_malloc (plain_len + 1);
  if (crypto_secretbox_open_easy (out, sealed + 4 + crypto_secretbox_NONCEBYTES,
                                  len - 4 - crypto_secretbox_NONCEBYTES,
                                  sealed + 4, key->bytes) != 0)
    {
      g_set_error_literal (error, RK_CRYPTO_ERROR, RK_CRYPTO_ERROR_CORRUPT,
                           "sealed data fails authentication (wrong key or altered)");
      return NULL;
    }
  if (ret_len != NULL)
    *ret_len = plain_len;
  return g_steal_pointer (&out);
}
