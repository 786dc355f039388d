/* capture: ISO/IEC 19794-5:2005 face image records ("FAC\0" "010\0").
 *
 * Layout (big-endian): a 14-byte general header (format id, version,
 * record length u32, number of images u16), then per image a block:
 * length u32, the facial information (feature point count u16, gender,
 * eye colour, hair colour, feature mask u24, expression u16, pose angles
 * yaw/pitch/roll, their uncertainties), 8 bytes per feature point (type,
 * major<<4|minor, x u16, y u16, reserved u16), the image information
 * (face image type, image data type, width u16, height u16, colour space,
 * source type, device type u16, quality u16) and the image data.
 *
 * The reader trusts nothing: every length is checked against the buffer
 * and against the caps below before anything is used, and images point
 * into the caller's buffer (no copies, no allocation). */
#ifndef CAPTURE_ISO19794_5_H
#define CAPTURE_ISO19794_5_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CAPTURE_ISO19794_5_HEADER_SIZE 14
#define CAPTURE_ISO19794_5_MAX_IMAGES 8
#define CAPTURE_ISO19794_5_MAX_POINTS 64
#define CAPTURE_ISO19794_5_MAX_RECORD_SIZE (16u * 1024u * 1024u)

enum {
  CAPTURE_ISO19794_5_TYPE_BASIC = 0,
  CAPTURE_ISO19794_5_TYPE_FULL_FRONTAL = 1,
  CAPTURE_ISO19794_5_TYPE_TOKEN_FRONTAL = 2,
};
enum {
  CAPTURE_ISO19794_5_DATA_JPEG = 0,
  CAPTURE_ISO19794_5_DATA_JPEG2000 = 1,
};
enum {
  CAPTURE_ISO19794_5_COLOUR_RGB24 = 1,
  CAPTURE_ISO19794_5_SOURCE_DIGITAL_STILL = 2,
  CAPTURE_ISO19794_5_SOURCE_DIGITAL_VIDEO = 6,
};

typedef struct {
  uint8_t type;   /* 1 = MPEG-4 feature point (2D) */
  uint8_t major;  /* e.g. 12 for the eye centres */
  uint8_t minor;  /* 1..15 */
  uint16_t x;     /* pixels in the image */
  uint16_t y;
} CaptureIso19794_5Point;

typedef struct {
  uint8_t gender;              /* 0 unspecified, 1 male, 2 female, 255 unknown */
  uint8_t eye_colour;          /* 0 unspecified */
  uint8_t hair_colour;         /* 0 unspecified */
  uint32_t feature_mask;       /* 24 bits */
  uint16_t expression;         /* 0 unspecified, 1 neutral */
  uint8_t pose[3];             /* yaw, pitch, roll: 0 unspecified, else
                                  angle + 91 (1..181) */
  uint8_t pose_uncertainty[3];
  size_t n_points;
  CaptureIso19794_5Point points[CAPTURE_ISO19794_5_MAX_POINTS];
  uint8_t face_image_type;     /* CAPTURE_ISO19794_5_TYPE_* */
  uint8_t image_data_type;     /* CAPTURE_ISO19794_5_DATA_* */
  uint16_t width, height;
  uint8_t colour_space;
  uint8_t source_type;
  uint16_t device_type;
  uint16_t quality;            /* 0 unspecified */
  const uint8_t *data;         /* the encoded image, borrowed */
  size_t data_size;
} CaptureIso19794_5Image;

/* Defaults: JPEG, RGB, digital still camera, neutral expression, full
 * frontal, no points, no data. */
void capture_iso19794_5_image_init (CaptureIso19794_5Image *image);

/* Sets the two eye-centre feature points (12.1 the subject's left eye,
 * 12.2 the right) where token-frontal geometry puts them for the image's
 * width. */
void capture_iso19794_5_image_set_token_eyes (CaptureIso19794_5Image *image);

/* Writes @n_images images into a new malloc'ed record. INVALID_ARGUMENT
 * for an image without data, zero dimensions, too many points, or a record
 * beyond the cap. */
CaptureStatus capture_iso19794_5_write (const CaptureIso19794_5Image *images,
                                        size_t n_images, uint8_t **ret_data,
                                        size_t *ret_size);

/* Parses a record. Fills at most @max_images entries of @ret_images (their
 * data pointers point into @data) and sets *ret_n_images. MALFORMED_DATA
 * names nothing more precise than "malformed"; @ret_reason (may be NULL)
 * receives a static English phrase saying which field was wrong.
 * UNSUPPORTED for another version; CAPACITY when the record holds more
 * than @max_images images or CAPTURE_ISO19794_5_MAX_POINTS points. */
CaptureStatus capture_iso19794_5_read (const uint8_t *data, size_t size,
                                       CaptureIso19794_5Image *ret_images,
                                       size_t max_images, size_t *ret_n_images,
                                       const char **ret_reason);

#ifdef __cplusplus
}
#endif

#endif
