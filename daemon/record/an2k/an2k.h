/* an2k: ANSI/NIST-ITL 1-2011 (Update 2015) traditional encoding.
 *
 * A plain C11 codec (libc only) so that the fuzz target, the standalone
 * tool rekam-an2k and rekamd share one reader and one writer.
 *
 * Model: a transaction is an ordered list of records; a record is a type
 * and an ascending list of fields; a field is its number and its raw value
 * bytes, with the standard's separators (RS between subfields, US between
 * information items) kept in place. Binary records (Type-4, Type-8) are
 * represented with the same model: their fixed header entries become fields
 * 1..n (LEN, IDC, ...) holding decimal text, the image becomes the last field.
 *
 * Ownership: an2k_transaction_free() frees everything reachable from it.
 * Functions returning an2k_status leave their ret_ out-params untouched
 * on failure. Every size is capped (AN2K_MAX_*). */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AN2K_FS 0x1C /* ends a logical record */
#define AN2K_GS 0x1D /* between fields */
#define AN2K_RS 0x1E /* between repeated subfields */
#define AN2K_US 0x1F /* between information items */
#define AN2K_FS_S "\x1c"
#define AN2K_GS_S "\x1d"
#define AN2K_RS_S "\x1e"
#define AN2K_US_S "\x1f"

#define AN2K_MAX_RECORDS 1000u          /* CNT allows IDC 0-99, types repeat */
#define AN2K_MAX_FIELDS 2000u           /* per record */
#define AN2K_MAX_TRANSACTION (256u << 20) /* bytes: 1.001-style LEN has 8 digits max */
#define AN2K_MAX_FIELD_NUMBER 999u

typedef enum {
  AN2K_OK = 0,
  AN2K_ERR_ARGUMENT,    /* caller error: NULL, bad field number */
  AN2K_ERR_NOMEM,
  AN2K_ERR_TRUNCATED,   /* input ends inside a record */
  AN2K_ERR_SYNTAX,      /* tag, separator or number malformed */
  AN2K_ERR_LENGTH,      /* LEN disagrees with the bytes */
  AN2K_ERR_COUNT,       /* 1.003 CNT disagrees with the records */
  AN2K_ERR_ORDER,       /* fields out of order or duplicated */
  AN2K_ERR_MISSING,     /* a mandatory field or record is absent */
  AN2K_ERR_FORBIDDEN,   /* a field or record the profile does not allow */
  AN2K_ERR_FORMAT,      /* a value breaks its format rule */
  AN2K_ERR_CONSISTENCY, /* fields disagree with each other */
  AN2K_ERR_UNSUPPORTED, /* record type this codec does not read */
  AN2K_ERR_LIMIT,       /* a cap was exceeded */
  AN2K_ERR_PROFILE,     /* the profile text itself is malformed */
} an2k_status;

const char *an2k_strerror (an2k_status status);

/* Where a reader or validator found the first fault. record_index counts
 * from 0 (the Type-1 record); field is 0 when the fault is not tied to one
 * field. message is a short English sentence naming what was wrong. */
typedef struct {
  an2k_status status;
  int record_index;     /* -1 = the transaction as a whole */
  unsigned record_type; /* 0 when unknown */
  unsigned field;       /* 0 when not one field */
  char message[200];
} an2k_fault;

typedef struct an2k_transaction an2k_transaction;
typedef struct an2k_record an2k_record;

typedef struct {
  unsigned number;      /* 1..999 */
  const uint8_t *value; /* owned by the record; not NUL-terminated for binary data */
  size_t length;
} an2k_field;

/* --- building ------------------------------------------------------- */

an2k_transaction *an2k_transaction_new (void);
void an2k_transaction_free (an2k_transaction *transaction);

/* Appends a record of type (1..99); Type-1 must be added first. Returns a
 * record owned by the transaction, or NULL (no memory, too many records). */
an2k_record *an2k_transaction_add_record (an2k_transaction *transaction, unsigned type);

size_t an2k_transaction_get_n_records (const an2k_transaction *transaction);
an2k_record *an2k_transaction_get_record (const an2k_transaction *transaction, size_t index);

unsigned an2k_record_get_type (const an2k_record *record);
size_t an2k_record_get_n_fields (const an2k_record *record);
/* The index-th field in ascending field order; NULL past the end. */
const an2k_field *an2k_record_get_field_at (const an2k_record *record, size_t index);
/* NULL when the record has no such field. */
const an2k_field *an2k_record_get_field (const an2k_record *record, unsigned number);
/* Copies a text field into buf (NUL-terminated); NULL when absent or too long. */
const char *an2k_record_get_text (const an2k_record *record, unsigned number, char *buf, size_t size);
/* Parses a field holding one unsigned decimal number; 0 on success. */
int an2k_record_get_uint (const an2k_record *record, unsigned number, unsigned long *ret_value);

/* Sets (or replaces) a field; value bytes are copied. */
an2k_status an2k_record_set_field (an2k_record *record, unsigned number, const void *value, size_t length);
an2k_status an2k_record_set_text (an2k_record *record, unsigned number, const char *value);
an2k_status an2k_record_set_printf (an2k_record *record, unsigned number, const char *format, ...)
  __attribute__ ((format (printf, 3, 4)));
an2k_status an2k_record_set_uint (an2k_record *record, unsigned number, unsigned long value);
void an2k_record_remove_field (an2k_record *record, unsigned number);

/* Is this record type written in the binary (fixed header) form? */
int an2k_type_is_binary (unsigned type);

/* --- writing -------------------------------------------------------- */

/* Serialises the transaction. The writer fills in every xx.001 LEN
 * (including its own digits) and 1.003 CNT from the records as they are
 * (type and xx.002 IDC); everything else is written as given, in ascending
 * field order, so run an2k_profile_check() first to know it conforms.
 * On success *ret_data is malloc()ed and owned by the caller. */
an2k_status an2k_transaction_encode (an2k_transaction *transaction, uint8_t **ret_data,
                                     size_t *ret_length, an2k_fault *ret_fault);

/* --- reading -------------------------------------------------------- */

/* Parses a whole file. Checks structure only: separators, tags, field
 * order, every LEN, 1.003 CNT against the records that follow (types and
 * IDCs), and that nothing follows the last record. Never reads outside
 * [data, data + length). On failure *ret_fault (if given) names the record
 * and field at fault. */
an2k_status an2k_transaction_decode (const uint8_t *data, size_t length,
                                     an2k_transaction **ret_transaction, an2k_fault *ret_fault);

/* --- the profile ---------------------------------------------------- */

typedef struct an2k_profile an2k_profile;

/* Parses a profile in the line format of schemas/an2k-profile.tsv. */
an2k_status an2k_profile_parse (const char *text, size_t length, an2k_profile **ret_profile,
                                an2k_fault *ret_fault);
/* The e-KTP enrolment profile compiled into the library. */
an2k_status an2k_profile_new_default (an2k_profile **ret_profile);
void an2k_profile_free (an2k_profile *profile);
const char *an2k_profile_get_name (const an2k_profile *profile);

/* Checks a transaction against the profile (record counts, mandatory and
 * allowed fields, subfield counts, item formats) and the standard's
 * cross-field rules. Returns AN2K_OK or the first fault. */
an2k_status an2k_profile_check (const an2k_profile *profile, const an2k_transaction *transaction,
                                an2k_fault *ret_fault);

/* Mnemonic of a field in the profile ("LEN", "FGP"...), or NULL. */
const char *an2k_profile_get_mnemonic (const an2k_profile *profile, unsigned type, unsigned field);

/* internal helper shared by the codec files; sets a fault when given */
void an2k_fault_set (an2k_fault *fault, an2k_status status, int record_index, unsigned record_type,
                     unsigned field, const char *format, ...) __attribute__ ((format (printf, 6, 7)));

#ifdef __cplusplus
}
#endif
