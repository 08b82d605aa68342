-- Service-account tokens, registered when issued (teams projection; rebuildable). A
-- token signed with the local key is accepted only while its row exists unrevoked.
CREATE TABLE service_tokens (
    id                 BLOB PRIMARY KEY,
    organization_id    BLOB NOT NULL,
    service_account_id BLOB NOT NULL,
    scopes             TEXT NOT NULL,          -- space-separated, as in the token
    description        TEXT,
    issued_by          BLOB,
    issued_at          TEXT NOT NULL,
    expires_at         TEXT NOT NULL,
    revoked_at         TEXT,
    revoked_by         BLOB,
    revoke_reason      TEXT
);

CREATE INDEX service_tokens_organization ON service_tokens (organization_id, id);
