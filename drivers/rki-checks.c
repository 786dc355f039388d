#include "rki-checks.h"

#include <math.h>

static double
lookup_double (GVariant *dict, const char *key, double fallback)
{
  double v;
  if (dict != NULL && g_variant_lookup (dict, key, "d", &v))
    return v;
  return fallback;
}

GVariant *
rki_checks_for_image (RkiDevice *device, RkiCheckKind kind, RkiImage *image)
{
  GVariantBuilder b;
  RkiImageStats st = { 0 };
  GVariant *cal = rki_device_get_calibration (device);
  guint w, h;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sbs)"));
  rki_checks_add (&b, "image-delivered", image != NULL, image ? "%ux%u %s" : "no image",
                  image ? rki_image_get_width (image) : 0, image ? rki_image_get_height (image) : 0,
                  image ? rki_pixel_format_to_string (rki_image_get_format (image)) : "");
  if (image == NULL)
    return g_variant_builder_end (&b);
  w = rki_image_get_width (image);
  h = rki_image_get_height (image);
  rki_checks_add (&b, "size", w >= 64 && h >= 64, "%ux%u (at least 64x64)", w, h);
  if (!rki_image_get_stats (image, &st))
    {
      rki_checks_add (&b, "statistics", TRUE, "compressed frame, %" G_GSIZE_FORMAT " bytes",
                      g_bytes_get_size (rki_image_get_bytes (image)));
      return g_variant_builder_end (&b);
    }
  switch (kind)
    {
    case RKI_CHECK_PRINT:
      rki_checks_add (&b, "contrast", st.stddev >= 15, "ridge contrast %.1f (needs 15)", st.stddev);
      if (cal != NULL)
        {
          double bg = lookup_double (cal, "background-mean", st.mean);
          rki_checks_add (&b, "against-blank-reference", fabs (st.mean - bg) >= 8,
                          "mean %.1f vs blank platen %.1f", st.mean, bg);
        }
      break;
    case RKI_CHECK_PAGE:
      rki_checks_add (&b, "not-blank", st.stddev >= 4, "contrast %.1f", st.stddev);
      break;
    case RKI_CHECK_CAMERA:
      rki_checks_add (&b, "exposure", st.mean >= 40 && st.mean <= 220, "mean luma %.1f (40..220)", st.mean);
      rki_checks_add (&b, "not-uniform", st.stddev >= 3, "contrast %.1f", st.stddev);
      break;
    case RKI_CHECK_IRIS:
      rki_checks_add (&b, "illumination", st.mean >= 50 && st.mean <= 200, "mean %.1f (50..200)", st.mean);
      rki_checks_add (&b, "focus", st.sharpness >= 2.0, "gradient %.2f (needs 2.0)", st.sharpness);
      break;
    }
  return g_variant_builder_end (&b);
}

GVariant *
rki_calibration_for_image (RkiDevice *device, RkiCheckKind kind, RkiImage *image, GError **error)
{
  GVariantBuilder b;
  RkiImageStats st = { 0 };
  const char *id = rki_device_get_id (device);

  if (!rki_image_get_stats (image, &st))
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NOT_SUPPORTED,
                   "device %s delivers compressed frames; calibrate it in a raw format", id);
      return NULL;
    }
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  switch (kind)
    {
    case RKI_CHECK_PRINT:
      /* Blank-platen reference: with nothing on the glass the image must
       * be flat; ridges mean a finger (or dirt) is there. */
      if (st.stddev > 20)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                       "device %s: platen not blank (contrast %.1f > 20); lift the finger "
                       "and clean the glass", id, st.stddev);
          g_variant_builder_clear (&b);
          return NULL;
        }
      g_variant_builder_add (&b, "{sv}", "background-mean", g_variant_new_double (st.mean));
      g_variant_builder_add (&b, "{sv}", "background-noise", g_variant_new_double (st.stddev));
      break;
    case RKI_CHECK_PAGE:
      g_variant_builder_add (&b, "{sv}", "white-level", g_variant_new_double (st.mean));
      break;
    case RKI_CHECK_CAMERA:
      {
        /* White balance against the backdrop: gains that make the
         * brightest channel's neighbours match it would tint a red or
         * blue backdrop grey, so balance only green and the backdrop's
         * opposite channel, and set exposure from the luma. */
        double target = 118.0;
        double gain_r = st.mean_r > 1 ? st.mean_g / st.mean_r : 1;
        double gain_b = st.mean_b > 1 ? st.mean_g / st.mean_b : 1;
        const char *backdrop = st.mean_r > st.mean_b ? "red" : "blue";
        if (st.mean_r > st.mean_b)
          gain_r = 1.0;
        else
          gain_b = 1.0;
        g_variant_builder_add (&b, "{sv}", "backdrop", g_variant_new_string (backdrop));
        g_variant_builder_add (&b, "{sv}", "gain-r", g_variant_new_double (CLAMP (gain_r, 0.25, 4.0)));
        g_variant_builder_add (&b, "{sv}", "gain-g", g_variant_new_double (1.0));
        g_variant_builder_add (&b, "{sv}", "gain-b", g_variant_new_double (CLAMP (gain_b, 0.25, 4.0)));
        g_variant_builder_add (&b, "{sv}", "exposure",
                               g_variant_new_double (CLAMP (st.mean > 1 ? target / st.mean : 4.0, 0.25, 4.0)));
        break;
      }
    case RKI_CHECK_IRIS:
      g_variant_builder_add (&b, "{sv}", "illumination", g_variant_new_double (st.mean));
      g_variant_builder_add (&b, "{sv}", "focus", g_variant_new_double (st.sharpness));
      g_variant_builder_add (&b, "{sv}", "illumination-ok", g_variant_new_boolean (st.mean >= 50 && st.mean <= 200));
      g_variant_builder_add (&b, "{sv}", "focus-ok", g_variant_new_boolean (st.sharpness >= 2.0));
      break;
    }
  return g_variant_builder_end (&b);
}

void
rki_image_op_complete (RkiDevice *device, RkiCheckKind kind, RkiImageOp op, RkiImage *image,
                       GError *error)
{
  g_autoptr(RkiImage) owned = image;
  GError *cal_error = NULL;
  GVariant *cal;

  switch (op)
    {
    case RKI_IMAGE_OP_CAPTURE:
      rki_device_task_complete (device, g_steal_pointer (&owned), (GDestroyNotify) rki_image_unref, error);
      return;
    case RKI_IMAGE_OP_TEST:
      /* A device error is a failed check, except when the request itself
       * ended (cancelled, unplugged, timed out). */
      if (error != NULL && (error->domain == G_IO_ERROR ||
                            g_error_matches (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_REMOVED) ||
                            g_error_matches (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_TIMEOUT)))
        {
          rki_device_test_complete (device, NULL, error);
          return;
        }
      if (error != NULL)
        {
          GVariantBuilder b;
          g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sbs)"));
          rki_checks_add (&b, "image-delivered", FALSE, "%s", error->message);
          g_error_free (error);
          rki_device_test_complete (device, g_variant_builder_end (&b), NULL);
          return;
        }
      rki_device_test_complete (device, rki_checks_for_image (device, kind, owned), NULL);
      return;
    case RKI_IMAGE_OP_CALIBRATE:
      if (error != NULL)
        {
          rki_device_calibrate_complete (device, NULL, error);
          return;
        }
      cal = rki_calibration_for_image (device, kind, owned, &cal_error);
      rki_device_calibrate_complete (device, cal, cal_error);
      return;
    }
}
