/* TEST-ONLY crash points. When the environment variable
 * REKAM_RECORD_CRASH_AT names a step, rekamd kills itself with SIGKILL
 * when it reaches that step, so the crash-consistency test can stop it at
 * every boundary of the durable commit and of the upload. Unset in
 * production; reading it costs one getenv() per step. Steps:
 *   enqueue-after-write        envelope written to queue/tmp, not fsynced
 *   enqueue-after-fsync        tmp file fsynced
 *   enqueue-after-link         linked into queue/ (tmp still there)
 *   enqueue-after-dir-fsync    queue/ fsynced, row not committed
 *   enqueue-after-commit       row committed, response not sent
 *   upload-after-put           server has the file, not verified
 *   upload-before-commit       verified, 'sent' not committed
 *   upload-after-commit        'sent' committed */
#pragma once

void rk_record_failpoint (const char *step);
