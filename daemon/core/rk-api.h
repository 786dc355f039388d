/* rk-api.h: the HTTP+JSON API, served on two doors.
 *
 * Routes are registered by the core and by modules' start(); the same table
 * serves the unix socket (rekamctl, peer credentials) and 127.0.0.1 (kiosk,
 * session token). The router checks, in this order, before calling a
 * handler: path and method (404/405), authentication (401), role (403),
 * body size (413), content type (415). Handlers run on the main loop.
 *
 * Errors go out as {"error":{"code":"...","message":"...","field":"..."}}
 * ("field" only when one field is at fault). A GError from any registered
 * domain maps to a status and a code through that domain's map function. */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rk-auth.h"
#include "rk-daemon.h"

G_BEGIN_DECLS

/* ---- errors ---------------------------------------------------------- */

#define RK_API_ERROR (rk_api_error_quark ())
GQuark rk_api_error_quark (void);

typedef enum {
  RK_API_ERROR_FAILED,            /* 500 "internal" */
  RK_API_ERROR_BAD_REQUEST,       /* 400 "bad-request" */
  RK_API_ERROR_MALFORMED_JSON,    /* 400 "malformed-json" */
  RK_API_ERROR_INVALID_FIELD,     /* 400 "invalid-field": wrong type/value */
  RK_API_ERROR_UNKNOWN_FIELD,     /* 400 "unknown-field" */
  RK_API_ERROR_MISSING_FIELD,     /* 400 "missing-field" */
  RK_API_ERROR_UNAUTHENTICATED,   /* 401 "unauthenticated" */
  RK_API_ERROR_FORBIDDEN,         /* 403 "forbidden" */
  RK_API_ERROR_NOT_FOUND,         /* 404 "not-found" */
  RK_API_ERROR_METHOD,            /* 405 "method-not-allowed" */
  RK_API_ERROR_CONFLICT,          /* 409 "conflict" */
  RK_API_ERROR_TOO_LARGE,         /* 413 "too-large" */
  RK_API_ERROR_CONTENT_TYPE,      /* 415 "unsupported-media-type" */
  RK_API_ERROR_LOCKED,            /* 423 "locked" (account lockout) */
  RK_API_ERROR_UNAVAILABLE,       /* 503 "unavailable" */
} RkApiError;

/* Sets an RK_API_ERROR (or any domain's) error that names the request field
 * at fault; rk_api_request_respond_error() puts it in "field". The field is
 * carried by the error itself (GLib extended error for RK_API_ERROR; for
 * other domains use rk_api_request_respond_error_field()). */
void rk_api_set_field_error (GError **error, RkApiError code, const char *field,
                             const char *format, ...) G_GNUC_PRINTF (4, 5);
/* The field named by an RK_API_ERROR, or NULL. */
const char *rk_api_error_get_field (const GError *error);

/* Maps one error code of a domain to an HTTP status and a stable JSON code
 * ("nik-bad-date"). Return FALSE for codes it does not know (500). */
typedef gboolean (*RkApiErrorMapFunc) (const GError *error,
                                       guint        *ret_status,
                                       const char  **ret_code);
/* Process-wide, idempotent; call from a module's start(). */
void rk_api_register_error_domain (GQuark domain, RkApiErrorMapFunc func);
/* The status and code a GError maps to (500 "internal" when unknown). */
void rk_api_error_map (const GError *error, guint *ret_status, const char **ret_code);

/* ---- routes ---------------------------------------------------------- */

typedef struct _RkApi        RkApi;
typedef struct _RkApiRoute   RkApiRoute;
typedef struct _RkApiRequest RkApiRequest;

/* Called on the main loop. Respond before returning, or take a reference
 * (rk_api_request_ref) and respond later on the main loop: the core pauses
 * the message until then. */
typedef void (*RkApiHandler) (RkApiRequest *request, gpointer user_data);

/* path is a template: "/v1/residents/{nik}" (a {param} is one whole segment).
 * roles is the set allowed to call; RK_ROLE_ANONYMOUS needs no session.
 * Registering the same method+path twice is a programming error. Returns the
 * route (owned by api) to adjust its limits. */
RkApiRoute *rk_api_add_route (RkApi       *api,
                              const char  *method,
                              const char  *path,
                              RkRole       roles,
                              RkApiHandler handler,
                              gpointer     user_data);
/* Default 1 MiB ([api] max_body); imports raise it per route. */
void rk_api_route_set_max_body (RkApiRoute *route, gsize max_bytes);
/* Default: a body, when present, must be application/json. A NULL-terminated
 * list replaces it ("text/csv", "application/zip", ...). */
void rk_api_route_set_content_types (RkApiRoute *route, const char *first, ...)
     G_GNUC_NULL_TERMINATED;

/* Live streams: the router authenticates and checks roles like a route, then
 * completes the WebSocket handshake and calls func with the connection
 * (transfer none: ref it to keep it). The request is valid during func only. */
typedef void (*RkApiWebsocketFunc) (RkApiRequest            *request,
                                    SoupWebsocketConnection *connection,
                                    gpointer                 user_data);
void rk_api_add_websocket (RkApi             *api,
                           const char        *path,
                           RkRole             roles,
                           RkApiWebsocketFunc func,
                           gpointer           user_data);

/* Iterates every route (method "WS" for websockets), for the OpenAPI test. */
typedef void (*RkApiRouteFunc) (const char *method, const char *path, RkRole roles,
                                gpointer user_data);
void rk_api_foreach_route (RkApi *api, RkApiRouteFunc func, gpointer user_data);

/* ---- requests -------------------------------------------------------- */

RkApiRequest *rk_api_request_ref   (RkApiRequest *request);
void          rk_api_request_unref (RkApiRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkApiRequest, rk_api_request_unref)

RkDaemon      *rk_api_request_get_daemon (RkApiRequest *request);
const RkActor *rk_api_request_get_actor  (RkApiRequest *request);
const char    *rk_api_request_get_method (RkApiRequest *request);
const char    *rk_api_request_get_path   (RkApiRequest *request);
/* {name} from the route template, URI-decoded; NULL when absent. */
const char    *rk_api_request_get_param  (RkApiRequest *request, const char *name);
/* ?name=value, decoded; NULL when absent. */
const char    *rk_api_request_get_query  (RkApiRequest *request, const char *name);
/* The raw body (may be empty, never NULL) and its media type without
 * parameters ("application/json"), NULL when none was sent. */
GBytes        *rk_api_request_get_body   (RkApiRequest *request);
const char    *rk_api_request_get_content_type (RkApiRequest *request);
/* Cancelled when the client goes away; pass it to GTasks. */
GCancellable  *rk_api_request_get_cancellable (RkApiRequest *request);

/* ---- strict JSON ----------------------------------------------------- */

typedef enum {
  RK_JSON_STRING,
  RK_JSON_INT,      /* a JSON number without fraction, fits gint64 */
  RK_JSON_DOUBLE,   /* any JSON number */
  RK_JSON_BOOL,
  RK_JSON_OBJECT,
  RK_JSON_ARRAY,
  RK_JSON_ANY,      /* any value including null */
} RkJsonType;

typedef struct {
  const char *name;      /* member name */
  RkJsonType  type;
  gboolean    required;  /* absent -> 400 missing-field */
  gboolean    nullable;  /* null accepted (reads as absent) */
} RkJsonField;

/* Checks obj against fields (terminated by a zeroed entry): an unknown
 * member, a missing required one or a wrong type sets an RK_API_ERROR that
 * names the field. where prefixes nested names ("items[2]."), or NULL. */
gboolean rk_json_check_object (JsonObject *obj, const RkJsonField *fields,
                               const char *where, GError **error);

/* Parses the body as one JSON object and checks it with fields. Returns the
 * object (transfer none, lives as long as the request) or NULL with error:
 * 415 for another content type, 400 malformed-json (naming line:column),
 * 400 for a non-object, or the errors of rk_json_check_object(). An empty
 * body is 400 unless every field is optional (then an empty object). */
JsonObject *rk_api_request_get_json (RkApiRequest *request, const RkJsonField *fields,
                                     GError **error);

/* Typed reads after a successful check: absent or null members give NULL or
 * the default. */
const char *rk_json_get_string (JsonObject *obj, const char *name);
gint64      rk_json_get_int    (JsonObject *obj, const char *name, gint64 default_value);
gdouble     rk_json_get_double (JsonObject *obj, const char *name, gdouble default_value);
gboolean    rk_json_get_bool   (JsonObject *obj, const char *name, gboolean default_value);

/* ---- responses ------------------------------------------------------- */

/* Each request gets exactly one response; later calls are ignored with a
 * warning. A response to a client that went away is dropped quietly. */
void rk_api_request_respond_json   (RkApiRequest *request, guint status,
                                    JsonNode *node /* transfer full */);
/* Convenience: a JsonBuilder's result. */
void rk_api_request_respond_builder (RkApiRequest *request, guint status,
                                     JsonBuilder *builder /* transfer none */);
void rk_api_request_respond_bytes  (RkApiRequest *request, guint status,
                                    const char *content_type, GBytes *body /* transfer none */);
/* 204, no body. */
void rk_api_request_respond_empty  (RkApiRequest *request);
/* Maps error through the registered domains. */
void rk_api_request_respond_error  (RkApiRequest *request, const GError *error);
void rk_api_request_respond_error_field (RkApiRequest *request, const GError *error,
                                         const char *field);
void rk_api_request_respond_error_literal (RkApiRequest *request, guint status,
                                           const char *code, const char *message,
                                           const char *field);

G_END_DECLS
