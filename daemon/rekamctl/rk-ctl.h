/* rk-ctl.h: what a rekamctl subcommand codes against.
 *
 * A module adds subcommands by defining, in daemon/<module>/ctl-<module>.c,
 *   const RkCtlCommand rk_ctl_commands_<module>[] = {
 *     { "nik check", "Check a NIK", ctl_nik_check, "NIK" },
 *     { NULL }
 *   };
 * The core's CMake compiles every daemon/<module>/ctl-*.c into rekamctl (not
 * into the module library: rekamctl stays a small client) and generates the
 * command table. A name may have several words ("case list"); the longest
 * match wins. run() gets argv[0] = the command name and the words after it;
 * the global options (--socket, --json) are already removed, and --help/-h
 * anywhere is answered by the core from help and usage. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit codes, the same for every subcommand. */
typedef enum {
  RK_CTL_EXIT_OK      = 0,
  RK_CTL_EXIT_FAILED  = 1,  /* ran, but the answer is "no" (audit broken, NIK invalid) */
  RK_CTL_EXIT_USAGE   = 2,  /* bad arguments */
  RK_CTL_EXIT_REFUSED = 3,  /* the daemon answered 4xx */
  RK_CTL_EXIT_CONNECT = 4,  /* cannot reach the daemon */
  RK_CTL_EXIT_DAEMON  = 5,  /* the daemon answered 5xx or nonsense */
} RkCtlExit;

#define RK_CTL_ERROR (rk_ctl_error_quark ())
GQuark rk_ctl_error_quark (void);

/* The codes are the exit codes, so rk_ctl_fail() can return error->code. */
typedef enum {
  RK_CTL_ERROR_USAGE   = RK_CTL_EXIT_USAGE,
  RK_CTL_ERROR_REFUSED = RK_CTL_EXIT_REFUSED,
  RK_CTL_ERROR_CONNECT = RK_CTL_EXIT_CONNECT,
  RK_CTL_ERROR_DAEMON  = RK_CTL_EXIT_DAEMON,
} RkCtlError;

typedef struct _RkCtl RkCtl;

typedef struct {
  const char *name;                               /* "case list" */
  const char *help;                               /* one line, for `rekamctl --help` */
  int       (*run) (RkCtl *ctl, int argc, char **argv);
  const char *usage;                              /* arguments and options after the
                                                     name, may be multi-line; NULL: none */
} RkCtlCommand;

/* Calls the daemon. body is sent as application/json when not NULL.
 * ret_json (may be NULL) receives the parsed response (transfer full; NULL
 * for 204). On a 4xx/5xx the error is RK_CTL_ERROR_REFUSED/DAEMON with the
 * server's message, and rk_ctl_error_get_code() gives its JSON code. */
gboolean rk_ctl_request (RkCtl       *ctl,
                         const char  *method,
                         const char  *path,
                         JsonNode    *body,      /* transfer none, or NULL */
                         JsonNode   **ret_json,
                         GError     **error);
/* The same with any body and media type (file uploads); ret_bytes gets a
 * non-JSON response body (PDF...). ret_json and ret_bytes may be NULL. */
gboolean rk_ctl_request_bytes (RkCtl       *ctl,
                               const char  *method,
                               const char  *path,
                               const char  *content_type,
                               GBytes      *body,
                               JsonNode   **ret_json,
                               GBytes     **ret_bytes,
                               GError     **error);
/* Percent-encodes one path segment or query value (a NIK, a name). */
char *rk_ctl_escape (const char *text);

/* Prints error to stderr ("rekamctl: <message> (code, field)") and returns
 * the exit code that goes with it. */
int  rk_ctl_fail (RkCtl *ctl, const GError *error);
/* Prints "rekamctl <cmd>: <message>" and the usage line; returns 2. */
int  rk_ctl_usage_error (RkCtl *ctl, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* The "code" of the daemon's error body carried by an RK_CTL_ERROR, or NULL. */
const char *rk_ctl_error_get_code  (const GError *error);
const char *rk_ctl_error_get_field (const GError *error);

/* --json was given: print JSON (rk_ctl_print_json) instead of tables. */
gboolean rk_ctl_want_json (RkCtl *ctl);
void     rk_ctl_print_json (RkCtl *ctl, JsonNode *node);
/* "key: value" lines for the scalar members of obj, aligned. */
void     rk_ctl_print_object (RkCtl *ctl, JsonObject *obj);
/* A reply object as JSON with --json, otherwise as aligned key/value lines. */
void     rk_ctl_print_reply (RkCtl *ctl, JsonNode *reply);

/* A text table: columns sized to their widest cell. */
typedef struct _RkCtlTable RkCtlTable;
RkCtlTable *rk_ctl_table_new     (const char *first_heading, ...) G_GNUC_NULL_TERMINATED;
/* Exactly one cell per column; NULL prints "-". */
void        rk_ctl_table_add_row (RkCtlTable *table, const char *first_cell, ...);
/* Adds a row from the members of obj named by the headings' keys, as given
 * to rk_ctl_table_set_keys() (lower-case headings otherwise). */
void        rk_ctl_table_set_keys (RkCtlTable *table, const char *first_key, ...)
            G_GNUC_NULL_TERMINATED;
void        rk_ctl_table_add_object (RkCtlTable *table, JsonObject *obj);
void        rk_ctl_table_print   (RkCtlTable *table);
void        rk_ctl_table_free    (RkCtlTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkCtlTable, rk_ctl_table_free)

/* Generated: NULL-terminated list of NULL-name-terminated arrays. */
extern const RkCtlCommand *const rk_ctl_command_tables[];

G_END_DECLS
