/* vicc.h: a small contact card for vpcd (vsmartcard's virtual reader).
 *
 * Speaks vpcd's socket protocol: every message is a 2-byte big-endian
 * length then the bytes; a 1-byte message is a control (0 power off,
 * 1 power on, 2 reset, 4 get ATR, answered with the ATR), anything longer
 * is a command APDU answered with a response APDU. Connecting inserts the
 * card, closing the socket pulls it.
 *
 * The card: SELECT (A4) -> 9000; READ BINARY (B0) -> Le bytes 0,1,2...
 * + 9000; GET CHALLENGE (84) -> 8 bytes + 9000; anything else 6D00.
 */
#pragma once

#include <glib.h>

typedef struct _Vicc Vicc;

/* Connects to vpcd on 127.0.0.1:@port (retrying for up to 5 s) and
 * answers in a thread. NULL if vpcd never listened. */
Vicc *vicc_start (guint16 port);
/* The card is pulled (socket closed) when an APDU with this INS arrives,
 * without answering it. */
void  vicc_pull_on_ins (Vicc *self, guint8 ins);
guint vicc_get_apdu_count (Vicc *self);
/* Pull the card and free. */
void  vicc_stop (Vicc *self);
