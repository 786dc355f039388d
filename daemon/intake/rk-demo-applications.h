/* A batch of online applications for the demo station, as the archive
 * an import expects (rk-application.h): manifests plus attachments drawn
 * with cairo (a PNG "scan" of the family card, a PDF form F-1.07). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *nik;
  const char *name;
  const char *birth_date;   /* YYYY-MM-DD */
  const char *case_type;    /* rk_case_type_to_string() */
} RkDemoApplicant;

/* Returns a zip archive (transfer full) with one application per entry
 * of @applicants (ids DEMO-0001...), or NULL with error. */
GBytes *rk_demo_applications_zip (const RkDemoApplicant *applicants, guint n_applicants,
                                  GError **error);

G_END_DECLS
