/* rk-an2k-build: a transaction from a JSON manifest
 * (schemas/an2k-manifest.schema.json). Shared by rekam-an2k build and by
 * rekamd's record module, so both make byte-identical transactions.
 *
 * Image files are read by path (relative paths against the manifest's
 * folder): JPEG (face), WSQ (fingers, CGA WSQ20), PNG (iris), PGM P5
 * (8-bit grayscale, written uncompressed: CGA NONE), and ISO/IEC 19794-2
 * FMR files for Type-9 minutiae. Error messages name the manifest member
 * at fault and never quote demographic values. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "an2k.h"

G_BEGIN_DECLS

#define RK_AN2K_BUILD_ERROR (rk_an2k_build_error_quark ())
GQuark rk_an2k_build_error_quark (void);

typedef enum {
  RK_AN2K_BUILD_ERROR_MANIFEST,  /* a member missing or of the wrong type/value */
  RK_AN2K_BUILD_ERROR_IMAGE,     /* an image file unreadable or not what it claims */
  RK_AN2K_BUILD_ERROR_PROFILE,   /* the result breaks the profile (message says where) */
  RK_AN2K_BUILD_ERROR_INTERNAL,
} RkAn2kBuildError;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (an2k_transaction, an2k_transaction_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (an2k_profile, an2k_profile_free)

/* Builds and profile-checks a transaction. base_dir resolves relative image
 * paths (NULL: the current directory). Returns (transfer full) or NULL. */
an2k_transaction *rk_an2k_build_from_json (JsonNode *manifest, const char *base_dir, GError **error);
an2k_transaction *rk_an2k_build_from_file (const char *manifest_path, GError **error);

/* Profile-checks and encodes; (transfer full) bytes or NULL. */
GBytes *rk_an2k_encode_checked (an2k_transaction *transaction, GError **error);

/* Formats a fault as "record 3 (Type-14) field 14.021 SEG: <message>". */
char *rk_an2k_fault_to_string (const an2k_fault *fault, const an2k_profile *profile);

G_END_DECLS
