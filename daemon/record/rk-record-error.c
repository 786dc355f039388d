/* Error domain of the record module and its HTTP mapping. */
#include "rk-record-error.h"

#include "rk-an2k-build.h"

G_DEFINE_QUARK (rk-record-error-quark, rk_record_error)

gboolean
rk_record_error_map (const GError *error, guint *ret_status, const char **ret_code)
{
  static const struct {
    guint status;
    const char *code;
  } map[] = {
    [RK_RECORD_ERROR_FAILED] = { 500, "record-failed" },
    [RK_RECORD_ERROR_INVALID] = { 400, "record-invalid" },
    [RK_RECORD_ERROR_NOT_FOUND] = { 404, "record-not-found" },
    [RK_RECORD_ERROR_EXISTS] = { 409, "record-exists" },
    [RK_RECORD_ERROR_STATE] = { 409, "record-state" },
    [RK_RECORD_ERROR_DISK_FULL] = { 507, "disk-full" },
    [RK_RECORD_ERROR_NO_RECIPIENT] = { 503, "no-recipient-key" },
    [RK_RECORD_ERROR_IO] = { 500, "record-io" },
  };

  if (error->domain == RK_AN2K_BUILD_ERROR)
    {
      /* manifest, image and profile faults are the caller's */
      *ret_status = error->code == RK_AN2K_BUILD_ERROR_INTERNAL ? 500 : 400;
      *ret_code = error->code == RK_AN2K_BUILD_ERROR_INTERNAL ? "record-failed" : "record-invalid";
      return TRUE;
    }
  if (error->domain != RK_RECORD_ERROR || error->code < 0 || (gsize) error->code >= G_N_ELEMENTS (map))
    return FALSE;
  *ret_status = map[error->code].status;
  *ret_code = map[error->code].code;
  return TRUE;
}
