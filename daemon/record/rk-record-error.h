/* The record module's error domain (mapped to HTTP by rk-record-error.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RK_RECORD_ERROR (rk_record_error_quark ())
GQuark rk_record_error_quark (void);

typedef enum {
  RK_RECORD_ERROR_FAILED,         /* 500 "record-failed" */
  RK_RECORD_ERROR_INVALID,        /* 400 "record-invalid": manifest or profile fault */
  RK_RECORD_ERROR_NOT_FOUND,      /* 404 "record-not-found" */
  RK_RECORD_ERROR_EXISTS,         /* 409 "record-exists": that TCN is queued already */
  RK_RECORD_ERROR_STATE,          /* 409 "record-state": not legal in this state */
  RK_RECORD_ERROR_DISK_FULL,      /* 507 "disk-full": new records refused */
  RK_RECORD_ERROR_NO_RECIPIENT,   /* 503 "no-recipient-key": Disdukcapil's key not configured */
  RK_RECORD_ERROR_IO,             /* 500 "record-io" */
} RkRecordError;

gboolean rk_record_error_map (const GError *error, guint *ret_status, const char **ret_code);

G_END_DECLS
