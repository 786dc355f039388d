/* Enumerations shared by the intake code, numbered as SIAK numbers them
 * (JENIS_KLMIN, STAT_KWN, AGAMA) so extracts map one to one. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RK_SEX_UNKNOWN = 0,
  RK_SEX_MALE    = 1,   /* LAKI-LAKI */
  RK_SEX_FEMALE  = 2,   /* PEREMPUAN */
} RkSex;

typedef enum {
  RK_MARITAL_UNKNOWN  = 0,
  RK_MARITAL_SINGLE   = 1,  /* BELUM KAWIN */
  RK_MARITAL_MARRIED  = 2,  /* KAWIN */
  RK_MARITAL_DIVORCED = 3,  /* CERAI HIDUP */
  RK_MARITAL_WIDOWED  = 4,  /* CERAI MATI */
} RkMarital;

/* Parses SIAK's numeric code or its text ("PEREMPUAN", "CERAI MATI"...),
 * case-insensitively; returns the UNKNOWN value when neither matches. */
RkSex       rk_sex_parse (const char *text);
RkMarital   rk_marital_parse (const char *text);
const char *rk_sex_to_string (RkSex sex);           /* "male"... */
const char *rk_marital_to_string (RkMarital marital); /* "single"... */

/* Parses "YYYY-MM-DD" or SIAK's "DD-MM-YYYY" into @ret_date (left alone on
 * failure). Returns FALSE for anything else or an impossible date. */
gboolean    rk_date_parse (const char *text, GDate *ret_date);

/* "YYYY-MM-DD" into @buf (11 bytes). */
void        rk_date_format (const GDate *date, char buf[11]);

/* "367113****" style masking for logs and audit subjects: the first six
 * digits (the region) and four stars. Never log more of a NIK. */
char       *rk_nik_mask (const char *nik);

G_END_DECLS
