/* WSQ internals shared by the encoder and the decoder.
 *
 * Layout of a WSQ file (FBI IAFIS-IC-0110 v3.1): markers are 0xFFAx; every
 * segment after a marker starts with a 16-bit big-endian length that
 * counts itself. The image is normalised ((pixel - M) / R), split into 64
 * subbands by a fixed wavelet-packet tree (20 two-dimensional analysis
 * steps with the 9/7 biorthogonal filters), 60 of the subbands are
 * quantised with a dead-zone scalar quantiser and Huffman coded in three
 * blocks (subbands 0-18, 19-51, 52-59). */
#ifndef CAPTURE_WSQ_PRIVATE_H
#define CAPTURE_WSQ_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture-status.h"

#define WSQ_MARKER_SOI 0xFFA0
#define WSQ_MARKER_EOI 0xFFA1
#define WSQ_MARKER_SOF 0xFFA2
#define WSQ_MARKER_SOB 0xFFA3
#define WSQ_MARKER_DTT 0xFFA4
#define WSQ_MARKER_DQT 0xFFA5
#define WSQ_MARKER_DHT 0xFFA6
#define WSQ_MARKER_DRT 0xFFA7
#define WSQ_MARKER_COM 0xFFA8

#define WSQ_N_NODES 20        /* two-dimensional analysis steps */
#define WSQ_N_SUBBANDS 64     /* subbands in the quantisation table */
#define WSQ_N_CODED 60        /* subbands 60-63 are never transmitted */
#define WSQ_BLOCK2_START 19   /* first subband of the second block */
#define WSQ_BLOCK3_START 52   /* first subband of the third block */
#define WSQ_N_HUFFMAN_TABLES 8
#define WSQ_MIN_DIMENSION 32  /* below this the tree has empty subbands */
#define WSQ_BIN_CENTER 0.44   /* C of the dequantiser (spec default) */
#define WSQ_MAX_FILTER 31     /* longest filter a DTT may carry */

/* One rectangle of the decomposition: a transform node or a subband. */
typedef struct {
  int x, y;            /* top-left corner in the coefficient plane */
  int width, height;
  bool invert_x;       /* high band stored before the low band along x */
  bool invert_y;       /* ... along y */
} WsqRect;

typedef struct {
  WsqRect nodes[WSQ_N_NODES];      /* in analysis order */
  WsqRect subbands[WSQ_N_CODED];   /* in coding order */
} WsqTree;

/* Builds the decomposition tree of a @width x @height image. */
void wsq_tree_build (WsqTree *tree, int width, int height);

/* The analysis/synthesis filter pair. Odd lengths only (whole-sample
 * symmetric), which is what every WSQ encoder in use writes. Arrays hold
 * the right half, index 0 = centre tap. */
typedef struct {
  int low_length;                   /* analysis low-pass taps (9) */
  int high_length;                  /* analysis high-pass taps (7) */
  double low[WSQ_MAX_FILTER / 2 + 1];
  double high[WSQ_MAX_FILTER / 2 + 1];
} WsqFilters;

/* The standard 9/7 pair (Cohen-Daubechies-Feauveau, low-pass sums to
 * sqrt 2). */
void wsq_filters_standard (WsqFilters *filters);

/* Forward and inverse transform, in place, of the coefficient plane
 * @plane (width * height floats, row-major) over the tree. false when
 * the scratch memory cannot be allocated (the plane is then untouched). */
bool wsq_transform_forward (float *plane, int width, int height,
                            const WsqTree *tree, const WsqFilters *filters);
bool wsq_transform_inverse (float *plane, int width, int height,
                            const WsqTree *tree, const WsqFilters *filters);
size_t wsq_transform_scratch_size (int width, int height);

/* Canonical Huffman table as DHT stores it. */
typedef struct {
  uint8_t counts[17];     /* counts[l] = number of codes of length l */
  uint8_t values[256];    /* symbols in code order */
  int n_values;
  bool defined;
} WsqHuffmanTable;

/* Builds a length-limited (16 bits) table from symbol frequencies
 * (JPEG Annex K.2/K.3 procedure; one code point is reserved so that no
 * code is all ones). */
void wsq_huffman_build (WsqHuffmanTable *table, const uint32_t frequencies[256]);

/* Code of each symbol (length 0 = symbol absent). */
void wsq_huffman_codes (const WsqHuffmanTable *table, uint16_t codes[256],
                        uint8_t lengths[256]);

/* Scaled values: a byte exponent E and an unsigned integer V meaning
 * V / 10^E. */
double wsq_scaled_value (uint32_t value, int exponent);
/* Best (exponent, value) for @x >= 0 with value <= @max_value. */
void wsq_scale (double x, uint32_t max_value, int *ret_exponent, uint32_t *ret_value);

/* Huffman symbols of the coefficient stream (spec Table A.2). */
#define WSQ_SYMBOL_MAX_RUN 100       /* 1..100: run of zeros */
#define WSQ_SYMBOL_POS8 101
#define WSQ_SYMBOL_NEG8 102
#define WSQ_SYMBOL_POS16 103
#define WSQ_SYMBOL_NEG16 104
#define WSQ_SYMBOL_RUN8 105
#define WSQ_SYMBOL_RUN16 106
#define WSQ_SYMBOL_COEFF_BIAS 180    /* 107..254: coefficient + 180 */
#define WSQ_COEFF_MIN (-73)
#define WSQ_COEFF_MAX 74

#endif
