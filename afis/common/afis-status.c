#include "afis/afis-status.h"

const char *
afis_strerror (AfisStatus status)
{
  switch (status)
    {
    case AFIS_OK: return "success";
    case AFIS_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case AFIS_ERROR_NO_MEMORY: return "out of memory";
    case AFIS_ERROR_IMAGE_TOO_SMALL: return "image too small";
    case AFIS_ERROR_IMAGE_TOO_LARGE: return "image too large";
    case AFIS_ERROR_UNUSABLE_IMAGE: return "no usable biometric in the image";
    case AFIS_ERROR_MALFORMED_RECORD: return "malformed record";
    case AFIS_ERROR_UNSUPPORTED: return "unsupported format or version";
    case AFIS_ERROR_CAPACITY: return "capacity exceeded";
    case AFIS_ERROR_NOT_FOUND: return "not found";
    case AFIS_ERROR_BUFFER_TOO_SMALL: return "output buffer too small";
    case AFIS_ERROR_THREAD: return "could not start a worker thread";
    }
  return "unknown status";
}
