-- Signed hand-over bundles. Each database has one Ed25519 key pair, made when first needed;
-- its private half stays here (the file is encrypted) and is never synced, exported or logged.
CREATE TABLE identity (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    secret      BLOB NOT NULL CHECK (length(secret) = 32),
    public_key  TEXT NOT NULL,                -- ed25519:<base64>
    created_at  TEXT NOT NULL
);

-- The other databases whose bundles this one accepts, registered by the coordinator after
-- comparing the fingerprint aloud. A revoked signer is kept so its old bundles stay named.
-- Machine-local like `identity`: bundles never carry either table.
CREATE TABLE signers (
    public_key  TEXT PRIMARY KEY,             -- ed25519:<base64>
    fingerprint TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('coordinator','captain')),
    units       TEXT NOT NULL DEFAULT '[]',   -- JSON array of unit ids: a captain's grids
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
