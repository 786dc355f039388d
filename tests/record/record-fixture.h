/* Test fixtures for the record room: a manifest and the image files it
 * names, made with a fixed seed (no shared data needed).
 *
 * Fingers, irises and the signature are 8-bit PGM (written as CGA NONE);
 * the face is a real JPEG (gdk-pixbuf's encoder); an ISO/IEC 19794-2 FMR
 * file feeds the Type-9. Sizes are small unless full_size is set (the
 * benchmark uses full 500 ppi sizes). */
#pragma once

#include <glib.h>

typedef struct {
  gboolean full_size;      /* 500 ppi flats 400x500, slaps 1600x1500, face 600x800, iris 640x480 */
  gboolean with_slaps;
  gboolean with_minutiae;
  gboolean missing_finger; /* finger 7 amputated (XX), left out of the left slap */
  guint seed;
  const char *tcn;         /* NULL: "TCN-TEST-0001" */
} RecordFixtureOptions;

/* Writes manifest.json and the images into dir; returns the manifest path
 * (transfer full). Aborts the test on I/O errors. */
char *record_fixture_write (const char *dir, const RecordFixtureOptions *options);

/* Writes a minimal manifest (small images, no slaps) with the given case
 * id and TCN; for the daemon tests that enqueue many records. */
char *record_fixture_write_small (const char *dir, const char *tcn);
