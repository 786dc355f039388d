#include "wsq-writer.h"

#include <stdlib.h>
#include <string.h>

void
wsq_writer_init (WsqWriter *writer, size_t initial, size_t max_size)
{
  memset (writer, 0, sizeof *writer);
  writer->max_size = max_size;
  writer->data = malloc (initial);
  writer->capacity = writer->data != NULL ? initial : 0;
  writer->failed = writer->data == NULL;
}

static bool
reserve (WsqWriter *writer, size_t extra)
{
  if (writer->failed)
    return false;
  if (writer->size + extra > writer->max_size)
    {
      writer->failed = true;
      return false;
    }
  if (writer->size + extra <= writer->capacity)
    return true;
  size_t capacity = writer->capacity * 2;
  if (capacity < writer->size + extra)
    capacity = writer->size + extra;
  uint8_t *data = realloc (writer->data, capacity);
  if (data == NULL)
    {
      writer->failed = true;
      return false;
    }
  writer->data = data;
  writer->capacity = capacity;
  return true;
}

void
wsq_writer_byte (WsqWriter *writer, unsigned value)
{
  if (reserve (writer, 1))
    writer->data[writer->size++] = (uint8_t) value;
}

void
wsq_writer_u16 (WsqWriter *writer, unsigned value)
{
  wsq_writer_byte (writer, (value >> 8) & 0xff);
  wsq_writer_byte (writer, value & 0xff);
}

void
wsq_writer_u32 (WsqWriter *writer, uint32_t value)
{
  wsq_writer_u16 (writer, value >> 16);
  wsq_writer_u16 (writer, value & 0xffff);
}

void
wsq_writer_bytes (WsqWriter *writer, const void *data, size_t size)
{
  if (reserve (writer, size))
    {
      memcpy (writer->data + writer->size, data, size);
      writer->size += size;
    }
}

static void
emit_entropy_byte (WsqWriter *writer, unsigned byte)
{
  wsq_writer_byte (writer, byte);
  if (byte == 0xff)
    wsq_writer_byte (writer, 0x00);
}

void
wsq_writer_bits (WsqWriter *writer, uint32_t value, int n_bits)
{
  /* n_bits <= 16 and at most 7 pending bits, so 32 bits suffice */
  writer->bit_buffer = (writer->bit_buffer << n_bits) | (value & ((1u << n_bits) - 1));
  writer->n_bits += n_bits;
  while (writer->n_bits >= 8)
    {
      writer->n_bits -= 8;
      emit_entropy_byte (writer, (writer->bit_buffer >> writer->n_bits) & 0xff);
    }
  writer->bit_buffer &= (1u << writer->n_bits) - 1;
}

void
wsq_writer_flush_bits (WsqWriter *writer)
{
  if (writer->n_bits > 0)
    wsq_writer_bits (writer, 0xff, 8 - writer->n_bits);
  writer->bit_buffer = 0;
  writer->n_bits = 0;
}
