/* The WSQ decoder.
 *
 * Every read is checked against the buffer; dimensions, table ids,
 * filter lengths, code lengths and coefficient counts are validated
 * before use, and nothing is allocated before the frame header has
 * passed the caps. Tables may come in any order before the first block
 * and may be redefined between blocks, as the spec allows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture-wsq.h"
#include "wsq-private.h"

typedef struct {
  const uint8_t *data;
  size_t size;
  size_t pos;
} Reader;

typedef struct {
  int min_code[17];
  int max_code[17];        /* -1 when no code has that length */
  int value_index[17];
  const WsqHuffmanTable *table;
} Decoder;

typedef struct {
  bool have_sof, have_dtt, have_dqt;
  int width, height;
  double mean, scale;          /* M and R */
  WsqFilters filters;
  double bin_center;
  double q[WSQ_N_SUBBANDS], z[WSQ_N_SUBBANDS];
  WsqHuffmanTable tables[WSQ_N_HUFFMAN_TABLES];
  int ppi;
  int n_blocks;
  WsqTree tree;
  int32_t *coefficients;       /* quantised, in coding order */
  size_t n_coefficients;       /* expected total */
  size_t n_decoded;
} State;

static bool
read_u8 (Reader *r, unsigned *ret)
{
  if (r->pos >= r->size)
    return false;
  *ret = r->data[r->pos++];
  return true;
}

static bool
read_u16 (Reader *r, unsigned *ret)
{
  if (r->size - r->pos < 2 || r->pos > r->size)
    return false;
  *ret = (unsigned) r->data[r->pos] << 8 | r->data[r->pos + 1];
  r->pos += 2;
  return true;
}

static bool
read_u32 (Reader *r, uint32_t *ret)
{
  unsigned high, low;
  if (!read_u16 (r, &high) || !read_u16 (r, &low))
    return false;
  *ret = (uint32_t) high << 16 | low;
  return true;
}

static bool
read_scaled (Reader *r, double *ret)
{
  unsigned exponent, value;
  if (!read_u8 (r, &exponent) || !read_u16 (r, &value))
    return false;
  *ret = wsq_scaled_value (value, (int) exponent);
  return true;
}

/* The segment after a marker: a reader limited to its declared length. */
static CaptureStatus
open_segment (Reader *r, Reader *ret_segment)
{
  unsigned length;
  if (!read_u16 (r, &length) || length < 2 || length - 2 > r->size - r->pos)
    return CAPTURE_ERROR_MALFORMED_DATA;
  ret_segment->data = r->data + r->pos;
  ret_segment->size = length - 2;
  ret_segment->pos = 0;
  r->pos += length - 2;
  return CAPTURE_OK;
}

static CaptureStatus
parse_sof (State *s, Reader *seg)
{
  unsigned black, white, height, width, encoder, software;
  if (s->have_sof)
    return CAPTURE_ERROR_MALFORMED_DATA;
  if (!read_u8 (seg, &black) || !read_u8 (seg, &white) || !read_u16 (seg, &height)
      || !read_u16 (seg, &width) || !read_scaled (seg, &s->mean)
      || !read_scaled (seg, &s->scale) || !read_u8 (seg, &encoder)
      || !read_u16 (seg, &software))
    return CAPTURE_ERROR_MALFORMED_DATA;
  if (width == 0 || height == 0)
    return CAPTURE_ERROR_MALFORMED_DATA;
  if (width > CAPTURE_WSQ_MAX_DIMENSION || height > CAPTURE_WSQ_MAX_DIMENSION
      || (size_t) width * height > CAPTURE_IMAGE_MAX_PIXELS)
    return CAPTURE_ERROR_IMAGE_TOO_LARGE;
  s->width = (int) width;
  s->height = (int) height;
  s->have_sof = true;
  wsq_tree_build (&s->tree, s->width, s->height);
  return CAPTURE_OK;
}

static CaptureStatus
parse_dtt (State *s, Reader *seg)
{
  unsigned lengths[2];
  if (!read_u8 (seg, &lengths[0]) || !read_u8 (seg, &lengths[1]))
    return CAPTURE_ERROR_MALFORMED_DATA;
  for (int f = 0; f < 2; f++)
    {
      if (lengths[f] == 0 || lengths[f] > WSQ_MAX_FILTER)
        return CAPTURE_ERROR_MALFORMED_DATA;
      /* Even-length (half-sample symmetric) filters are legal but no
       * encoder in use writes them. */
      if (lengths[f] % 2 == 0)
        return CAPTURE_ERROR_UNSUPPORTED;
    }
  WsqFilters filters;
  memset (&filters, 0, sizeof filters);
  filters.low_length = (int) lengths[0];
  filters.high_length = (int) lengths[1];
  for (int f = 0; f < 2; f++)
    {
      double *c = f == 0 ? filters.low : filters.high;
      int half = (int) lengths[f] / 2 + 1;
      for (int k = 0; k < half; k++)
        {
          unsigned sign, exponent;
          uint32_t value;
          if (!read_u8 (seg, &sign) || !read_u8 (seg, &exponent) || !read_u32 (seg, &value))
            return CAPTURE_ERROR_MALFORMED_DATA;
          c[k] = wsq_scaled_value (value, (int) exponent) * (sign != 0 ? -1 : 1);
        }
    }
  s->filters = filters;
  s->have_dtt = true;
  return CAPTURE_OK;
}

static CaptureStatus
parse_dqt (State *s, Reader *seg)
{
  if (!read_scaled (seg, &s->bin_center))
    return CAPTURE_ERROR_MALFORMED_DATA;
  for (int k = 0; k < WSQ_N_SUBBANDS; k++)
    if (!read_scaled (seg, &s->q[k]) || !read_scaled (seg, &s->z[k]))
      return CAPTURE_ERROR_MALFORMED_DATA;
  s->have_dqt = true;
  return CAPTURE_OK;
}

static CaptureStatus
parse_dht (State *s, Reader *seg)
{
  if (seg->size == 0)
    return CAPTURE_ERROR_MALFORMED_DATA;
  while (seg->pos < seg->size)
    {
      unsigned id;
      if (!read_u8 (seg, &id) || id >= WSQ_N_HUFFMAN_TABLES)
        return CAPTURE_ERROR_MALFORMED_DATA;
      WsqHuffmanTable table;
      memset (&table, 0, sizeof table);
      int total = 0;
      unsigned code_space = 0;   /* codes used, in units of 2^-16 */
      for (int l = 1; l <= 16; l++)
        {
          unsigned n;
          if (!read_u8 (seg, &n))
            return CAPTURE_ERROR_MALFORMED_DATA;
          table.counts[l] = (uint8_t) n;
          total += (int) n;
          code_space += n << (16 - l);
        }
      /* more codes than the code space holds is not a prefix code */
      if (total == 0 || total > 256 || code_space > 65536)
        return CAPTURE_ERROR_MALFORMED_DATA;
      for (int i = 0; i < total; i++)
        {
          unsigned v;
          if (!read_u8 (seg, &v))
            return CAPTURE_ERROR_MALFORMED_DATA;
          table.values[i] = (uint8_t) v;
        }
      table.n_values = total;
      table.defined = true;
      s->tables[id] = table;
    }
  return CAPTURE_OK;
}

/* Reads "PPI <n>" from a NIST_COM comment, if this is one. */
static void
parse_com (State *s, Reader *seg)
{
  static const char tag[] = "NIST_COM";
  if (seg->size < sizeof tag - 1 || memcmp (seg->data, tag, sizeof tag - 1) != 0)
    return;
  const char *text = (const char *) seg->data;
  size_t n = seg->size;
  for (size_t i = 0; i + 4 <= n; i++)
    if ((i == 0 || text[i - 1] == '\n') && memcmp (text + i, "PPI", 3) == 0
        && (text[i + 3] == ' ' || text[i + 3] == '\t'))
      {
        long ppi = 0;
        size_t j = i + 4;
        while (j < n && (text[j] == ' ' || text[j] == '\t'))
          j++;
        while (j < n && text[j] >= '0' && text[j] <= '9' && ppi < 1000000)
          ppi = ppi * 10 + (text[j++] - '0');
        if (ppi > 0)
          s->ppi = (int) ppi;
      }
}

static void
decoder_init (Decoder *d, const WsqHuffmanTable *table)
{
  int code = 0, k = 0;
  d->table = table;
  for (int l = 1; l <= 16; l++)
    {
      d->value_index[l] = k;
      d->min_code[l] = code;
      code += table->counts[l];
      k += table->counts[l];
      d->max_code[l] = table->counts[l] > 0 ? code - 1 : -1;
      code <<= 1;
    }
}

typedef struct {
  const uint8_t *data;
  size_t pos, end;     /* entropy-coded bytes [pos, end) */
  uint64_t buffer;
  int n_bits;
} BitReader;

static void
refill (BitReader *b)
{
  while (b->n_bits <= 56 && b->pos < b->end)
    {
      unsigned byte = b->data[b->pos++];
      if (byte == 0xff)
        b->pos++;   /* the stuffed 0x00 (the segment ends before markers) */
      b->buffer = b->buffer << 8 | byte;
      b->n_bits += 8;
    }
}

static bool
get_bits (BitReader *b, int n, unsigned *ret)
{
  refill (b);
  if (b->n_bits < n)
    return false;
  b->n_bits -= n;
  *ret = (unsigned) (b->buffer >> b->n_bits) & ((1u << n) - 1);
  return true;
}

/* Next symbol, 0 when the segment is used up (only padding left), -1 for
 * an invalid code. */
static int
next_symbol (BitReader *b, const Decoder *d)
{
  refill (b);
  if (b->n_bits == 0)
    return 0;
  /* Look at up to 16 bits; missing bits read as ones (the padding). */
  int available = b->n_bits < 16 ? b->n_bits : 16;
  unsigned peek = (unsigned) (b->buffer >> (b->n_bits - available)) & ((1u << available) - 1);
  peek = (peek << (16 - available)) | ((1u << (16 - available)) - 1);
  for (int l = 1; l <= 16; l++)
    {
      int code = (int) (peek >> (16 - l));
      if (d->max_code[l] >= 0 && code <= d->max_code[l])
        {
          if (l > available)
            return 0;  /* completed only by padding: end of block */
          b->n_bits -= l;
          int index = d->value_index[l] + code - d->min_code[l];
          if (index < 0 || index >= d->table->n_values)
            return -1;
          return d->table->values[index];
        }
    }
  /* all ones: padding when it is what is left, garbage otherwise */
  return available == b->n_bits && available < 8 ? 0 : -1;
}

static CaptureStatus
decode_block (State *s, Reader *r, const WsqHuffmanTable *table)
{
  /* The entropy-coded data runs to the next marker. */
  size_t end = r->pos;
  while (end + 1 < r->size && !(r->data[end] == 0xff && r->data[end + 1] != 0x00))
    end += r->data[end] == 0xff ? 2 : 1;
  if (end + 1 >= r->size)
    return CAPTURE_ERROR_MALFORMED_DATA;   /* truncated: no marker follows */
  Decoder d;
  decoder_init (&d, table);
  BitReader b = { r->data, r->pos, end, 0, 0 };
  for (;;)
    {
      int symbol = next_symbol (&b, &d);
      if (symbol == 0)
        break;
      if (symbol < 0 || symbol == 255)
        return CAPTURE_ERROR_MALFORMED_DATA;
      unsigned extra = 0;
      size_t run = 0;
      int32_t value = 0;
      if (symbol <= WSQ_SYMBOL_MAX_RUN)
        run = (size_t) symbol;
      else if (symbol == WSQ_SYMBOL_RUN8 || symbol == WSQ_SYMBOL_RUN16)
        {
          if (!get_bits (&b, symbol == WSQ_SYMBOL_RUN8 ? 8 : 16, &extra))
            return CAPTURE_ERROR_MALFORMED_DATA;
          run = extra;
        }
      else if (symbol >= WSQ_SYMBOL_POS8 && symbol <= WSQ_SYMBOL_NEG16)
        {
          int n = symbol <= WSQ_SYMBOL_NEG8 ? 8 : 16;
          if (!get_bits (&b, n, &extra))
            return CAPTURE_ERROR_MALFORMED_DATA;
          value = (symbol == WSQ_SYMBOL_POS8 || symbol == WSQ_SYMBOL_POS16)
                    ? (int32_t) extra : -(int32_t) extra;
        }
      else
        value = symbol - WSQ_SYMBOL_COEFF_BIAS;
      if (run > 0)
        {
          if (run > s->n_coefficients - s->n_decoded)
            return CAPTURE_ERROR_MALFORMED_DATA;
          s->n_decoded += run;   /* the array starts zeroed */
          continue;
        }
      if (s->n_decoded >= s->n_coefficients)
        return CAPTURE_ERROR_MALFORMED_DATA;
      s->coefficients[s->n_decoded++] = value;
    }
  r->pos = end;
  return CAPTURE_OK;
}

static CaptureStatus
start_blocks (State *s)
{
  if (!s->have_sof || !s->have_dqt || !s->have_dtt)
    return CAPTURE_ERROR_MALFORMED_DATA;
  size_t total = 0;
  for (int k = 0; k < WSQ_N_CODED; k++)
    {
      if (!(s->q[k] >= 0) || !(s->z[k] >= 0))
        return CAPTURE_ERROR_MALFORMED_DATA;
      if (s->q[k] > 0)
        total += (size_t) s->tree.subbands[k].width * s->tree.subbands[k].height;
    }
  s->n_coefficients = total;
  s->coefficients = calloc (total > 0 ? total : 1, sizeof (int32_t));
  return s->coefficients != NULL ? CAPTURE_OK : CAPTURE_ERROR_NO_MEMORY;
}

static CaptureStatus
reconstruct (State *s, CaptureImage *ret_image)
{
  int width = s->width, height = s->height;
  size_t n_pixels = (size_t) width * height;
  CaptureImage image;
  CaptureStatus status = capture_image_init (&image, width, height, 1);
  if (status != CAPTURE_OK)
    return status;
  float *plane = calloc (n_pixels, sizeof (float));
  if (plane == NULL)
    {
      capture_image_clear (&image);
      return CAPTURE_ERROR_NO_MEMORY;
    }
  size_t next = 0;
  double c = s->bin_center;
  for (int k = 0; k < WSQ_N_CODED; k++)
    {
      if (s->q[k] <= 0)
        continue;
      const WsqRect *r = &s->tree.subbands[k];
      double q = s->q[k], half_z = s->z[k] / 2;
      for (int y = r->y; y < r->y + r->height; y++)
        for (int x = r->x; x < r->x + r->width; x++)
          {
            int32_t p = s->coefficients[next++];
            double v = p > 0 ? q * (p - c) + half_z : (p < 0 ? q * (p + c) - half_z : 0);
            plane[(size_t) y * width + x] = (float) v;
          }
    }
  if (!wsq_transform_inverse (plane, width, height, &s->tree, &s->filters))
    {
      free (plane);
      capture_image_clear (&image);
      return CAPTURE_ERROR_NO_MEMORY;
    }
  float scale = (float) s->scale, mean = (float) s->mean;
  for (int y = 0; y < height; y++)
    {
      uint8_t *row = capture_image_row (&image, y);
      const float *in = plane + (size_t) y * width;
      for (int x = 0; x < width; x++)
        {
          float v = in[x] * scale + mean + 0.5f;
          row[x] = (uint8_t) (v < 0.0f ? 0 : (v >= 255.0f ? 255 : (int) v));
        }
    }
  free (plane);
  *ret_image = image;
  return CAPTURE_OK;
}

static CaptureStatus
decode (State *s, Reader *r, CaptureImage *ret_image)
{
  unsigned marker;
  if (!read_u16 (r, &marker) || marker != WSQ_MARKER_SOI)
    return CAPTURE_ERROR_MALFORMED_DATA;
  for (;;)
    {
      /* A marker may be preceded by 0xFF fill bytes. */
      while (r->pos + 1 < r->size && r->data[r->pos] == 0xff && r->data[r->pos + 1] == 0xff)
        r->pos++;
      if (!read_u16 (r, &marker))
        return CAPTURE_ERROR_MALFORMED_DATA;   /* truncated before EOI */
      if (marker == WSQ_MARKER_EOI)
        break;
      Reader seg;
      CaptureStatus status;
      if ((marker & 0xff00) != 0xff00)
        return CAPTURE_ERROR_MALFORMED_DATA;
      if ((status = open_segment (r, &seg)) != CAPTURE_OK)
        return status;
      switch (marker)
        {
        case WSQ_MARKER_SOF: status = parse_sof (s, &seg); break;
        case WSQ_MARKER_DTT: status = parse_dtt (s, &seg); break;
        case WSQ_MARKER_DQT: status = parse_dqt (s, &seg); break;
        case WSQ_MARKER_DHT: status = parse_dht (s, &seg); break;
        case WSQ_MARKER_COM:
          if (s->n_blocks == 0)
            parse_com (s, &seg);
          break;
        case WSQ_MARKER_SOB:
          {
            unsigned id;
            if (!read_u8 (&seg, &id) || id >= WSQ_N_HUFFMAN_TABLES || !s->tables[id].defined)
              return CAPTURE_ERROR_MALFORMED_DATA;
            if (s->n_blocks == 0 && (status = start_blocks (s)) != CAPTURE_OK)
              return status;
            s->n_blocks++;
            status = decode_block (s, r, &s->tables[id]);
            break;
          }
        case WSQ_MARKER_DRT:
          status = CAPTURE_ERROR_UNSUPPORTED;   /* restart intervals: unused in practice */
          break;
        default:
          status = CAPTURE_ERROR_MALFORMED_DATA;
          break;
        }
      if (status != CAPTURE_OK)
        return status;
    }
  if (s->n_blocks == 0 || s->n_decoded != s->n_coefficients)
    return CAPTURE_ERROR_MALFORMED_DATA;
  return reconstruct (s, ret_image);
}

CaptureStatus
capture_wsq_decode (const uint8_t *data, size_t size, CaptureImage *ret_image, int *ret_ppi)
{
  if (data == NULL || ret_image == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (size > CAPTURE_WSQ_MAX_BYTES)
    return CAPTURE_ERROR_IMAGE_TOO_LARGE;
  State *s = calloc (1, sizeof *s);
  if (s == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  s->ppi = -1;
  Reader r = { data, size, 0 };
  CaptureImage image;
  CaptureStatus status = decode (s, &r, &image);
  if (status == CAPTURE_OK)
    {
      *ret_image = image;
      if (ret_ppi != NULL)
        *ret_ppi = s->ppi;
    }
  free (s->coefficients);
  free (s);
  return status;
}
