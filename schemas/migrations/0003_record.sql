-- 0003_record: the durable upload queue (daemon/record).
--
-- A record is accepted when its row commits. Before that, its envelope
-- file is already complete on disk: written to queue/tmp/, fsynced,
-- renamed into queue/, directory fsynced (rk-record-queue.c). Start-up
-- recovery removes files without a row (never accepted) and marks rows
-- whose file is missing or altered 'damaged' (never uploaded).
--
-- States and the legal transitions (rk-record-upload.c):
--   queued  -> sent      the server confirmed status and SHA-256
--   queued  -> queued    an attempt failed; next_attempt_at moves on
--   queued  -> damaged   the envelope file is missing or its hash changed
--   damaged -> queued    rekamctl queue retry, once the file is back intact
--   sent is final.
CREATE TABLE record_queue (
  id                INTEGER PRIMARY KEY,
  record_id         TEXT    NOT NULL UNIQUE,     -- the transaction's 1.009 TCN
  case_id           TEXT,                        -- 2.031 CAS
  subject           TEXT    NOT NULL,            -- masked NIK, never the full one
  state             TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sent', 'damaged')),
  envelope_file     TEXT    NOT NULL,            -- name inside <state>/record/queue/
  envelope_sha256   TEXT    NOT NULL,            -- hex, of the whole envelope file
  envelope_bytes    INTEGER NOT NULL,
  transaction_bytes INTEGER NOT NULL,
  n_records         INTEGER NOT NULL,            -- logical records in the transaction
  signer_key_id     TEXT    NOT NULL,            -- hex, see schemas/envelope.md
  recipient_key_id  TEXT    NOT NULL,
  sealed_transaction BLOB   NOT NULL,            -- the plain transaction sealed with the
                                                 -- station key (export, record show)
  created_at        TEXT    NOT NULL,            -- UTC ISO 8601
  created_by        TEXT    NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL DEFAULT 0,  -- unix seconds (UTC)
  sent_at           TEXT,
  last_error        TEXT
);
CREATE INDEX record_queue_due ON record_queue (state, next_attempt_at);

-- One row per upload attempt, kept after the record is sent.
CREATE TABLE record_attempt (
  id           INTEGER PRIMARY KEY,
  queue_id     INTEGER NOT NULL REFERENCES record_queue (id),
  started_at   TEXT    NOT NULL,
  finished_at  TEXT    NOT NULL,
  outcome      TEXT    NOT NULL,   -- sent, already-present, http-error, timeout,
                                   -- network, tls, checksum-mismatch, damaged
  http_status  INTEGER,
  detail       TEXT                -- curl's or the server's message, no personal data
);
CREATE INDEX record_attempt_queue ON record_attempt (queue_id);
