/* rekam-an2k: ANSI/NIST-ITL transactions and envelopes without a daemon.
 *
 *   rekam-an2k dump FILE
 *   rekam-an2k validate [--profile PROFILE.tsv] FILE
 *   rekam-an2k build MANIFEST.json -o FILE
 *   rekam-an2k keygen ed25519|x25519 PATH           (PATH and PATH.pub)
 *   rekam-an2k envelope seal --station-key SECRET --recipient-key PUBLIC
 *                            --station-id ID --record-id ID FILE -o OUT
 *   rekam-an2k envelope info ENVELOPE
 *   rekam-an2k envelope verify --station-key PUBLIC --recipient-key SECRET ENVELOPE
 *   rekam-an2k envelope open --station-key PUBLIC --recipient-key SECRET ENVELOPE -o FILE
 *
 * Exit codes: 0 success / conforming, 1 not conforming or verification
 * failed, 2 usage, 3 I/O error. */
#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "an2k.h"
#include "rk-an2k-build.h"
#include "rk-envelope.h"

#define EXIT_FAULT 1
#define EXIT_USAGE 2
#define EXIT_IO 3

static int
usage (void)
{
  fprintf (stderr,
           "usage: rekam-an2k dump FILE\n"
           "       rekam-an2k validate [--profile PROFILE.tsv] FILE\n"
           "       rekam-an2k build MANIFEST.json -o FILE\n"
           "       rekam-an2k keygen ed25519|x25519 PATH\n"
           "       rekam-an2k envelope seal --station-key SECRET --recipient-key PUBLIC\n"
           "                  --station-id ID --record-id ID FILE -o OUT\n"
           "       rekam-an2k envelope info ENVELOPE\n"
           "       rekam-an2k envelope verify --station-key PUBLIC --recipient-key SECRET ENVELOPE\n"
           "       rekam-an2k envelope open --station-key PUBLIC --recipient-key SECRET ENVELOPE -o FILE\n");
  return EXIT_USAGE;
}

static gboolean
read_file (const char *path, char **ret_contents, gsize *ret_length)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, ret_contents, ret_length, &error))
    {
      fprintf (stderr, "rekam-an2k: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Writes atomically: temp file, fsync, rename (a half-written output never
 * carries the final name). */
static gboolean
write_file (const char *path, const void *data, gsize length)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents_full (path, data, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    {
      fprintf (stderr, "rekam-an2k: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Prints a value: printable ASCII as is, separators as <RS>/<US>, UTF-8
 * passes through, other bytes as \xNN. */
static void
print_value (const an2k_field *field)
{
  for (size_t i = 0; i < field->length; i++)
    {
      guint8 c = field->value[i];
      if (c == AN2K_RS)
        fputs ("<RS>", stdout);
      else if (c == AN2K_US)
        fputs ("<US>", stdout);
      else if (c >= 0x20 && c != 0x7F)
        putchar (c);
      else
        printf ("\\x%02X", c);
    }
}

static int
command_dump (int argc, char **argv)
{
  g_autofree char *contents = NULL;
  gsize length;
  an2k_transaction *transaction = NULL;
  an2k_profile *profile = NULL;
  an2k_fault fault = { 0 };

  if (argc != 2)
    return usage ();
  if (!read_file (argv[1], &contents, &length))
    return EXIT_IO;
  if (an2k_transaction_decode ((const uint8_t *) contents, length, &transaction, &fault) != AN2K_OK)
    {
      g_autofree char *text = rk_an2k_fault_to_string (&fault, NULL);
      fprintf (stderr, "rekam-an2k: %s: %s\n", argv[1], text);
      return EXIT_FAULT;
    }
  (void) an2k_profile_new_default (&profile);
  for (size_t r = 0; r < an2k_transaction_get_n_records (transaction); r++)
    {
      an2k_record *record = an2k_transaction_get_record (transaction, r);
      unsigned type = an2k_record_get_type (record);
      size_t n = an2k_record_get_n_fields (record);
      for (size_t f = 0; f < n; f++)
        {
          const an2k_field *field = an2k_record_get_field_at (record, f);
          /* the image data: the last field of binary records, xx.999 of tagged ones */
          gboolean binary = an2k_type_is_binary (type) ? f + 1 == n : field->number == 999;
          const char *mnemonic = profile ? an2k_profile_get_mnemonic (profile, type, field->number) : NULL;
          printf ("%u.%03u:", type, field->number);
          if (binary)
            {
              guint8 hash[crypto_hash_sha256_BYTES];
              char hex[2 * sizeof hash + 1];
              crypto_hash_sha256 (hash, field->value, field->length);
              sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
              printf ("<binary %zu bytes sha256 %s>", field->length, hex);
            }
          else
            print_value (field);
          if (mnemonic)
            printf ("\t# %s", mnemonic);
          putchar ('\n');
        }
    }
  an2k_profile_free (profile);
  an2k_transaction_free (transaction);
  return 0;
}

static int
command_validate (int argc, char **argv)
{
  g_autofree char *contents = NULL;
  g_autofree char *profile_text = NULL;
  const char *profile_path = NULL, *file = NULL;
  gsize length, profile_length;
  an2k_transaction *transaction = NULL;
  an2k_profile *profile = NULL;
  an2k_fault fault = { 0 };
  an2k_status status;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--profile") && i + 1 < argc)
        profile_path = argv[++i];
      else if (file == NULL && argv[i][0] != '-')
        file = argv[i];
      else
        return usage ();
    }
  if (file == NULL)
    return usage ();
  if (profile_path)
    {
      if (!read_file (profile_path, &profile_text, &profile_length))
        return EXIT_IO;
      status = an2k_profile_parse (profile_text, profile_length, &profile, &fault);
    }
  else
    status = an2k_profile_new_default (&profile);
  if (status != AN2K_OK)
    {
      fprintf (stderr, "rekam-an2k: profile: %s\n", fault.message[0] ? fault.message : an2k_strerror (status));
      return EXIT_USAGE;
    }
  if (!read_file (file, &contents, &length))
    {
      an2k_profile_free (profile);
      return EXIT_IO;
    }
  status = an2k_transaction_decode ((const uint8_t *) contents, length, &transaction, &fault);
  if (status == AN2K_OK)
    status = an2k_profile_check (profile, transaction, &fault);
  if (status != AN2K_OK)
    {
      g_autofree char *text = rk_an2k_fault_to_string (&fault, profile);
      printf ("%s: NOT CONFORMING to %s: %s\n", file, an2k_profile_get_name (profile), text);
    }
  else
    printf ("%s: conforms to ANSI/NIST-ITL 1-2011 Update 2015, profile %s (%zu records)\n", file,
            an2k_profile_get_name (profile), an2k_transaction_get_n_records (transaction));
  an2k_transaction_free (transaction);
  an2k_profile_free (profile);
  return status == AN2K_OK ? 0 : EXIT_FAULT;
}

static int
command_build (int argc, char **argv)
{
  const char *manifest = NULL, *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(an2k_transaction) transaction = NULL;
  g_autoptr(GBytes) bytes = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "-o") && i + 1 < argc)
        output = argv[++i];
      else if (manifest == NULL && argv[i][0] != '-')
        manifest = argv[i];
      else
        return usage ();
    }
  if (manifest == NULL || output == NULL)
    return usage ();
  transaction = rk_an2k_build_from_file (manifest, &error);
  if (transaction != NULL)
    bytes = rk_an2k_encode_checked (transaction, &error);
  if (bytes == NULL)
    {
      fprintf (stderr, "rekam-an2k: %s: %s\n", manifest, error->message);
      return error->domain == RK_AN2K_BUILD_ERROR && error->code == RK_AN2K_BUILD_ERROR_IMAGE ? EXIT_IO
                                                                                              : EXIT_FAULT;
    }
  if (!write_file (output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)))
    return EXIT_IO;
  printf ("%s: %zu records, %zu bytes\n", output, an2k_transaction_get_n_records (transaction),
          g_bytes_get_size (bytes));
  return 0;
}

static int
command_keygen (int argc, char **argv)
{
  rk_envelope_status status;

  if (argc != 3 || (!g_str_equal (argv[1], "ed25519") && !g_str_equal (argv[1], "x25519")))
    return usage ();
  status = rk_envelope_keygen (argv[2], argv[1]);
  if (status != RK_ENVELOPE_OK)
    {
      fprintf (stderr, "rekam-an2k: %s: %s\n", argv[2], rk_envelope_strerror (status));
      return EXIT_IO;
    }
  printf ("%s (0600) and %s.pub written\n", argv[2], argv[2]);
  return 0;
}

typedef struct {
  const char *station_key;
  const char *recipient_key;
  const char *station_id;
  const char *record_id;
  const char *output;
  const char *input;
} EnvelopeArgs;

static gboolean
parse_envelope_args (int argc, char **argv, EnvelopeArgs *args)
{
  memset (args, 0, sizeof *args);
  for (int i = 2; i < argc; i++)
    {
      const char **slot = NULL;
      if (g_str_equal (argv[i], "--station-key"))
        slot = &args->station_key;
      else if (g_str_equal (argv[i], "--recipient-key"))
        slot = &args->recipient_key;
      else if (g_str_equal (argv[i], "--station-id"))
        slot = &args->station_id;
      else if (g_str_equal (argv[i], "--record-id"))
        slot = &args->record_id;
      else if (g_str_equal (argv[i], "-o"))
        slot = &args->output;
      else if (args->input == NULL && argv[i][0] != '-')
        {
          args->input = argv[i];
          continue;
        }
      if (slot == NULL || i + 1 >= argc)
        return FALSE;
      *slot = argv[++i];
    }
  return args->input != NULL;
}

static void
print_info (const rk_envelope_info *info)
{
  char signer[17], recipient[17];

  sodium_bin2hex (signer, sizeof signer, info->signer_key_id, sizeof info->signer_key_id);
  sodium_bin2hex (recipient, sizeof recipient, info->recipient_key_id, sizeof info->recipient_key_id);
  printf ("version: %u\nstation: %s\nrecord: %s\nsigner-key-id: %s\nrecipient-key-id: %s\n"
          "plaintext-bytes: %" G_GUINT64_FORMAT "\n",
          info->version, info->station_id, info->record_id, signer, recipient, info->plaintext_length);
}

static int
command_envelope (int argc, char **argv)
{
  EnvelopeArgs args;
  g_autofree char *contents = NULL;
  gsize length;
  rk_envelope_status status;
  rk_envelope_info info;

  if (argc < 3 || !parse_envelope_args (argc, argv, &args))
    return usage ();
  if (!read_file (args.input, &contents, &length))
    return EXIT_IO;

  if (g_str_equal (argv[1], "info"))
    {
      status = rk_envelope_read_info ((const uint8_t *) contents, length, &info);
      if (status != RK_ENVELOPE_OK)
        {
          fprintf (stderr, "rekam-an2k: %s: %s\n", args.input, rk_envelope_strerror (status));
          return EXIT_FAULT;
        }
      print_info (&info);
      return 0;
    }
  if (g_str_equal (argv[1], "seal"))
    {
      uint8_t secret[RK_ENVELOPE_SIGN_SECRET_BYTES], recipient[RK_ENVELOPE_BOX_PUBLIC_BYTES];
      uint8_t *out = NULL;
      size_t out_length = 0;
      if (!args.station_key || !args.recipient_key || !args.station_id || !args.record_id || !args.output)
        return usage ();
      if ((status = rk_envelope_key_load (args.station_key, "ed25519-secret", secret, sizeof secret)) != RK_ENVELOPE_OK
          || (status = rk_envelope_key_load (args.recipient_key, "x25519-public", recipient, sizeof recipient))
               != RK_ENVELOPE_OK)
        {
          fprintf (stderr, "rekam-an2k: key: %s\n", rk_envelope_strerror (status));
          return EXIT_IO;
        }
      status = rk_envelope_seal ((const uint8_t *) contents, length, args.station_id, args.record_id, secret,
                                 recipient, &out, &out_length);
      sodium_memzero (secret, sizeof secret);
      if (status != RK_ENVELOPE_OK)
        {
          fprintf (stderr, "rekam-an2k: seal: %s\n", rk_envelope_strerror (status));
          return EXIT_FAULT;
        }
      if (!write_file (args.output, out, out_length))
        {
          free (out);
          return EXIT_IO;
        }
      free (out);
      return 0;
    }
  if (g_str_equal (argv[1], "verify") || g_str_equal (argv[1], "open"))
    {
      uint8_t station[RK_ENVELOPE_SIGN_PUBLIC_BYTES], secret[RK_ENVELOPE_BOX_SECRET_BYTES];
      uint8_t recipient[RK_ENVELOPE_BOX_PUBLIC_BYTES];
      uint8_t *plaintext = NULL;
      size_t plaintext_length = 0;
      gboolean open = g_str_equal (argv[1], "open");
      if (!args.station_key || !args.recipient_key || (open && !args.output))
        return usage ();
      if ((status = rk_envelope_key_load (args.station_key, "ed25519-public", station, sizeof station))
            != RK_ENVELOPE_OK
          || (status = rk_envelope_key_load (args.recipient_key, "x25519-secret", secret, sizeof secret))
               != RK_ENVELOPE_OK)
        {
          fprintf (stderr, "rekam-an2k: key: %s\n", rk_envelope_strerror (status));
          return EXIT_IO;
        }
      crypto_scalarmult_base (recipient, secret);
      status = rk_envelope_open ((const uint8_t *) contents, length, station, recipient, secret, &plaintext,
                                 &plaintext_length, &info);
      sodium_memzero (secret, sizeof secret);
      if (status != RK_ENVELOPE_OK)
        {
          printf ("%s: REJECTED: %s\n", args.input, rk_envelope_strerror (status));
          return EXIT_FAULT;
        }
      print_info (&info);
      printf ("signature: valid\n");
      if (open && !write_file (args.output, plaintext, plaintext_length))
        {
          sodium_memzero (plaintext, plaintext_length);
          free (plaintext);
          return EXIT_IO;
        }
      sodium_memzero (plaintext, plaintext_length);
      free (plaintext);
      return 0;
    }
  return usage ();
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    return usage ();
  if (rk_envelope_init () != RK_ENVELOPE_OK)
    {
      fprintf (stderr, "rekam-an2k: libsodium failed to initialise\n");
      return EXIT_IO;
    }
  if (g_str_equal (argv[1], "dump"))
    return command_dump (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "validate"))
    return command_validate (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "build"))
    return command_build (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "keygen"))
    return command_keygen (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "envelope"))
    return command_envelope (argc - 1, argv + 1);
  return usage ();
}
