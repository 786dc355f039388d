/* rk-crypto.h: the station key and at-rest encryption (libsodium).
 *
 * The station key is 32 random bytes in <state-dir>/station.key, mode
 * 0600, created on first start. Sealed data is
 *   "RKS1" (4) || nonce (24) || secretbox(MAC 16 || ciphertext)
 * so every blob names its format and can be opened without other state.
 * Sealing and opening only read the key: safe from worker threads. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RK_CRYPTO_ERROR (rk_crypto_error_quark ())
GQuark rk_crypto_error_quark (void);

typedef enum {
  RK_CRYPTO_ERROR_FAILED,    /* libsodium could not start, I/O error (500) */
  RK_CRYPTO_ERROR_KEY,       /* key file missing, wrong size or mode (500) */
  RK_CRYPTO_ERROR_CORRUPT,   /* sealed data truncated or forged (500) */
} RkCryptoError;

#define RK_STATION_KEY_BYTES 32
#define RK_SEAL_OVERHEAD     (4 + 24 + 16)

typedef struct _RkStationKey RkStationKey;

/* Loads path, or creates it (0600, in a 0700 directory) when absent.
 * Refuses a key file of the wrong size or readable by group/other. */
RkStationKey *rk_station_key_load_or_create (const char *path, GError **error);
void          rk_station_key_free           (RkStationKey *key);

/* Returns a new buffer (g_free) of len + RK_SEAL_OVERHEAD bytes. */
guint8 *rk_station_key_seal (RkStationKey *key, const guint8 *plaintext, gsize len,
                             gsize *ret_len);
/* Returns the plaintext (g_free) or NULL with RK_CRYPTO_ERROR_CORRUPT. */
guint8 *rk_station_key_open (RkStationKey *key, const guint8 *sealed, gsize len,
                             gsize *ret_len, GError **error);

/* Derives a 32-byte subkey for one purpose (crypto_kdf): context is exactly
 * 8 characters naming the purpose ("rkaudit1"), id a number within it.
 * The station key itself never leaves this file. */
void rk_station_key_derive (RkStationKey *key, guint64 id, const char *context,
                            guint8 *ret_subkey, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkStationKey, rk_station_key_free)

/* The same with the running daemon's station key (see rk-daemon.h). */
typedef struct _RkDaemon RkDaemon;
guint8 *rk_station_seal (RkDaemon *daemon, const guint8 *plaintext, gsize len,
                         gsize *ret_len);
guint8 *rk_station_open (RkDaemon *daemon, const guint8 *sealed, gsize len,
                         gsize *ret_len, GError **error);

G_END_DECLS
