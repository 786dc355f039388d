/* The Kepmendagri region table compiled into rekamd (schemas/wilayah/,
 * MIT, cahyadsn/wilayah). Codes are given without dots: "36" province,
 * "3671" regency/city, "367113" kecamatan, "3671131001" kelurahan. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns the region's name (static, UTF-8) or NULL when the code is not
 * in the table. Thread-safe; the table is parsed on first use. */
const char *rk_region_lookup (const char *code);

/* Returns the codes (without dots) of the direct children of @code, in
 * table order (transfer container: free the array, not the strings). */
GPtrArray  *rk_region_children (const char *code);

G_END_DECLS
