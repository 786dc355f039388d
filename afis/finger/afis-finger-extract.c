/* afis: the extraction pipeline and the image quality score.
 *
 * resample to 500 ppi -> gradients, orientation, coherence, segmentation,
 * local normalisation -> ridge period -> Gabor enhancement -> binarise and
 * thin -> minutiae with false-minutia removal -> quality. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "afis-finger-private.h"

/* A print needs at least this many minutiae to be worth a template. */
#define MIN_MINUTIAE 6

/* Quality in the spirit of NFIQ 2: what predicts match performance is
 * how clear the ridge flow is (coherence), how much finger there is (the
 * overlap a mate can have) and how many reliable minutiae it yields. Each
 * factor saturates where more stops helping; the product is monotone in
 * each, so a worse capture never scores higher. */
static int
quality_score (const AfisFingerImage *image, const AfisFingerprint *print)
{
  int nb = image->block_width * image->block_height, fg = 0;
  double coherence = 0.0;
  for (int b = 0; b < nb; b++)
    if (image->mask[b])
      {
        fg++;
        coherence += image->coherence[b];
      }
  if (fg == 0)
    return 0;
  coherence /= fg;
  double area = (double) fg * AFIS_BLOCK * AFIS_BLOCK;  /* pixels at 500 ppi */
  double fc = (coherence - 0.30) / 0.55;
  double fa = area / (320.0 * 320.0);
  double good = 0.0;
  for (int i = 0; i < print->count; i++)
    good += print->minutiae[i].quality / 100.0;
  double fm = good / 45.0;
  fc = fc < 0 ? 0 : fc > 1 ? 1 : fc;
  fa = fa < 0 ? 0 : fa > 1 ? 1 : fa;
  fm = fm < 0 ? 0 : fm > 1 ? 1 : fm;
  double q = 100.0 * sqrt (fc) * sqrt (fa) * sqrt (fm);
  int score = (int) lround (q);
  return score < 1 && print->count > 0 ? 1 : score > 100 ? 100 : score;
}

AfisStatus
afis_finger_extract (const uint8_t *pixels, int width, int height, size_t stride,
                     int ppi, AfisFingerprint *ret_print)
{
  if (pixels == NULL || ret_print == NULL || width <= 0 || height <= 0
      || stride < (size_t) width || ppi < 100 || ppi > 4000)
    return AFIS_ERROR_INVALID_ARGUMENT;
  if (width > AFIS_FINGER_MAX_SIDE || height > AFIS_FINGER_MAX_SIDE)
    return AFIS_ERROR_IMAGE_TOO_LARGE;
  double scale = (double) AFIS_FINGER_PPI / ppi;
  if (width * scale < AFIS_FINGER_MIN_SIDE || height * scale < AFIS_FINGER_MIN_SIDE)
    return AFIS_ERROR_IMAGE_TOO_SMALL;
  /* a low stated resolution upsamples: cap the working image too, so a
   * small file cannot ask for gigabytes */
  if (width * scale > AFIS_FINGER_MAX_SIDE || height * scale > AFIS_FINGER_MAX_SIDE)
    return AFIS_ERROR_IMAGE_TOO_LARGE;

  AfisFingerImage image;
  memset (&image, 0, sizeof image);
  AfisFingerprint *print = calloc (1, sizeof *print);
  AfisStatus status = AFIS_ERROR_NO_MEMORY;
  if (print == NULL)
    return status;
  if (afis_finger_image_resample (&image, pixels, width, height, stride, ppi) < 0
      || afis_finger_fields_compute (&image) < 0)
    goto done;
  int fg = 0;
  for (int b = 0; b < image.block_width * image.block_height; b++)
    fg += image.mask[b];
  /* less than ~60x60 px of finger cannot hold a useful template */
  if (fg < 56)
    {
      status = AFIS_ERROR_UNUSABLE_IMAGE;
      goto done;
    }
  if (afis_finger_period_compute (&image) < 0 || afis_finger_enhance (&image) < 0
      || afis_finger_thin (&image) < 0 || afis_finger_minutiae_detect (&image, print) < 0)
    goto done;
  if (print->count < MIN_MINUTIAE)
    {
      status = AFIS_ERROR_UNUSABLE_IMAGE;
      goto done;
    }
  print->width = (uint16_t) image.width;
  print->height = (uint16_t) image.height;
  print->position = 0;
  print->quality = (uint8_t) quality_score (&image, print);
  memcpy (ret_print, print, sizeof *print);
  status = AFIS_OK;
done:
  afis_finger_image_clear (&image);
  free (print);
  return status;
}
