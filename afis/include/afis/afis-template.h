/* afis: ISO/IEC 19794-2:2005 finger minutiae records.
 *
 * A record holds one or more finger views (multi-view: several fingers, or
 * several impressions of one). Reading then writing a valid record gives
 * back the same bytes: every field is kept, including extended data areas
 * this library does not interpret (ridge counts, core and delta, other
 * vendors' areas), which travel verbatim.
 *
 * Our extractor writes coordinates in pixels at 500 ppi (197 pixels per
 * centimetre, the record's resolution unit) and the image quality in the
 * view's finger quality byte. Records from other extractors may use any
 * resolution; afis_template_view_print() rescales them to 500 ppi. */
#ifndef AFIS_TEMPLATE_H
#define AFIS_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "afis/afis-finger.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFIS_TEMPLATE_MAX_VIEWS 16
#define AFIS_TEMPLATE_MAX_EXTENDED 2048 /* bytes of extended data per view */
#define AFIS_TEMPLATE_HEADER_SIZE 24
#define AFIS_TEMPLATE_VIEW_HEADER_SIZE 4
#define AFIS_TEMPLATE_MINUTIA_SIZE 6
/* The largest record this library reads or writes. */
#define AFIS_TEMPLATE_MAX_SIZE                                                                   \
  (AFIS_TEMPLATE_HEADER_SIZE                                                                     \
   + AFIS_TEMPLATE_MAX_VIEWS                                                                     \
         * (AFIS_TEMPLATE_VIEW_HEADER_SIZE + 255 * AFIS_TEMPLATE_MINUTIA_SIZE + 2                \
            + AFIS_TEMPLATE_MAX_EXTENDED))
/* 500 ppi in the record's unit */
#define AFIS_TEMPLATE_RESOLUTION_500PPI 197

typedef enum {
  AFIS_IMPRESSION_LIVE_PLAIN = 0,
  AFIS_IMPRESSION_LIVE_ROLLED = 1,
  AFIS_IMPRESSION_NONLIVE_PLAIN = 2,
  AFIS_IMPRESSION_NONLIVE_ROLLED = 3,
  AFIS_IMPRESSION_SWIPE = 8,
} AfisImpressionType;

typedef struct {
  uint8_t position;        /* ISO finger position 0..10 (0 unknown), 11..14 multi */
  uint8_t view_number;     /* 0..15 */
  uint8_t impression_type; /* AfisImpressionType */
  uint8_t quality;         /* 0..100 */
  uint8_t minutia_count;
  AfisMinutia minutiae[AFIS_FINGER_MAX_MINUTIAE]; /* record coordinates */
  uint16_t extended_length;                       /* bytes in extended[] */
  uint8_t extended[AFIS_TEMPLATE_MAX_EXTENDED];   /* the extended data areas, verbatim */
} AfisTemplateView;

typedef struct {
  uint8_t certification; /* capture equipment certification flags, 0..15 */
  uint16_t device_type;  /* capture device type id, 0..4095 */
  uint16_t width;        /* image size in pixels */
  uint16_t height;
  uint16_t resolution_x; /* pixels per centimetre */
  uint16_t resolution_y;
  uint8_t view_count;
  AfisTemplateView views[AFIS_TEMPLATE_MAX_VIEWS];
} AfisTemplate;

/* Fills @ret_template with a one-view record of @print (500 ppi). */
AfisStatus afis_template_from_print (const AfisFingerprint *print, AfisTemplate *ret_template) AFIS_WARN_UNUSED;

/* Appends @print as a new view. AFIS_ERROR_CAPACITY when full. */
AfisStatus afis_template_add_view (AfisTemplate *template_, const AfisFingerprint *print) AFIS_WARN_UNUSED;

/* Size in bytes of the encoded record; 0 when @template_ is invalid. */
size_t afis_template_encoded_size (const AfisTemplate *template_);

/* Encodes into @buffer of @size bytes; *ret_length gets the bytes
 * written. AFIS_ERROR_BUFFER_TOO_SMALL leaves @buffer unspecified. */
AfisStatus afis_template_write (const AfisTemplate *template_, uint8_t *buffer, size_t size,
                                size_t *ret_length) AFIS_WARN_UNUSED;

/* Decodes a record, validating every field and length: it never reads
 * outside @data[0..size). AFIS_ERROR_MALFORMED_RECORD names nothing on its
 * own; @reason (may be NULL) receives a short English explanation. */
AfisStatus afis_template_read (const uint8_t *data, size_t size, AfisTemplate *ret_template,
                               char *reason, size_t reason_size) AFIS_WARN_UNUSED;

/* The print of view @view rescaled to 500 ppi, ready for
 * afis_search_template_build(). */
AfisStatus afis_template_view_print (const AfisTemplate *template_, int view,
                                     AfisFingerprint *ret_print) AFIS_WARN_UNUSED;

#ifdef __cplusplus
}
#endif

#endif
