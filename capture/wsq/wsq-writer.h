/* A capped, growable byte buffer with a bit writer for entropy-coded
 * segments (WSQ private). */
#ifndef CAPTURE_WSQ_WRITER_H
#define CAPTURE_WSQ_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint8_t *data;      /* malloc'ed */
  size_t size;
  size_t capacity;
  size_t max_size;    /* hard cap; writes beyond it set failed */
  bool failed;        /* no memory or over the cap */
  uint32_t bit_buffer;
  int n_bits;         /* bits pending in bit_buffer */
} WsqWriter;

void wsq_writer_init (WsqWriter *writer, size_t initial, size_t max_size);
void wsq_writer_byte (WsqWriter *writer, unsigned value);
void wsq_writer_u16 (WsqWriter *writer, unsigned value);
void wsq_writer_u32 (WsqWriter *writer, uint32_t value);
void wsq_writer_bytes (WsqWriter *writer, const void *data, size_t size);
/* Appends the @n_bits low bits of @value, most significant first, with a
 * 0x00 stuffed after every 0xFF byte. */
void wsq_writer_bits (WsqWriter *writer, uint32_t value, int n_bits);
/* Pads the last byte with 1 bits. */
void wsq_writer_flush_bits (WsqWriter *writer);

#endif
