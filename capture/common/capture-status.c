#include "capture/capture-status.h"

const char *
capture_strerror (CaptureStatus status)
{
  switch (status)
    {
    case CAPTURE_OK: return "success";
    case CAPTURE_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case CAPTURE_ERROR_NO_MEMORY: return "out of memory";
    case CAPTURE_ERROR_IMAGE_TOO_SMALL: return "image too small";
    case CAPTURE_ERROR_IMAGE_TOO_LARGE: return "image too large";
    case CAPTURE_ERROR_MALFORMED_DATA: return "malformed or truncated data";
    case CAPTURE_ERROR_UNSUPPORTED: return "unsupported format or version";
    case CAPTURE_ERROR_BUFFER_TOO_SMALL: return "output buffer too small";
    case CAPTURE_ERROR_SIZE_BUDGET: return "output does not fit the size budget";
    case CAPTURE_ERROR_CODEC: return "image codec error";
    case CAPTURE_ERROR_NOT_FOUND: return "nothing found to capture";
    case CAPTURE_ERROR_CAPACITY: return "capacity exceeded";
    case CAPTURE_ERROR_BACKEND: return "image processing backend error";
    case CAPTURE_ERROR_IO: return "write failed";
    }
  return "unknown status";
}
