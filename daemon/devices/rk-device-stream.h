/* rk-device-stream.h: live previews over WebSocket.
 *
 * Protocol (docs/devices.md, "Live streams"): the server first sends a
 * JSON "hello" naming the device and the window W; then binary messages
 * are JPEG frames (camera, iris, and each image a capture delivers) and
 * text messages are JSON events (pen samples, card, UPS, awaiting-finger).
 * Back-pressure is by credit: the client may have at most W unacknowledged
 * messages; it acknowledges by sending any message back. A client that
 * does not keep up gets messages dropped (counted, reported in the next
 * JSON event), so the daemon never queues more than W per client.
 */
#pragma once

#include <libsoup/soup.h>

#include "rk-api.h"
#include "rk-device-manager.h"
#include "rki-image.h"

G_BEGIN_DECLS

#define RK_DEVICE_STREAM_WINDOW 4

/* The WebSocket callback for /v1/devices/{id}/stream. */
void rk_device_stream_accept (RkApiRequest *request, SoupWebsocketConnection *connection,
                              gpointer user_data /* RkDeviceManager */);
/* Streams @device to @connection (the part of accept after the id is
 * resolved; tests call it on a socketpair). */
void rk_device_stream_attach (RkiDevice *device, SoupWebsocketConnection *connection);
/* Sends @image to every stream of @device (captures made through the API). */
void rk_device_stream_publish_image (RkiDevice *device, RkiImage *image);
/* Closes every stream (daemon stop). */
void rk_device_stream_close_all (void);
/* Encodes GRAY8/RGB24/YUYV as JPEG (quality 80), passes JPEG through.
 * (transfer full), NULL on failure. */
GBytes *rk_device_stream_encode_jpeg (RkiImage *image);

G_END_DECLS
