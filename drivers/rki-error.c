#include "rki-error.h"

G_DEFINE_QUARK (rki-device-error-quark, rki_device_error)
