#include "rki-smartcard.h"

typedef struct {
  gboolean present;
  GBytes  *atr;
  gboolean testing; /* the exchange in flight is the diagnostic's */
} RkiSmartcardPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RkiSmartcard, rki_smartcard, RKI_TYPE_DEVICE)

enum { SIGNAL_CARD_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

gboolean
rki_smartcard_has_card (RkiSmartcard *self)
{
  RkiSmartcardPrivate *priv = rki_smartcard_get_instance_private (self);
  return priv->present;
}

GBytes *
rki_smartcard_get_atr (RkiSmartcard *self)
{
  RkiSmartcardPrivate *priv = rki_smartcard_get_instance_private (self);
  return priv->atr;
}

void
rki_smartcard_set_card (RkiSmartcard *self, gboolean present, GBytes *atr)
{
  RkiSmartcardPrivate *priv = rki_smartcard_get_instance_private (self);

  if (priv->present == present && (atr == NULL || (priv->atr && g_bytes_equal (atr, priv->atr))))
    return;
  priv->present = present;
  g_clear_pointer (&priv->atr, g_bytes_unref);
  if (present && atr != NULL)
    priv->atr = g_bytes_ref (atr);
  g_signal_emit (self, signals[SIGNAL_CARD_CHANGED], 0, present, priv->atr);
}

void
rki_smartcard_transmit (RkiSmartcard *self, GBytes *apdu, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  RkiSmartcardClass *klass = RKI_SMARTCARD_GET_CLASS (self);
  RkiDevice *device = RKI_DEVICE (self);
  gsize len = g_bytes_get_size (apdu);

  if (!rki_device_task_begin (device, "transmit", klass->transmit != NULL, TRUE, cancellable,
                              callback, user_data, rki_smartcard_transmit))
    return;
  /* ISO 7816-4: a command APDU has at least CLA INS P1 P2. */
  if (len < 4 || len > RKI_APDU_MAX)
    {
      rki_smartcard_transmit_complete (self, NULL,
                                       g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_INVALID_DATA,
                                                    "APDU of %" G_GSIZE_FORMAT " bytes for %s: "
                                                    "must be 4..%d bytes", len,
                                                    rki_device_get_id (device), RKI_APDU_MAX));
      return;
    }
  if (!rki_smartcard_has_card (self))
    {
      rki_smartcard_transmit_complete (self, NULL,
                                       g_error_new (RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_NO_MEDIA,
                                                    "no card in reader %s", rki_device_get_id (device)));
      return;
    }
  ((RkiSmartcardPrivate *) rki_smartcard_get_instance_private (self))->testing = FALSE;
  klass->transmit (self, apdu);
}

void
rki_smartcard_transmit_complete (RkiSmartcard *self, GBytes *response, GError *error)
{
  RkiSmartcardPrivate *priv = rki_smartcard_get_instance_private (self);
  GVariantBuilder b;
  gsize len = 0;
  const guint8 *p;

  if (!priv->testing)
    {
      rki_device_task_complete (RKI_DEVICE (self), response, (GDestroyNotify) g_bytes_unref, error);
      return;
    }
  priv->testing = FALSE;
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sbs)"));
  rki_checks_add (&b, "reader", TRUE, "%s", rki_device_get_label (RKI_DEVICE (self)));
  rki_checks_add (&b, "card-present", TRUE, "ATR of %" G_GSIZE_FORMAT " bytes",
                  priv->atr ? g_bytes_get_size (priv->atr) : 0);
  if (error != NULL)
    rki_checks_add (&b, "apdu-exchange", FALSE, "%s", error->message);
  else
    {
      p = g_bytes_get_data (response, &len);
      /* Any status word proves the exchange works; SELECT MF may well be
       * refused by an application-only card. */
      rki_checks_add (&b, "apdu-exchange", len >= 2, "SELECT MF answered SW %02X%02X",
                      len >= 2 ? p[len - 2] : 0, len >= 2 ? p[len - 1] : 0);
    }
  g_clear_error (&error);
  g_clear_pointer (&response, g_bytes_unref);
  rki_device_test_complete (RKI_DEVICE (self), g_variant_builder_end (&b), NULL);
}

static void
rki_smartcard_test (RkiDevice *device)
{
  RkiSmartcard *self = RKI_SMARTCARD (device);
  RkiSmartcardPrivate *priv = rki_smartcard_get_instance_private (self);
  static const guint8 select_mf[] = { 0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00 };
  g_autoptr(GBytes) apdu = g_bytes_new_static (select_mf, sizeof select_mf);
  GVariantBuilder b;

  if (!priv->present || RKI_SMARTCARD_GET_CLASS (self)->transmit == NULL)
    {
      g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sbs)"));
      rki_checks_add (&b, "reader", TRUE, "%s", rki_device_get_label (device));
      rki_checks_add (&b, "card-present", FALSE, "insert a card to test the exchange");
      rki_device_test_complete (device, g_variant_builder_end (&b), NULL);
      return;
    }
  priv->testing = TRUE;
  RKI_SMARTCARD_GET_CLASS (self)->transmit (self, apdu);
}

GBytes *
rki_smartcard_transmit_finish (RkiSmartcard *self, GAsyncResult *result, GError **error)
{
  return rki_device_task_finish (RKI_DEVICE (self), result, rki_smartcard_transmit, error);
}

static void
rki_smartcard_add_info (RkiDevice *device, GVariantBuilder *builder)
{
  RkiSmartcardPrivate *priv = rki_smartcard_get_instance_private (RKI_SMARTCARD (device));

  g_variant_builder_add (builder, "{sv}", "card_present", g_variant_new_boolean (priv->present));
  if (priv->atr != NULL)
    {
      gsize len = 0;
      const guint8 *p = g_bytes_get_data (priv->atr, &len);
      GString *hex = g_string_new (NULL);
      for (gsize i = 0; i < len; i++)
        g_string_append_printf (hex, "%02X", p[i]);
      g_variant_builder_add (builder, "{sv}", "atr", g_variant_new_take_string (g_string_free (hex, FALSE)));
    }
}

static void
rki_smartcard_finalize (GObject *object)
{
  RkiSmartcardPrivate *priv = rki_smartcard_get_instance_private (RKI_SMARTCARD (object));

  g_clear_pointer (&priv->atr, g_bytes_unref);
  G_OBJECT_CLASS (rki_smartcard_parent_class)->finalize (object);
}

static void
rki_smartcard_class_init (RkiSmartcardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rki_smartcard_finalize;
  RKI_DEVICE_CLASS (klass)->device_class = "smartcard";
  RKI_DEVICE_CLASS (klass)->add_info = rki_smartcard_add_info;
  RKI_DEVICE_CLASS (klass)->test = rki_smartcard_test;
  signals[SIGNAL_CARD_CHANGED] =
    g_signal_new ("card-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_BYTES);
}

static void
rki_smartcard_init (RkiSmartcard *self)
{
}
