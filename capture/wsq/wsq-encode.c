/* The WSQ encoder.
 *
 * Bit allocation follows the spec's encoder guidance: subband variances
 * are measured on the central part of each subband, relative bin widths
 * come from the variances and fixed weights, and one overall scale q is
 * solved so that the expected rate meets the requested bits per pixel,
 * dropping subbands whose bins would be wider than five standard
 * deviations. Only the decoder side is normative; any bin widths give a
 * valid file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture-wsq.h"
#include "wsq-private.h"
#include "wsq-writer.h"

#define VARIANCE_THRESHOLD 1.01
#define ZERO_BIN_RATIO 1.2

typedef struct {
  double q[WSQ_N_SUBBANDS];    /* bin widths, 0 = not transmitted */
  double z[WSQ_N_SUBBANDS];    /* zero-bin widths */
  int q_exponent[WSQ_N_SUBBANDS], z_exponent[WSQ_N_SUBBANDS];
  uint32_t q_value[WSQ_N_SUBBANDS], z_value[WSQ_N_SUBBANDS];
} Quantiser;

static double
subband_variance (const float *plane, int width, const WsqRect *r, bool central)
{
  int x0 = r->x, y0 = r->y, w = r->width, h = r->height;
  if (central)
    {
      /* the spec's window: skip 1/8 of the width and 9/32 of the height */
      x0 += r->width / 8;
      y0 += 9 * r->height / 32;
      w = 3 * r->width / 4;
      h = 7 * r->height / 16;
    }
  if (w * h < 2)
    return 0;
  double sum = 0, sum_squares = 0;
  for (int y = y0; y < y0 + h; y++)
    for (int x = x0; x < x0 + w; x++)
      {
        double v = plane[(size_t) y * width + x];
        sum += v;
        sum_squares += v * v;
      }
  double n = (double) w * h;
  return (sum_squares - sum * sum / n) / (n - 1);
}

static void
allocate_bins (Quantiser *quant, const float *plane, int width, const WsqTree *tree,
               double bitrate)
{
  double variance[WSQ_N_CODED], relative[WSQ_N_CODED], size_fraction[WSQ_N_CODED];
  bool kept[WSQ_N_CODED];
  double total = 0;
  for (int k = 0; k < WSQ_N_CODED; k++)
    total += variance[k] = subband_variance (plane, width, &tree->subbands[k], true);
  if (total < 20000.0)
    for (int k = 0; k < WSQ_N_CODED; k++)
      variance[k] = subband_variance (plane, width, &tree->subbands[k], false);

  for (int k = 0; k < WSQ_N_CODED; k++)
    {
      /* weights of the spec for the eight largest (first-level) bands */
      double weight = 1.0;
      if (k == 52 || k == 56)
        weight = 1.32;
      else if (k == 53 || k == 58 || k == 55 || k == 59)
        weight = 1.08;
      else if (k == 54 || k == 57)
        weight = 1.42;
      kept[k] = variance[k] >= VARIANCE_THRESHOLD;
      relative[k] = k < 4 ? 1.0 : (kept[k] ? 10.0 / (weight * log (variance[k])) : 0);
      /* share of the image each subband covers, in the spec's units */
      size_fraction[k] = k < 4 ? 1.0 / 1024 : (k < 51 ? 1.0 / 256 : 1.0 / 16);
    }

  double q = 1.0;
  for (int round = 0; round < WSQ_N_CODED; round++)
    {
      double fraction = 0, log_product = 0;
      for (int k = 0; k < WSQ_N_CODED; k++)
        if (kept[k])
          {
            fraction += size_fraction[k];
            log_product += size_fraction[k] * log (sqrt (variance[k]) / relative[k]);
          }
      if (fraction <= 0)
        break;
      q = pow (2.0, bitrate / fraction - 1.0) / 2.5 / exp (log_product / fraction);
      int dropped = 0;
      for (int k = 0; k < WSQ_N_CODED; k++)
        if (kept[k] && relative[k] / q >= 5.0 * sqrt (variance[k]))
          {
            kept[k] = false;
            dropped++;
          }
      if (dropped == 0)
        break;
    }

  memset (quant, 0, sizeof *quant);
  for (int k = 0; k < WSQ_N_CODED; k++)
    {
      if (!kept[k] || !(q > 0) || !isfinite (q))
        continue;
      /* Quantise with the values as written, so that the decoder's
       * reconstruction matches the encoder's bins exactly. */
      wsq_scale (relative[k] / q, 65535, &quant->q_exponent[k], &quant->q_value[k]);
      wsq_scale (ZERO_BIN_RATIO * relative[k] / q, 65535, &quant->z_exponent[k],
                 &quant->z_value[k]);
      quant->q[k] = wsq_scaled_value (quant->q_value[k], quant->q_exponent[k]);
      quant->z[k] = wsq_scaled_value (quant->z_value[k], quant->z_exponent[k]);
      if (quant->q[k] <= 0)
        quant->q[k] = quant->z[k] = quant->q_value[k] = quant->z_value[k] = 0;
    }
}

static int
quantise (double v, double q, double z)
{
  double half = z / 2;
  double level;
  if (v > half)
    level = floor ((v - half) / q) + 1;
  else if (v < -half)
    level = -(floor ((-v - half) / q) + 1);
  else
    return 0;
  if (level > 32767)
    level = 32767;
  if (level < -32767)
    level = -32767;
  return (int) level;
}

/* Symbol stream of one block; extra bits follow some symbols. */
typedef struct {
  uint8_t *symbols;
  uint16_t *extra;
  size_t n;
} Symbols;

static void
push (Symbols *s, unsigned symbol, unsigned extra)
{
  s->symbols[s->n] = (uint8_t) symbol;
  s->extra[s->n] = (uint16_t) extra;
  s->n++;
}

static void
push_run (Symbols *s, unsigned run)
{
  if (run <= WSQ_SYMBOL_MAX_RUN)
    push (s, run, 0);
  else if (run <= 0xff)
    push (s, WSQ_SYMBOL_RUN8, run);
  else
    push (s, WSQ_SYMBOL_RUN16, run);
}

static void
push_coefficient (Symbols *s, int c)
{
  if (c >= WSQ_COEFF_MIN && c <= WSQ_COEFF_MAX)
    push (s, (unsigned) (c + WSQ_SYMBOL_COEFF_BIAS), 0);
  else if (c > 0)
    push (s, c <= 0xff ? WSQ_SYMBOL_POS8 : WSQ_SYMBOL_POS16, (unsigned) c);
  else
    push (s, -c <= 0xff ? WSQ_SYMBOL_NEG8 : WSQ_SYMBOL_NEG16, (unsigned) -c);
}

/* Turns subbands [first, last) into symbols. @symbols has room for one
 * symbol per coefficient (a symbol never codes less than one). */
static void
block_symbols (Symbols *s, const float *plane, int width, const WsqTree *tree,
               const Quantiser *quant, int first, int last)
{
  unsigned run = 0;
  for (int k = first; k < last; k++)
    {
      if (quant->q[k] <= 0)
        continue;
      const WsqRect *r = &tree->subbands[k];
      for (int y = r->y; y < r->y + r->height; y++)
        for (int x = r->x; x < r->x + r->width; x++)
          {
            int c = quantise (plane[(size_t) y * width + x], quant->q[k], quant->z[k]);
            if (c == 0)
              {
                if (++run == 0xffff)
                  {
                    push_run (s, run);
                    run = 0;
                  }
                continue;
              }
            if (run > 0)
              push_run (s, run);
            run = 0;
            push_coefficient (s, c);
          }
    }
  if (run > 0)
    push_run (s, run);
}

static int
extra_bits (unsigned symbol)
{
  switch (symbol)
    {
    case WSQ_SYMBOL_POS8: case WSQ_SYMBOL_NEG8: case WSQ_SYMBOL_RUN8: return 8;
    case WSQ_SYMBOL_POS16: case WSQ_SYMBOL_NEG16: case WSQ_SYMBOL_RUN16: return 16;
    default: return 0;
    }
}

static void
count (const Symbols *s, uint32_t frequencies[256])
{
  for (size_t i = 0; i < s->n; i++)
    frequencies[s->symbols[i]]++;
}

static void
write_table (WsqWriter *w, int id, const WsqHuffmanTable *table)
{
  wsq_writer_u16 (w, WSQ_MARKER_DHT);
  wsq_writer_u16 (w, (unsigned) (3 + 16 + table->n_values));
  wsq_writer_byte (w, (unsigned) id);
  for (int l = 1; l <= 16; l++)
    wsq_writer_byte (w, table->counts[l]);
  wsq_writer_bytes (w, table->values, (size_t) table->n_values);
}

static void
write_block (WsqWriter *w, int table_id, const WsqHuffmanTable *table, const Symbols *s)
{
  uint16_t codes[256];
  uint8_t lengths[256];
  wsq_huffman_codes (table, codes, lengths);
  wsq_writer_u16 (w, WSQ_MARKER_SOB);
  wsq_writer_u16 (w, 3);
  wsq_writer_byte (w, (unsigned) table_id);
  for (size_t i = 0; i < s->n; i++)
    {
      unsigned symbol = s->symbols[i];
      wsq_writer_bits (w, codes[symbol], lengths[symbol]);
      int n_extra = extra_bits (symbol);
      if (n_extra > 0)
        wsq_writer_bits (w, s->extra[i], n_extra);
    }
  wsq_writer_flush_bits (w);
}

static void
write_scaled (WsqWriter *w, double x)
{
  int exponent;
  uint32_t value;
  wsq_scale (x, 65535, &exponent, &value);
  wsq_writer_byte (w, (unsigned) exponent);
  wsq_writer_u16 (w, value);
}

static void
write_headers (WsqWriter *w, int width, int height, int ppi, double bitrate,
               double mean, double scale, const WsqFilters *filters,
               const Quantiser *quant)
{
  wsq_writer_u16 (w, WSQ_MARKER_SOI);

  /* NIST_COM: the attribute list other NIST tools read the PPI from. */
  char comment[256];
  int n = snprintf (comment, sizeof comment,
                    "NIST_COM 9\nPIX_WIDTH %d\nPIX_HEIGHT %d\nPIX_DEPTH 8\nPPI %d\n"
                    "LOSSY 1\nCOLORSPACE GRAY\nCOMPRESSION WSQ\nWSQ_BITRATE %f",
                    width, height, ppi, bitrate);
  wsq_writer_u16 (w, WSQ_MARKER_COM);
  wsq_writer_u16 (w, (unsigned) (n + 2));
  wsq_writer_bytes (w, comment, (size_t) n);

  /* DTT: right halves of the analysis filters, low-pass first. */
  int low_half = filters->low_length / 2 + 1, high_half = filters->high_length / 2 + 1;
  wsq_writer_u16 (w, WSQ_MARKER_DTT);
  wsq_writer_u16 (w, (unsigned) (4 + 6 * (low_half + high_half)));
  wsq_writer_byte (w, (unsigned) filters->low_length);
  wsq_writer_byte (w, (unsigned) filters->high_length);
  for (int pass = 0; pass < 2; pass++)
    {
      const double *c = pass == 0 ? filters->low : filters->high;
      int half = pass == 0 ? low_half : high_half;
      for (int k = 0; k < half; k++)
        {
          int exponent;
          uint32_t value;
          wsq_scale (fabs (c[k]), 4294967295u, &exponent, &value);
          wsq_writer_byte (w, c[k] < 0 ? 1 : 0);
          wsq_writer_byte (w, (unsigned) exponent);
          wsq_writer_u32 (w, value);
        }
    }

  wsq_writer_u16 (w, WSQ_MARKER_DQT);
  wsq_writer_u16 (w, 2 + 3 + 6 * WSQ_N_SUBBANDS);
  write_scaled (w, WSQ_BIN_CENTER);
  for (int k = 0; k < WSQ_N_SUBBANDS; k++)
    {
      wsq_writer_byte (w, (unsigned) quant->q_exponent[k]);
      wsq_writer_u16 (w, quant->q_value[k]);
      wsq_writer_byte (w, (unsigned) quant->z_exponent[k]);
      wsq_writer_u16 (w, quant->z_value[k]);
    }

  wsq_writer_u16 (w, WSQ_MARKER_SOF);
  wsq_writer_u16 (w, 17);
  wsq_writer_byte (w, 0);    /* black */
  wsq_writer_byte (w, 255);  /* white */
  wsq_writer_u16 (w, (unsigned) height);
  wsq_writer_u16 (w, (unsigned) width);
  write_scaled (w, mean);
  write_scaled (w, scale);
  wsq_writer_byte (w, 2);    /* encoder: spec version 3 */
  wsq_writer_u16 (w, 0);     /* software: not FBI-certified */
}

CaptureStatus
capture_wsq_encode (const CaptureImage *image, double bitrate, int ppi,
                    uint8_t **ret_data, size_t *ret_size)
{
  CaptureStatus status = capture_image_validate (image);
  if (status != CAPTURE_OK)
    return status;
  if (image->channels != 1 || ret_data == NULL || ret_size == NULL
      || !(bitrate > 0 && bitrate <= 8) || ppi < 0 || ppi > 100000)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  int width = image->width, height = image->height;
  if (width < CAPTURE_WSQ_MIN_DIMENSION || height < CAPTURE_WSQ_MIN_DIMENSION)
    return CAPTURE_ERROR_IMAGE_TOO_SMALL;
  if (width > CAPTURE_WSQ_MAX_DIMENSION || height > CAPTURE_WSQ_MAX_DIMENSION)
    return CAPTURE_ERROR_IMAGE_TOO_LARGE;
  if (ppi == 0)
    ppi = CAPTURE_WSQ_DEFAULT_PPI;

  /* Normalise to about [-128, 128] around the mean, with M and R as they
   * will be written (five significant digits). */
  double sum = 0;
  int lowest = 255, highest = 0;
  for (int y = 0; y < height; y++)
    {
      const uint8_t *row = capture_image_row (image, y);
      for (int x = 0; x < width; x++)
        {
          sum += row[x];
          lowest = row[x] < lowest ? row[x] : lowest;
          highest = row[x] > highest ? row[x] : highest;
        }
    }
  double mean = sum / ((double) width * height);
  double spread = fmax (highest - mean, mean - lowest) / 128.0;
  if (spread < 1e-3)
    spread = 1.0;   /* a flat image: any scale codes it */
  int exponent;
  uint32_t value;
  wsq_scale (mean, 65535, &exponent, &value);
  mean = wsq_scaled_value (value, exponent);
  wsq_scale (spread, 65535, &exponent, &value);
  spread = wsq_scaled_value (value, exponent);

  size_t n_pixels = (size_t) width * height;
  float *plane = malloc (n_pixels * sizeof (float));
  Symbols blocks[3] = { 0 };
  for (int b = 0; b < 3; b++)
    {
      blocks[b].symbols = malloc (n_pixels);
      blocks[b].extra = malloc (n_pixels * sizeof (uint16_t));
    }
  Quantiser *quant = malloc (sizeof *quant);
  WsqTree tree;
  WsqFilters filters;
  WsqWriter w;
  wsq_writer_init (&w, n_pixels / 4 + 4096, CAPTURE_WSQ_MAX_BYTES);
  bool ok = plane != NULL && quant != NULL && !w.failed;
  for (int b = 0; b < 3; b++)
    ok = ok && blocks[b].symbols != NULL && blocks[b].extra != NULL;
  if (ok)
    {
      for (int y = 0; y < height; y++)
        {
          const uint8_t *row = capture_image_row (image, y);
          for (int x = 0; x < width; x++)
            plane[(size_t) y * width + x] = (float) ((row[x] - mean) / spread);
        }
      wsq_tree_build (&tree, width, height);
      wsq_filters_standard (&filters);
      ok = wsq_transform_forward (plane, width, height, &tree, &filters);
    }
  if (ok)
    {
      allocate_bins (quant, plane, width, &tree, bitrate);

      static const int starts[4] = { 0, WSQ_BLOCK2_START, WSQ_BLOCK3_START, WSQ_N_CODED };
      for (int b = 0; b < 3; b++)
        block_symbols (&blocks[b], plane, width, &tree, quant, starts[b], starts[b + 1]);

      /* Table 0 codes block 1, table 1 blocks 2 and 3. A table always
       * holds a symbol, so that an empty block still has valid tables. */
      uint32_t freq0[256] = { 0 }, freq1[256] = { 0 };
      count (&blocks[0], freq0);
      count (&blocks[1], freq1);
      count (&blocks[2], freq1);
      freq0[1] += freq0[1] == 0;
      freq1[1] += freq1[1] == 0;
      WsqHuffmanTable table0, table1;
      wsq_huffman_build (&table0, freq0);
      wsq_huffman_build (&table1, freq1);

      write_headers (&w, width, height, ppi, bitrate, mean, spread, &filters, quant);
      write_table (&w, 0, &table0);
      write_block (&w, 0, &table0, &blocks[0]);
      write_table (&w, 1, &table1);
      write_block (&w, 1, &table1, &blocks[1]);
      write_block (&w, 1, &table1, &blocks[2]);
      wsq_writer_u16 (&w, WSQ_MARKER_EOI);
    }
  free (plane);
  free (quant);
  for (int b = 0; b < 3; b++)
    {
      free (blocks[b].symbols);
      free (blocks[b].extra);
    }
  if (!ok || w.failed)
    {
      bool too_big = ok && w.size + 16 > w.max_size;
      free (w.data);
      return too_big ? CAPTURE_ERROR_SIZE_BUDGET : CAPTURE_ERROR_NO_MEMORY;
    }
  *ret_data = w.data;
  *ret_size = w.size;
  return CAPTURE_OK;
}
