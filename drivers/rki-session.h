/* rki-session.h: recorded device sessions (the replay format).
 *
 * A session is a UTF-8 text file, one record per line (documented in
 * docs/devices.md, "Session files"):
 *
 *   rekam-session 1
 *   class finger                      which device class plays it
 *   label Replay finger scanner       optional identity lines
 *   serial RPL-FP-0001
 *   firmware 1.0
 *   ranges 10000 10000 1023           signature pads: max x, y, pressure
 *   loop yes                          start again at the end (streams)
 *   # comment
 *   <ms> image <fmt> <w> <h> <ppi> base64:<data> | file:<path>
 *   <ms> pnm <ppi> file:<path>        binary PGM (P5) or PPM (P6)
 *   <ms> pen <x> <y> <pressure> <0|1>
 *   <ms> card-insert <ATR hex>
 *   <ms> card-remove
 *   <ms> apdu <command hex> <response hex>   answered after <ms>
 *   <ms> ups <status words joined by ','> <charge> <runtime>
 *   <ms> unplug                      the device goes away
 *   <ms> hang                        the next request is never answered
 *   <ms> fail <message>              the next request fails
 *
 * <ms> is the record's time: from stream start (frames, pen samples),
 * from open (card, ups, unplug), or the delay before the answer
 * (captures, apdu). Paths are relative to the session file.
 */
#pragma once

#include "rki-image.h"
#include <gio/gio.h>

G_BEGIN_DECLS

#define RKI_SESSION_MAX_BYTES (256u * 1024u * 1024u)
#define RKI_SESSION_MAX_RECORDS 1000000u

typedef enum {
  RKI_RECORD_IMAGE,
  RKI_RECORD_PEN,
  RKI_RECORD_CARD_INSERT,
  RKI_RECORD_CARD_REMOVE,
  RKI_RECORD_APDU,
  RKI_RECORD_UPS,
  RKI_RECORD_UNPLUG,
  RKI_RECORD_HANG,
  RKI_RECORD_FAIL,
} RkiRecordKind;

typedef struct {
  RkiRecordKind kind;
  guint         time_ms;
  RkiImage     *image;     /* IMAGE */
  int           x, y, pressure; /* PEN */
  gboolean      touch;     /* PEN */
  GBytes       *bytes;     /* CARD_INSERT: ATR; APDU: command */
  GBytes       *response;  /* APDU */
  char         *text;      /* UPS: status words; FAIL: message */
  int           charge, runtime; /* UPS */
} RkiRecord;

typedef struct _RkiSession RkiSession;

RkiSession *rki_session_load       (const char *path, GError **error);
RkiSession *rki_session_parse      (const char *text, gsize length, const char *base_dir,
                                    const char *name, GError **error);
void        rki_session_free       (RkiSession *self);
const char *rki_session_get_class  (const RkiSession *self);
const char *rki_session_get_label  (const RkiSession *self);
const char *rki_session_get_serial (const RkiSession *self);
const char *rki_session_get_firmware (const RkiSession *self);
gboolean    rki_session_get_loop   (const RkiSession *self);
gboolean    rki_session_get_ranges (const RkiSession *self, int *ret_x, int *ret_y, int *ret_p);
guint       rki_session_get_n_records (const RkiSession *self);
const RkiRecord *rki_session_get_record (const RkiSession *self, guint index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkiSession, rki_session_free)

/* Writing: `rekamctl device record`. */
typedef struct _RkiSessionWriter RkiSessionWriter;

RkiSessionWriter *rki_session_writer_new (const char *path, const char *device_class,
                                          const char *label, const char *serial, GError **error);
gboolean rki_session_writer_add_image (RkiSessionWriter *self, RkiImage *image, GError **error);
gboolean rki_session_writer_add_line  (RkiSessionWriter *self, const char *kind_and_args,
                                       GError **error);
/* A header line written as is (before the first record): "ranges ...". */
gboolean rki_session_writer_add_header (RkiSessionWriter *self, const char *line, GError **error);
gboolean rki_session_writer_close     (RkiSessionWriter *self, GError **error);
guint    rki_session_writer_get_count (RkiSessionWriter *self);
void     rki_session_writer_free      (RkiSessionWriter *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RkiSessionWriter, rki_session_writer_free)

/* Hex helpers shared by the smartcard code. NULL on bad input. */
GBytes *rki_hex_decode (const char *hex, GError **error);
char   *rki_hex_encode (GBytes *bytes);

G_END_DECLS
