/* A minimal PDF 1.4 writer: one JPEG image per page. */
#include "capture/capture-pdf.h"

#include "capture/capture-image.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint8_t *jpeg;
  size_t size;
  int width, height, channels;
  double dpi;
} Page;

struct CapturePdf {
  Page pages[CAPTURE_PDF_MAX_PAGES];
  int n_pages;
};

typedef struct {
  uint8_t *data;
  size_t size, capacity;
  bool failed;
} Buffer;

static void
append (Buffer *b, const void *data, size_t size)
{
  if (b->failed)
    return;
  if (b->size + size > CAPTURE_PDF_MAX_BYTES)
    {
      b->failed = true;
      return;
    }
  if (b->size + size > b->capacity)
    {
      size_t capacity = b->capacity * 2 > b->size + size ? b->capacity * 2 : b->size + size + 4096;
      uint8_t *bigger = realloc (b->data, capacity);
      if (bigger == NULL)
        {
          b->failed = true;
          return;
        }
      b->data = bigger;
      b->capacity = capacity;
    }
  memcpy (b->data + b->size, data, size);
  b->size += size;
}

static void
appendf (Buffer *b, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
appendf (Buffer *b, const char *format, ...)
{
  char text[512];
  va_list args;
  va_start (args, format);
  int n = vsnprintf (text, sizeof text, format, args);
  va_end (args);
  if (n < 0 || (size_t) n >= sizeof text)
    b->failed = true;
  else
    append (b, text, (size_t) n);
}

CaptureStatus
capture_pdf_new (CapturePdf **ret_pdf)
{
  if (ret_pdf == NULL)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  CapturePdf *pdf = calloc (1, sizeof *pdf);
  if (pdf == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  *ret_pdf = pdf;
  return CAPTURE_OK;
}

void
capture_pdf_free (CapturePdf *pdf)
{
  if (pdf == NULL)
    return;
  for (int i = 0; i < pdf->n_pages; i++)
    free (pdf->pages[i].jpeg);
  free (pdf);
}

CaptureStatus
capture_pdf_add_jpeg_page (CapturePdf *pdf, const uint8_t *jpeg, size_t size, int width,
                           int height, int channels, double dpi)
{
  if (pdf == NULL || jpeg == NULL || size < 4 || jpeg[0] != 0xff || jpeg[1] != 0xd8
      || width <= 0 || height <= 0 || width > CAPTURE_IMAGE_MAX_DIMENSION
      || height > CAPTURE_IMAGE_MAX_DIMENSION || (channels != 1 && channels != 3)
      || !(dpi >= 10 && dpi <= 10000))
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  if (pdf->n_pages == CAPTURE_PDF_MAX_PAGES)
    return CAPTURE_ERROR_CAPACITY;
  uint8_t *copy = malloc (size);
  if (copy == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  memcpy (copy, jpeg, size);
  pdf->pages[pdf->n_pages++] = (Page) { copy, size, width, height, channels, dpi };
  return CAPTURE_OK;
}

CaptureStatus
capture_pdf_finish (CapturePdf *pdf, uint8_t **ret_data, size_t *ret_size)
{
  if (pdf == NULL || ret_data == NULL || ret_size == NULL || pdf->n_pages == 0)
    return CAPTURE_ERROR_INVALID_ARGUMENT;
  /* Objects: 1 catalog, 2 page tree, then page, contents and image for
   * each page. */
  int n_objects = 2 + 3 * pdf->n_pages;
  size_t *offsets = calloc ((size_t) n_objects + 1, sizeof (size_t));
  if (offsets == NULL)
    return CAPTURE_ERROR_NO_MEMORY;
  Buffer b = { 0 };
  /* the binary comment line marks the file as binary for transfer tools */
  appendf (&b, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
  offsets[1] = b.size;
  appendf (&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  offsets[2] = b.size;
  appendf (&b, "2 0 obj\n<< /Type /Pages /Count %d /Kids [", pdf->n_pages);
  for (int i = 0; i < pdf->n_pages; i++)
    appendf (&b, " %d 0 R", 3 + 3 * i);
  appendf (&b, " ] >>\nendobj\n");
  for (int i = 0; i < pdf->n_pages; i++)
    {
      const Page *p = &pdf->pages[i];
      int page = 3 + 3 * i, contents = page + 1, image = page + 2;
      double w = p->width * 72.0 / p->dpi, h = p->height * 72.0 / p->dpi;
      offsets[page] = b.size;
      appendf (&b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f]"
               " /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>\nendobj\n",
               page, w, h, image, contents);
      char draw[128];
      int n = snprintf (draw, sizeof draw, "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n", w, h);
      offsets[contents] = b.size;
      appendf (&b, "%d 0 obj\n<< /Length %d >>\nstream\n%sendstream\nendobj\n", contents, n, draw);
      offsets[image] = b.size;
      appendf (&b, "%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d"
               " /ColorSpace /%s /BitsPerComponent 8 /Filter /DCTDecode /Length %zu >>\nstream\n",
               image, p->width, p->height, p->channels == 1 ? "DeviceGray" : "DeviceRGB", p->size);
      append (&b, p->jpeg, p->size);
      appendf (&b, "\nendstream\nendobj\n");
    }
  size_t xref = b.size;
  appendf (&b, "xref\n0 %d\n0000000000 65535 f \n", n_objects + 1);
  for (int i = 1; i <= n_objects; i++)
    appendf (&b, "%010zu 00000 n \n", offsets[i]);
  appendf (&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", n_objects + 1, xref);
  free (offsets);
  if (b.failed)
    {
      free (b.data);
      return b.size + 1 > CAPTURE_PDF_MAX_BYTES ? CAPTURE_ERROR_SIZE_BUDGET : CAPTURE_ERROR_NO_MEMORY;
    }
  *ret_data = b.data;
  *ret_size = b.size;
  return CAPTURE_OK;
}
