/* TEST-ONLY: see rk-record-failpoint.h. */
#include "rk-record-failpoint.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
rk_record_failpoint (const char *step)
{
  const char *at = getenv ("REKAM_RECORD_CRASH_AT");

  if (at != NULL && strcmp (at, step) == 0)
    kill (getpid (), SIGKILL);
}
