/* Shared by the intake unit tests: a fresh store with the intake
 * migration applied (without the core, so the domain code is tested on
 * its own), and small helpers. */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

/* Opens @path (":memory:" allowed) with the pragmas the core sets and
 * applies schemas/migrations/0002_intake.sql from REKAM_SOURCE_DIR. */
sqlite3      *intake_test_open_db (const char *path);

/* A memory input stream over @text (copied). */
GInputStream *intake_test_stream (const char *text, gssize len);

/* Runs rk_siak_import of @csv in one transaction; on failure rolls back
 * and returns FALSE with error. */
gboolean      intake_test_import (sqlite3 *db, const char *csv, gssize len, GError **error);

gint64        intake_test_count (sqlite3 *db, const char *sql);

/* A fresh temporary directory (removed by the caller with
 * intake_test_rmtree). */
char         *intake_test_tmpdir (void);
void          intake_test_rmtree (const char *path);
