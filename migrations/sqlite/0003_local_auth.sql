-- A signing secret generated on first start, so local HS256 tokens work with no set-up.
-- Production deployments configure auth.hs256_secret or a JWKS instead.
CREATE TABLE local_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
