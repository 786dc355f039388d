-- 0002_intake: SOP steps 1-2 (daemon/intake). The registry extract,
-- cases with their document checklist and SOP step times, online
-- applications with their sealed attachments, referrals.
-- Staff are named by username (no foreign key to accounts: accounts may
-- go, the history stays), as the audit table does.

-- One row per extract import. A failed import leaves no row (it rolls
-- back with the residents it would have written).
CREATE TABLE siak_import (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT    NOT NULL,               -- UTC ISO 8601
  finished_at   TEXT    NOT NULL,
  actor         TEXT    NOT NULL,
  encoding      TEXT    NOT NULL CHECK (encoding IN ('utf-8', 'latin-1')),
  rows          INTEGER NOT NULL,
  inserted      INTEGER NOT NULL,
  updated       INTEGER NOT NULL
);

-- The station's extract of the population registry (SIAK), one row per
-- resident. The NIK is the rowid: 16 digits fit an INTEGER and a lookup
-- is one b-tree descent. name_key is the spelling-normalised name the
-- search matches on (see daemon/intake/rk-name-key.c).
CREATE TABLE resident (
  nik           INTEGER PRIMARY KEY CHECK (nik BETWEEN 1000000000000000 AND 9999999999999999),
  no_kk         TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  birth_place   TEXT    NOT NULL,
  birth_date    TEXT    NOT NULL,               -- YYYY-MM-DD
  sex           INTEGER NOT NULL CHECK (sex IN (1, 2)),
  marital       INTEGER NOT NULL CHECK (marital BETWEEN 1 AND 4),
  religion      TEXT    NOT NULL,
  occupation    TEXT    NOT NULL,
  address       TEXT    NOT NULL,
  rt            TEXT    NOT NULL,
  rw            TEXT    NOT NULL,
  kode_kel      TEXT    NOT NULL,               -- 10 digits, no dots
  name_key      TEXT    NOT NULL,
  import_id     INTEGER NOT NULL REFERENCES siak_import (id)
);
CREATE INDEX resident_birth_date ON resident (birth_date);
CREATE INDEX resident_no_kk ON resident (no_kk);
-- Whole-name matches first (a one-word query like "WAYAN" is in thousands
-- of names; the people called just that come from here).
CREATE INDEX resident_name_key ON resident (name_key);

-- Word index over name_key (external content: the text lives in
-- resident only; detail none: search asks only which names hold a word).
-- Imports rebuild it in bulk.
CREATE VIRTUAL TABLE resident_name USING fts5 (
  name_key, content = 'resident', content_rowid = 'nik', tokenize = 'ascii',
  detail = 'none'
);

-- Every normalised name word seen in an extract: search matches a
-- misspelt query word against these, then asks the index for the names
-- holding the close ones. Words of replaced names may linger (harmless).
CREATE TABLE name_word (
  word          TEXT    PRIMARY KEY
) WITHOUT ROWID;

-- A case is one applicant visit. Legal state transitions:
--   open -> recording   (checklist complete, NIK valid, eligible)
--   open -> referred    (a referral was made)
--   open -> cancelled
--   recording -> closed (later SOP steps)
CREATE TABLE intake_case (
  id            INTEGER PRIMARY KEY,
  nik           TEXT    NOT NULL CHECK (length (nik) = 16),
  type          TEXT    NOT NULL
                CHECK (type IN ('first_issue', 'change_of_data', 'replacement', 'newcomer')),
  state         TEXT    NOT NULL DEFAULT 'open'
                CHECK (state IN ('open', 'recording', 'referred', 'cancelled', 'closed')),
  source        TEXT    NOT NULL CHECK (source IN ('counter', 'online')),
  opened_at     TEXT    NOT NULL,
  opened_by     TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL
);
-- At most one open case per NIK: an online application joins it.
CREATE UNIQUE INDEX intake_case_open_nik ON intake_case (nik) WHERE state = 'open';
CREATE INDEX intake_case_state ON intake_case (state, opened_at);

-- The SOP's seven documents for one case; required depends on the type.
CREATE TABLE case_document (
  case_id       INTEGER NOT NULL REFERENCES intake_case (id) ON DELETE CASCADE,
  document      TEXT    NOT NULL CHECK (document IN (
                  'rt_rw_letter', 'form_f107', 'kk_copy', 'old_ktp_or_police_report',
                  'diploma_or_birth_certificate', 'civil_status_certificate',
                  'transfer_letter')),
  position      INTEGER NOT NULL,               -- 1-7, the SOP's order
  required      INTEGER NOT NULL CHECK (required IN (0, 1)),
  checked_at    TEXT,
  checked_by    TEXT,
  PRIMARY KEY (case_id, document)
) WITHOUT ROWID;

-- When each SOP step of a case started and ended, and who did it.
CREATE TABLE case_step (
  case_id       INTEGER NOT NULL REFERENCES intake_case (id) ON DELETE CASCADE,
  step          INTEGER NOT NULL CHECK (step BETWEEN 1 AND 6),
  started_at    TEXT    NOT NULL,               -- UTC ISO 8601
  ended_at      TEXT,
  operator      TEXT    NOT NULL,
  PRIMARY KEY (case_id, step)
) WITHOUT ROWID;
CREATE INDEX case_step_started ON case_step (started_at);

-- Applications sent in online. The manifest (personal data) is sealed
-- with the station key.
CREATE TABLE application (
  id            INTEGER PRIMARY KEY,
  external_id   TEXT    NOT NULL UNIQUE,        -- the manifest's application_id
  case_id       INTEGER NOT NULL REFERENCES intake_case (id),
  received_at   TEXT    NOT NULL,
  submitted_at  TEXT    NOT NULL,
  manifest      BLOB    NOT NULL                -- sealed JSON
);

CREATE TABLE application_attachment (
  id             INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES application (id) ON DELETE CASCADE,
  document       TEXT    NOT NULL,              -- a case_document.document
  media_type     TEXT    NOT NULL,
  size           INTEGER NOT NULL,
  sha256         TEXT    NOT NULL,
  sealed         BLOB    NOT NULL               -- rk_station_seal() of the file
);

-- People sent to Disdukcapil. nik is NULL for someone without one;
-- name is kept for the printed slip.
CREATE TABLE referral (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER REFERENCES intake_case (id),
  nik           TEXT    CHECK (nik IS NULL OR length (nik) = 16),
  name          TEXT    NOT NULL,
  reason        TEXT    NOT NULL CHECK (reason IN (
                  'not_in_registry', 'no_nik', 'nik_mismatch', 'record_incorrect')),
  note          TEXT,
  created_at    TEXT    NOT NULL,
  created_by    TEXT    NOT NULL
);
