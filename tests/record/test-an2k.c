/* The ANSI/NIST-ITL codec: writer, reader, profile. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#ifdef REKAM_HAVE_CAPTURE_WSQ
#include "capture/capture-wsq.h"
#endif

#include "an2k.h"
#include "record-fixture.h"
#include "rk-an2k-build.h"

/* A transaction written by hand, LEN counted by hand (including its own
 * digits and the closing FS): Type-1 is 125 bytes, Type-2 48 bytes. It
 * checks the writer against the standard rather than against our reader. */
static const char hand_made[] =
  "1.001:125\x1d" "1.002:0502\x1d" "1.003:1\x1f" "1\x1e" "2\x1f" "0\x1d" "1.004:EKTP\x1d"
  "1.005:20261125\x1d" "1.007:DISDUKCAPIL\x1d" "1.008:367113\x1d" "1.009:T1\x1d" "1.011:00.00\x1d"
  "1.012:00.00\x1c"
  "2.001:48\x1d" "2.002:0\x1d" "2.003:1\x1d" "2.010:3671134501900003\x1c";

static an2k_transaction *
decode_or_fail (const void *data, size_t length)
{
  an2k_transaction *transaction = NULL;
  an2k_fault fault = { 0 };
  an2k_status status = an2k_transaction_decode (data, length, &transaction, &fault);

  if (status != AN2K_OK)
    g_error ("decode failed: %s (record %d field %u)", fault.message, fault.record_index, fault.field);
  return transaction;
}

static void
test_writer_matches_hand_made (void)
{
  g_autoptr(an2k_transaction) transaction = an2k_transaction_new ();
  an2k_record *type1 = an2k_transaction_add_record (transaction, 1);
  an2k_record *type2 = an2k_transaction_add_record (transaction, 2);
  uint8_t *data = NULL;
  size_t length = 0;

  /* fields set out of order on purpose: the writer sorts them */
  g_assert_cmpint (an2k_record_set_text (type1, 9, "T1"), ==, AN2K_OK);
  g_assert_cmpint (an2k_record_set_text (type1, 2, "0502"), ==, AN2K_OK);
  an2k_record_set_text (type1, 4, "EKTP");
  an2k_record_set_text (type1, 5, "20261125");
  an2k_record_set_text (type1, 7, "DISDUKCAPIL");
  an2k_record_set_text (type1, 8, "367113");
  an2k_record_set_text (type1, 12, "00.00");
  an2k_record_set_text (type1, 11, "00.00");
  an2k_record_set_text (type2, 10, "3671134501900003");
  an2k_record_set_uint (type2, 2, 0);
  an2k_record_set_text (type2, 3, "1");
  g_assert_cmpint (an2k_transaction_encode (transaction, &data, &length, NULL), ==, AN2K_OK);
  g_assert_cmpmem (data, length, hand_made, sizeof hand_made - 1);
  free (data);
}

static void
test_reader_hand_made (void)
{
  g_autoptr(an2k_transaction) transaction = decode_or_fail (hand_made, sizeof hand_made - 1);
  an2k_record *type2 = an2k_transaction_get_record (transaction, 1);
  char buf[32];

  g_assert_cmpuint (an2k_transaction_get_n_records (transaction), ==, 2);
  g_assert_cmpuint (an2k_record_get_type (type2), ==, 2);
  g_assert_cmpstr (an2k_record_get_text (type2, 10, buf, sizeof buf), ==, "3671134501900003");
  g_assert_cmpstr (an2k_record_get_text (an2k_transaction_get_record (transaction, 0), 1, buf, sizeof buf), ==,
                   "125");
}

/* LEN's own digits can change the total: a record whose length without
 * LEN's digits is 98 needs 3 digits (98 + 2 = 100 -> 101). */
static void
test_len_digit_boundary (void)
{
  for (size_t pad = 60; pad < 120; pad++)
    {
      g_autoptr(an2k_transaction) transaction = an2k_transaction_new ();
      g_autoptr(an2k_transaction) back = NULL;
      an2k_record *type1 = an2k_transaction_add_record (transaction, 1);
      g_autofree char *value = g_strnfill (pad, 'X');
      uint8_t *data = NULL;
      size_t length = 0;
      unsigned long len;
      an2k_record_set_text (type1, 2, "0502");
      an2k_record_set_text (type1, 9, value);
      g_assert_cmpint (an2k_transaction_encode (transaction, &data, &length, NULL), ==, AN2K_OK);
      g_assert_cmpint (an2k_record_get_uint (type1, 1, &len), ==, 0);
      g_assert_cmpuint (len, ==, length);
      g_assert_cmpuint (data[length - 1], ==, AN2K_FS);
      back = decode_or_fail (data, length);
      free (data);
    }
}

static char *
make_fixture (const char *dir, RecordFixtureOptions *options, GBytes **ret_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *manifest = record_fixture_write (dir, options);
  g_autoptr(an2k_transaction) transaction = rk_an2k_build_from_file (manifest, &error);

  g_assert_no_error (error);
  *ret_bytes = rk_an2k_encode_checked (transaction, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&manifest);
}

static void
rm_rf (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Every record type through writer and reader: the decoded transaction
 * has the same fields byte for byte, passes the profile, and re-encodes
 * to the same bytes. */
static void
test_roundtrip_every_type (void)
{
  g_autofree char *dir = g_dir_make_tmp ("an2k-XXXXXX", NULL);
  RecordFixtureOptions options = { .with_slaps = TRUE, .with_minutiae = TRUE, .missing_finger = TRUE, .seed = 3 };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *manifest = make_fixture (dir, &options, &bytes);
  g_autoptr(an2k_transaction) back = decode_or_fail (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(an2k_profile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(an2k_transaction) again = rk_an2k_build_from_file (manifest, &error);
  an2k_fault fault = { 0 };
  uint8_t *data = NULL;
  size_t length = 0;
  gboolean seen[100] = { FALSE };

  g_assert_no_error (error);
  g_assert_cmpint (an2k_profile_new_default (&profile), ==, AN2K_OK);
  g_assert_cmpint (an2k_profile_check (profile, back, &fault), ==, AN2K_OK);
  /* 1 + 2 + 10 flats + 3 slaps + face + 2 irises + signature + minutiae */
  g_assert_cmpuint (an2k_transaction_get_n_records (back), ==, 1 + 1 + 1 + 10 + 3 + 2 + 1 + 1);
  for (size_t r = 0; r < an2k_transaction_get_n_records (back); r++)
    {
      an2k_record *a = an2k_transaction_get_record (again, r);
      an2k_record *b = an2k_transaction_get_record (back, r);
      seen[an2k_record_get_type (b)] = TRUE;
      g_assert_cmpuint (an2k_record_get_type (a), ==, an2k_record_get_type (b));
      if (r == 0)
        continue; /* LEN/CNT are only filled in by the encoder */
      for (size_t f = 0; f < an2k_record_get_n_fields (a); f++)
        {
          const an2k_field *fa = an2k_record_get_field_at (a, f);
          const an2k_field *fb = an2k_record_get_field (b, fa->number);
          g_assert_nonnull (fb);
          g_assert_cmpmem (fa->value, fa->length, fb->value, fb->length);
        }
      g_assert_cmpuint (an2k_record_get_n_fields (a), ==, an2k_record_get_n_fields (b));
    }
  for (unsigned type = 1; type <= 17; type++)
    g_assert_cmpint (seen[type], ==, type == 1 || type == 2 || type == 8 || type == 9 || type == 10
                                       || type == 14 || type == 17);
  g_assert_cmpint (an2k_transaction_encode (back, &data, &length, NULL), ==, AN2K_OK);
  g_assert_cmpmem (data, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  free (data);
  rm_rf (dir);
}

/* Every prefix of a valid file is rejected, never read past its end
 * (ASan would abort), and reported as truncated or as a length fault. */
static void
test_reader_truncated_everywhere (void)
{
  g_autofree char *dir = g_dir_make_tmp ("an2k-XXXXXX", NULL);
  RecordFixtureOptions options = { .seed = 5, .with_minutiae = TRUE };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *manifest = make_fixture (dir, &options, &bytes);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  size_t length = g_bytes_get_size (bytes);

  for (size_t cut = 0; cut < length; cut += (cut < 400 ? 1 : 97))
    {
      /* a heap copy of exactly cut bytes so ASan sees any overread */
      guint8 *copy = g_memdup2 (data, cut ? cut : 1);
      an2k_transaction *transaction = NULL;
      an2k_fault fault = { 0 };
      an2k_status status = an2k_transaction_decode (copy, cut, &transaction, &fault);
      g_assert_cmpint (status, !=, AN2K_OK);
      g_assert_null (transaction);
      g_assert_cmpstr (fault.message, !=, "");
      g_free (copy);
    }
  rm_rf (dir);
}

typedef struct {
  const char *name;
  const char *find;     /* replaced once in the hand-made file */
  const char *replace;
  an2k_status status;
  int record_index;
  unsigned field;
} Malformed;

/* Hand-made malformed files: each names the record and field at fault. */
static void
test_reader_malformed (void)
{
  static const Malformed cases[] = {
    { "LEN one too small", "1.001:125", "1.001:124", AN2K_ERR_LENGTH, 0, 1 },
    { "LEN one too big", "2.001:48", "2.001:49", AN2K_ERR_TRUNCATED, 1, 1 },
    { "LEN not a number", "1.001:125", "1.001:1x5", AN2K_ERR_LENGTH, 0, 1 },
    { "CNT count wrong", "1.003:1\x1f" "1", "1.003:1\x1f" "2", AN2K_ERR_COUNT, 0, 3 },
    { "CNT IDC wrong", "\x1e" "2\x1f" "0", "\x1e" "2\x1f" "5", AN2K_ERR_COUNT, 1, 2 },
    { "CNT type wrong", "\x1e" "2\x1f" "0", "\x1e" "9\x1f" "0", AN2K_ERR_COUNT, 1, 1 },
    { "fields out of order", "1.004:EKTP\x1d" "1.005:20261125", "1.005:20261125\x1d" "1.004:EKTP", AN2K_ERR_ORDER,
      0, 4 },
    { "field repeated", "2.003:1", "2.002:1", AN2K_ERR_ORDER, 1, 2 },
    { "tag of another type", "2.003:1", "3.003:1", AN2K_ERR_SYNTAX, 1, 3 },
    { "colon missing", "1.007:DISDUKCAPIL", "1.007=DISDUKCAPIL", AN2K_ERR_SYNTAX, 0, 0 },
    { "GS inside a field becomes FS", "1.008:367113\x1d", "1.008:367113\x1c", AN2K_ERR_LENGTH, 0, 8 },
    { "VER not second", "1.002:0502\x1d" "1.003:1\x1f" "1\x1e" "2\x1f" "0",
      "1.003:1\x1f" "1\x1e" "2\x1f" "0\x1d" "1.004:0502", AN2K_ERR_ORDER, 0, 0 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) file = g_string_new_len (hand_made, sizeof hand_made - 1);
      an2k_transaction *transaction = NULL;
      an2k_fault fault = { 0 };
      an2k_status status;
      const char *at = strstr (file->str, cases[i].find);
      g_assert_nonnull (at);
      {
        gsize pos = (gsize) (at - file->str);
        g_string_erase (file, (gssize) pos, (gssize) strlen (cases[i].find));
        g_string_insert (file, (gssize) pos, cases[i].replace);
      }
      status = an2k_transaction_decode ((const uint8_t *) file->str, file->len, &transaction, &fault);
      if (status != cases[i].status || fault.record_index != cases[i].record_index
          || (cases[i].field && fault.field != cases[i].field))
        g_error ("%s: got %s at record %d field %u (%s)", cases[i].name, an2k_strerror (status),
                 fault.record_index, fault.field, fault.message);
      g_assert_null (transaction);
    }
  {
    /* trailing garbage after the last record CNT announces */
    g_autoptr(GString) file = g_string_new_len (hand_made, sizeof hand_made - 1);
    an2k_transaction *transaction = NULL;
    an2k_fault fault = { 0 };
    g_string_append (file, "2.001:");
    g_assert_cmpint (an2k_transaction_decode ((const uint8_t *) file->str, file->len, &transaction, &fault), ==,
                     AN2K_ERR_COUNT);
  }
}

/* Profile faults: each mutation of a conforming transaction is reported
 * with the right record and field. */
typedef void (*Mutation) (an2k_transaction *transaction);

static an2k_record *
find_record (an2k_transaction *transaction, unsigned type, unsigned fgp)
{
  for (size_t r = 0; r < an2k_transaction_get_n_records (transaction); r++)
    {
      an2k_record *record = an2k_transaction_get_record (transaction, r);
      unsigned long value;
      if (an2k_record_get_type (record) != type)
        continue;
      if (fgp == 0 || (an2k_record_get_uint (record, type == 14 ? 13 : 3, &value) == 0 && value == fgp))
        return record;
    }
  g_assert_not_reached ();
}

static void mutate_remove_nik (an2k_transaction *t) { an2k_record_remove_field (find_record (t, 2, 0), 10); }
static void mutate_bad_dob (an2k_transaction *t) { an2k_record_set_text (find_record (t, 2, 0), 14, "19900231"); }
static void mutate_short_nik (an2k_transaction *t) { an2k_record_set_text (find_record (t, 2, 0), 10, "36711345"); }
static void mutate_slap_no_seg (an2k_transaction *t) { an2k_record_remove_field (find_record (t, 14, 13), 21); }
static void mutate_flat_seg (an2k_transaction *t)
{
  an2k_record_set_text (find_record (t, 14, 2), 21, "2\x1f" "0\x1f" "10\x1f" "0\x1f" "10");
}
static void mutate_seg_outside (an2k_transaction *t)
{
  an2k_record_set_text (find_record (t, 14, 15), 21, "1\x1f" "0\x1f" "40\x1f" "20\x1f" "80\x1e"
                                                     "6\x1f" "40\x1f" "9999\x1f" "20\x1f" "80");
}
static void mutate_seg_wrong_finger (an2k_transaction *t)
{
  an2k_record_set_text (find_record (t, 14, 15), 21, "2\x1f" "0\x1f" "40\x1f" "20\x1f" "80");
}
static void mutate_image_fields_no_data (an2k_transaction *t) { an2k_record_remove_field (find_record (t, 14, 3), 999); }
static void mutate_unknown_field (an2k_transaction *t) { an2k_record_set_text (find_record (t, 10, 0), 500, "x"); }
static void
mutate_duplicate_fgp (an2k_transaction *t)
{
  an2k_record *record = find_record (t, 14, 4);
  an2k_record_set_text (record, 13, "3");
  an2k_record_set_text (record, 24, "3\x1f" "50\x1f" "000F\x1f" "1");
}
static void mutate_bad_cga (an2k_transaction *t) { an2k_record_set_text (find_record (t, 14, 1), 11, "WSQ"); }
/* the data stays, the declared compression flips (fingers are WSQ20 when
 * capture/'s encoder is built, NONE otherwise) */
static void
mutate_wsq_markers (an2k_transaction *t)
{
  an2k_record *record = find_record (t, 14, 1);
  char cga[8];
  an2k_record_set_text (record, 11, g_strcmp0 (an2k_record_get_text (record, 11, cga, sizeof cga), "NONE") == 0
                                      ? "WSQ20" : "NONE");
}
static void mutate_thps_tvps (an2k_transaction *t) { an2k_record_set_text (find_record (t, 14, 1), 10, "499"); }
static void mutate_raw_size (an2k_transaction *t) { an2k_record_set_text (find_record (t, 17, 1), 6, "65"); }
static void mutate_nom (an2k_transaction *t) { an2k_record_set_text (find_record (t, 9, 0), 136, "39"); }
static void mutate_face_sap (an2k_transaction *t) { an2k_record_set_text (find_record (t, 10, 0), 13, "99"); }
static void mutate_tot (an2k_transaction *t) { an2k_record_set_text (find_record (t, 1, 0), 4, "CAR"); }
static void mutate_amp_code (an2k_transaction *t) { an2k_record_set_text (find_record (t, 14, 7), 18, "7\x1fZZ"); }
static void mutate_signature_size (an2k_transaction *t) { an2k_record_set_text (find_record (t, 8, 0), 6, "49"); }
static void mutate_iris_eye_twice (an2k_transaction *t) { an2k_record_set_text (find_record (t, 17, 2), 3, "1"); }
static void mutate_fqm_items (an2k_transaction *t) { an2k_record_set_text (find_record (t, 14, 1), 24, "1\x1f" "50"); }
static void
mutate_drop_finger (an2k_transaction *t)
{
  an2k_record *record = find_record (t, 14, 10);
  an2k_record_set_text (record, 13, "0");
  an2k_record_remove_field (record, 24);
}

typedef struct {
  const char *name;
  Mutation mutate;
  an2k_status status;
  unsigned record_type;
  unsigned field;
} ProfileCase;

static void
test_profile_faults (void)
{
  static const ProfileCase cases[] = {
    { "NIK removed", mutate_remove_nik, AN2K_ERR_MISSING, 2, 10 },
    { "birth date 31 Feb", mutate_bad_dob, AN2K_ERR_FORMAT, 2, 14 },
    { "NIK too short", mutate_short_nik, AN2K_ERR_FORMAT, 2, 10 },
    { "slap without SEG", mutate_slap_no_seg, AN2K_ERR_MISSING, 14, 21 },
    { "SEG on a flat", mutate_flat_seg, AN2K_ERR_FORBIDDEN, 14, 21 },
    { "SEG outside the image", mutate_seg_outside, AN2K_ERR_CONSISTENCY, 14, 21 },
    { "SEG names a finger not in the slap", mutate_seg_wrong_finger, AN2K_ERR_CONSISTENCY, 14, 21 },
    { "image fields without image", mutate_image_fields_no_data, AN2K_ERR_FORBIDDEN, 14, 6 },
    { "unknown field", mutate_unknown_field, AN2K_ERR_FORBIDDEN, 10, 500 },
    { "finger position twice", mutate_duplicate_fgp, AN2K_ERR_CONSISTENCY, 14, 13 },
    { "CGA not in the list", mutate_bad_cga, AN2K_ERR_FORMAT, 14, 11 },
    { "CGA disagrees with the data", mutate_wsq_markers, AN2K_ERR_CONSISTENCY, 14, 999 },
    { "THPS differs from TVPS", mutate_thps_tvps, AN2K_ERR_CONSISTENCY, 14, 10 },
    { "raw iris size wrong", mutate_raw_size, AN2K_ERR_CONSISTENCY, 17, 999 },
    { "NOM disagrees with FMD", mutate_nom, AN2K_ERR_CONSISTENCY, 9, 136 },
    { "face SAP unknown", mutate_face_sap, AN2K_ERR_FORMAT, 10, 13 },
    { "TOT not EKTP", mutate_tot, AN2K_ERR_FORMAT, 1, 4 },
    { "AMP code unknown", mutate_amp_code, AN2K_ERR_FORMAT, 14, 18 },
    { "signature size wrong", mutate_signature_size, AN2K_ERR_CONSISTENCY, 8, 8 },
    { "same eye twice", mutate_iris_eye_twice, AN2K_ERR_CONSISTENCY, 17, 3 },
    { "FQM items missing", mutate_fqm_items, AN2K_ERR_FORMAT, 14, 24 },
    { "finger 10 missing", mutate_drop_finger, AN2K_ERR_MISSING, 14, 13 },
  };
  g_autofree char *dir = g_dir_make_tmp ("an2k-XXXXXX", NULL);
  RecordFixtureOptions options = { .with_slaps = TRUE, .with_minutiae = TRUE, .missing_finger = TRUE, .seed = 9 };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *manifest = make_fixture (dir, &options, &bytes);
  g_autoptr(an2k_profile) profile = NULL;

  g_assert_cmpint (an2k_profile_new_default (&profile), ==, AN2K_OK);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(an2k_transaction) transaction = decode_or_fail (g_bytes_get_data (bytes, NULL),
                                                                g_bytes_get_size (bytes));
      an2k_fault fault = { 0 };
      an2k_status status;
      g_assert_cmpint (an2k_profile_check (profile, transaction, &fault), ==, AN2K_OK);
      cases[i].mutate (transaction);
      status = an2k_profile_check (profile, transaction, &fault);
      if (status != cases[i].status || fault.record_type != cases[i].record_type || fault.field != cases[i].field)
        g_error ("%s: got %s in Type-%u field %u: %s", cases[i].name, an2k_strerror (status), fault.record_type,
                 fault.field, fault.message);
    }
  rm_rf (dir);
}

static void
test_profile_parse_errors (void)
{
  static const char *const bad[] = {
    "",
    "record 1 1 1\n",                                   /* no profile line */
    "profile X 1\nrecord 1 2 1\n",                       /* min > max */
    "profile X 1\nrecord 1 1 1\nfield 1 1 LEN Q 1 1 R1-9\n", /* presence */
    "profile X 1\nrecord 1 1 1\nfield 1 1 LEN M 1 1 R9-1\n", /* range */
    "profile X 1\nrecord 1 1 1\nfield 1 1 LEN M 1 1 E<a\n",  /* enum */
    "profile X 1\nrecord 1 1 1\nbogus\n",
  };

  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      an2k_profile *profile = NULL;
      an2k_fault fault = { 0 };
      g_assert_cmpint (an2k_profile_parse (bad[i], strlen (bad[i]), &profile, &fault), ==, AN2K_ERR_PROFILE);
      g_assert_null (profile);
    }
}

/* The writer refuses a separator inside a text field rather than emit a
 * file every reader would misparse. */
static void
test_writer_refuses_separator (void)
{
  g_autoptr(an2k_transaction) transaction = an2k_transaction_new ();
  an2k_record *type1 = an2k_transaction_add_record (transaction, 1);
  an2k_fault fault = { 0 };
  uint8_t *data = NULL;
  size_t length = 0;

  an2k_record_set_text (type1, 2, "0502");
  an2k_record_set_text (type1, 9, "A\x1d" "B");
  g_assert_cmpint (an2k_transaction_encode (transaction, &data, &length, &fault), ==, AN2K_ERR_FORMAT);
  g_assert_cmpuint (fault.field, ==, 9);
  g_assert_null (data);
}

/* The manifest: wrong members are named, demographic values never quoted. */
static void
test_manifest_errors (void)
{
  static const struct {
    const char *find;
    const char *replace;
    const char *expect;
  } cases[] = {
    { "\"sex\": \"P\"", "\"sex\": \"X\"", "2.015 SEX" },
    { "\"nik\": \"3671134501900003\"", "\"nik\": 3671134501900003", "demographics.nik must be a string" },
    { "\"face\": {\"file\": \"face.jpg\"}", "\"face\": {\"file\": \"iris-left.pgm\"}", "face.file" },
    { "\"religion\": 1", "\"religon\": 1", "demographics.religon is not a known member" },
    { "\"birth_date\": \"1990-01-05\"", "\"birth_date\": \"05/01/1990\"", "demographics.birth_date" },
  };
  g_autofree char *dir = g_dir_make_tmp ("an2k-XXXXXX", NULL);
  RecordFixtureOptions options = { .seed = 11 };
  g_autofree char *manifest = record_fixture_write (dir, &options);
  g_autofree char *original = NULL;

  g_assert_true (g_file_get_contents (manifest, &original, NULL, NULL));
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) text = g_string_new (original);
      g_autoptr(GError) error = NULL;
      g_autoptr(an2k_transaction) transaction = NULL;
      g_assert_cmpuint (g_string_replace (text, cases[i].find, cases[i].replace, 1), ==, 1);
      g_assert_true (g_file_set_contents (manifest, text->str, (gssize) text->len, NULL));
      transaction = rk_an2k_build_from_file (manifest, &error);
      g_assert_null (transaction);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].expect) == NULL)
        g_error ("case %zu: '%s' does not mention '%s'", i, error->message, cases[i].expect);
      g_assert_null (strstr (error->message, "3671134501900003"));
      g_assert_null (strstr (error->message, "Siti"));
    }
  rm_rf (dir);
}

#ifdef REKAM_HAVE_CAPTURE_WSQ
/* Raw finger images come out as WSQ20 that capture/'s decoder reads back
 * at the size HLL x VLL says, close to the original pixels. */
static void
test_fingers_are_wsq (void)
{
  g_autofree char *dir = g_dir_make_tmp ("an2k-XXXXXX", NULL);
  RecordFixtureOptions options = { .full_size = TRUE, .seed = 13 };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *manifest = make_fixture (dir, &options, &bytes);
  g_autoptr(an2k_transaction) transaction = decode_or_fail (g_bytes_get_data (bytes, NULL),
                                                            g_bytes_get_size (bytes));
  unsigned n_wsq = 0;

  for (size_t r = 0; r < an2k_transaction_get_n_records (transaction); r++)
    {
      an2k_record *record = an2k_transaction_get_record (transaction, r);
      const an2k_field *data = an2k_record_get_field (record, 999);
      unsigned long hll, vll, fgp;
      char cga[8];
      CaptureImage image = { 0 };
      if (an2k_record_get_type (record) != 14 || data == NULL)
        continue;
      g_assert_cmpstr (an2k_record_get_text (record, 11, cga, sizeof cga), ==, "WSQ20");
      g_assert_cmpint (capture_wsq_decode (data->value, data->length, &image, NULL), ==, CAPTURE_OK);
      g_assert_cmpint (an2k_record_get_uint (record, 6, &hll), ==, 0);
      g_assert_cmpint (an2k_record_get_uint (record, 7, &vll), ==, 0);
      g_assert_cmpint (image.width, ==, (int) hll);
      g_assert_cmpint (image.height, ==, (int) vll);
      g_assert_cmpint (an2k_record_get_uint (record, 13, &fgp), ==, 0);
      if (fgp <= 10)
        {
          /* mean absolute error against the fixture's PGM: lossy, not garbage */
          g_autofree char *path = g_strdup_printf ("%s/finger-%02lu.pgm", dir, fgp);
          g_autofree char *pgm = NULL;
          gsize length;
          double error_sum = 0, mean = 0, spread = 0;
          const guint8 *original;
          g_assert_true (g_file_get_contents (path, &pgm, &length, NULL));
          original = (const guint8 *) pgm + length - hll * vll;
          for (gsize i = 0; i < hll * vll; i++)
            mean += original[i];
          mean /= (double) (hll * vll);
          for (int y = 0; y < image.height; y++)
            for (int x = 0; x < image.width; x++)
              {
                error_sum += ABS ((int) image.pixels[y * image.stride + x] - (int) original[y * hll + x]);
                spread += ABS (original[y * hll + x] - mean);
              }
          /* lossy at 0.75 bpp on a tiny noisy image, but far closer to the
           * original than a flat grey of the right mean would be */
          g_test_message ("finger %lu: WSQ error %.1f%% of the spread", fgp, 100 * error_sum / spread);
          g_assert_cmpfloat (error_sum, <, 0.5 * spread);
        }
      capture_image_clear (&image);
      n_wsq++;
    }
  g_assert_cmpuint (n_wsq, ==, 10);
  rm_rf (dir);
}
#endif

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/an2k/writer/matches-hand-made", test_writer_matches_hand_made);
  g_test_add_func ("/an2k/writer/len-digit-boundary", test_len_digit_boundary);
  g_test_add_func ("/an2k/writer/refuses-separator", test_writer_refuses_separator);
  g_test_add_func ("/an2k/reader/hand-made", test_reader_hand_made);
  g_test_add_func ("/an2k/reader/malformed", test_reader_malformed);
  g_test_add_func ("/an2k/reader/truncated-everywhere", test_reader_truncated_everywhere);
  g_test_add_func ("/an2k/roundtrip/every-type", test_roundtrip_every_type);
  g_test_add_func ("/an2k/profile/faults", test_profile_faults);
  g_test_add_func ("/an2k/profile/parse-errors", test_profile_parse_errors);
  g_test_add_func ("/an2k/manifest/errors", test_manifest_errors);
#ifdef REKAM_HAVE_CAPTURE_WSQ
  g_test_add_func ("/an2k/build/fingers-are-wsq", test_fingers_are_wsq);
#endif
  return g_test_run ();
}
