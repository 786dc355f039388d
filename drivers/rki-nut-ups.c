/* rki-nut-ups.c: the UPS class on NUT's client library. */
#include "rki-nut-ups.h"

#include <stdint.h> /* upsclient.h uses uint16_t without including it */
#include <stdlib.h>
#include <upsclient.h>

#define RKI_TYPE_NUT_UPS (rki_nut_ups_get_type ())
G_DECLARE_FINAL_TYPE (RkiNutUps, rki_nut_ups, RKI, NUT_UPS, RkiUps)

struct _RkiNutUps {
  RkiUps     parent;
  char      *ups;
  char      *host;
  guint16    port;
  UPSCONN_t  conn;       /* only used in the (single) read thread */
  gboolean   connected;
};

G_DEFINE_TYPE (RkiNutUps, rki_nut_ups, RKI_TYPE_UPS)

/* One variable of the UPS, or NULL (with @error) when upsd cannot say. */
static char *
get_var (RkiNutUps *self, const char *var, GError **error)
{
  const char *query[] = { "VAR", self->ups, var };
  char **answer = NULL;
  size_t numa = 0;

  if (upscli_get (&self->conn, 3, query, &numa, &answer) < 0 || numa < 4)
    {
      g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_FAILED, "UPS %s@%s:%u: %s: %s",
                   self->ups, self->host, self->port, var, upscli_strerror (&self->conn));
      return NULL;
    }
  return g_strdup (answer[3]);
}

static gboolean
nut_read_status (RkiUps *ups, RkiUpsStatus *ret_status, GCancellable *cancellable, GError **error)
{
  RkiNutUps *self = RKI_NUT_UPS (ups);
  g_autofree char *status = NULL;
  g_autofree char *charge = NULL;
  g_autofree char *runtime = NULL;

  if (!self->connected)
    {
      if (upscli_connect (&self->conn, self->host, self->port, 0 /* upsd on the station itself: no TLS */) < 0)
        {
          g_set_error (error, RKI_DEVICE_ERROR, RKI_DEVICE_ERROR_FAILED,
                       "cannot reach upsd at %s:%u: %s", self->host, self->port,
                       upscli_strerror (&self->conn));
          upscli_disconnect (&self->conn);
          return FALSE;
        }
      self->connected = TRUE;
    }
  status = get_var (self, "ups.status", error);
  if (status == NULL)
    {
      /* drop the connection; the next read reconnects */
      upscli_disconnect (&self->conn);
      self->connected = FALSE;
      return FALSE;
    }
  /* optional: not every UPS reports them */
  charge = get_var (self, "battery.charge", NULL);
  runtime = get_var (self, "battery.runtime", NULL);
  rki_ups_status_parse (ret_status, status);
  ret_status->charge = charge ? (int) g_ascii_strtoll (charge, NULL, 10) : -1;
  ret_status->runtime = runtime ? (int) g_ascii_strtoll (runtime, NULL, 10) : -1;
  return TRUE;
}

static void
nut_open (RkiDevice *device)
{
  /* upsd answers on the first read; opening only records the address. */
  rki_device_open_complete (device, NULL);
}

static void
nut_test (RkiDevice *device)
{
  RkiNutUps *self = RKI_NUT_UPS (device);
  const RkiUpsStatus *st = rki_ups_get_last_status (RKI_UPS (self));
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sbs)"));
  rki_checks_add (&b, "upsd", st != NULL, "%s@%s:%u %s", self->ups, self->host, self->port,
                  st ? "answers" : "has not answered yet");
  if (st != NULL)
    {
      rki_checks_add (&b, "line-power", st->online, "status '%s'", st->status);
      rki_checks_add (&b, "battery", !st->low_battery && st->charge != 0, "charge %d %%, runtime %d s",
                      st->charge, st->runtime);
    }
  rki_device_test_complete (device, g_variant_builder_end (&b), NULL);
}

static void
rki_nut_ups_finalize (GObject *object)
{
  RkiNutUps *self = RKI_NUT_UPS (object);

  if (self->connected)
    upscli_disconnect (&self->conn);
  g_free (self->ups);
  g_free (self->host);
  G_OBJECT_CLASS (rki_nut_ups_parent_class)->finalize (object);
}

static void
rki_nut_ups_class_init (RkiNutUpsClass *klass)
{
  RkiDeviceClass *device_class = RKI_DEVICE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rki_nut_ups_finalize;
  device_class->driver = "nut";
  device_class->full_name = "UPS (NUT upsd)";
  device_class->open = nut_open;
  device_class->test = nut_test;
  RKI_UPS_CLASS (klass)->read_status = nut_read_status;
}

static void
rki_nut_ups_init (RkiNutUps *self)
{
}

RkiDevice *
rki_nut_ups_new (const char *ups, const char *host, guint16 port, const char *id)
{
  RkiNutUps *self = g_object_new (RKI_TYPE_NUT_UPS, "id", id, NULL);
  g_autofree char *label = g_strdup_printf ("%s@%s:%u", ups, host, port);

  self->ups = g_strdup (ups);
  self->host = g_strdup (host);
  self->port = port;
  rki_device_set_label (RKI_DEVICE (self), label);
  return RKI_DEVICE (self);
}
