-- 0001_core: accounts, sessions and the audit chain (daemon/core).

-- Staff accounts. The PIN is stored as libsodium's crypto_pwhash_str
-- (argon2id, salt and cost in the string). failed_pins/locked_until keep
-- the lockout across restarts.
CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE
                CHECK (length(username) BETWEEN 1 AND 64),
  role          TEXT    NOT NULL
                CHECK (role IN ('operator', 'supervisor', 'technician')),
  pin_hash      TEXT    NOT NULL,
  failed_pins   INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER NOT NULL DEFAULT 0,   -- unix seconds, 0 = not locked
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    INTEGER NOT NULL
);

-- Sessions of the TCP door. Only the BLAKE2b hash of the token is kept, so
-- a copy of the database does not log anyone in. method leaves room for
-- smartcard login later.
CREATE TABLE sessions (
  token_hash    BLOB    PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  method        TEXT    NOT NULL DEFAULT 'pin' CHECK (method IN ('pin', 'smartcard')),
  created_at    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_account ON sessions (account_id);

-- The audit trail: append-only, each entry chained to the previous one by
-- hash = BLAKE2b(key, prev_hash || canonical entry). subject is a case id
-- or a masked NIK, detail a JSON object; never a full NIK or a name.
CREATE TABLE audit (
  id            INTEGER PRIMARY KEY,
  at            TEXT    NOT NULL,               -- UTC, ISO 8601 with microseconds
  account_id    INTEGER,                        -- no FK: accounts may go, entries stay
  actor         TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  door          TEXT    NOT NULL CHECK (door IN ('unix', 'tcp', 'internal')),
  action        TEXT    NOT NULL,
  subject       TEXT,
  detail        TEXT,
  prev_hash     BLOB    NOT NULL,
  hash          BLOB    NOT NULL
);

-- The last entry written, so that cutting entries off the end is seen too.
CREATE TABLE audit_head (
  one           INTEGER PRIMARY KEY CHECK (one = 1),
  last_id       INTEGER NOT NULL,
  hash          BLOB    NOT NULL
);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE (ABORT, 'audit entries are append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE (ABORT, 'audit entries are append-only');
END;
