-- Service-account tokens, registered when issued (teams projection; rebuildable). A
-- token signed with the local key is accepted only while its row exists unrevoked.
CREATE TABLE service_tokens (
    id                 UUID PRIMARY KEY,
    organization_id    UUID NOT NULL,
    service_account_id UUID NOT NULL,
    scopes             TEXT NOT NULL,          -- space-separated, as in the token
    description        TEXT,
    issued_by          UUID,
    issued_at          TIMESTAMPTZ NOT NULL,
    expires_at         TIMESTAMPTZ NOT NULL,
    revoked_at         TIMESTAMPTZ,
    revoked_by         UUID,
    revoke_reason      TEXT
);

CREATE INDEX service_tokens_organization ON service_tokens (organization_id, id);
