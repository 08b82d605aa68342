#!/usr/bin/env bash
# The main Chorus operations with curl (and jq to build and read JSON).
#
#   # 1. start a server (SQLite file chorus.db, port 8080):
#   cargo run -p chorus-server
#   # 2. in another shell, from the repository root:
#   clients/examples/curl.sh
#
# Environment:
#   CHORUS_URL    server root (default http://127.0.0.1:8080)
#   CHORUS_TOKEN  a bearer token; when unset, the script creates an organization with
#                 `chorus init --json` (which must use the server's DATABASE_URL)
#   CHORUS        how to run the chorus binary (default: cargo run -q -p chorus-server --)
set -euo pipefail

CHORUS_URL=${CHORUS_URL:-http://127.0.0.1:8080}
CHORUS=${CHORUS:-"cargo run -q -p chorus-server --"}

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

# --- 0. An organization and its admin's token -------------------------------------
if [ -z "${CHORUS_TOKEN:-}" ]; then
  step "chorus init --json"
  INIT=$($CHORUS init --org "Acme $(date +%s)" --admin-email admin@acme.example --admin-name "Ada Admin" --json)
  echo "$INIT" | jq .
  CHORUS_TOKEN=$(echo "$INIT" | jq -r .token)
fi
TOKEN=$CHORUS_TOKEN

# gql QUERY [VARIABLES_JSON]: POST /graphql; prints the JSON response; exits on errors.
gql() {
  local variables=${2:-} body response
  [ -n "$variables" ] || variables='{}'
  body=$(jq -n --arg query "$1" --argjson variables "$variables" '{query: $query, variables: $variables}')
  response=$(curl -sS -X POST "$CHORUS_URL/graphql" \
    -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    ${CONSISTENT_WITH:+-H "Chorus-Consistent-With: $CONSISTENT_WITH"} \
    -d "$body")
  if echo "$response" | jq -e '.errors' >/dev/null; then
    echo "$response" | jq . >&2
    echo "request failed: $(echo "$response" | jq -r '.errors[0].extensions.code')" >&2
    exit 1
  fi
  echo "$response"
}

# --- 1. A query, the plain way -----------------------------------------------------
step "query: viewer and organization (plain curl)"
curl -sS -X POST "$CHORUS_URL/graphql" \
  -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"query":"{ viewer { isAdmin person { id displayName } } organization { id name coverage { missing } } }"}' | jq .

step "the same kind of query over GET (GraphQL over HTTP)"
curl -sS -G "$CHORUS_URL/graphql" -H "Authorization: Bearer $TOKEN" \
  --data-urlencode 'query={ organization { name } }' | jq .

# --- 2. createTeam (with an idempotency key: safe to retry) ------------------------
step "createTeam Marketing, then Social inside it"
KEY="create-marketing-$(date +%s%N)"
MARKETING=$(gql 'mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id name } position replayed } }' \
  "{\"input\": {\"name\": \"Marketing\", \"idempotencyKey\": \"$KEY\"}}")
echo "$MARKETING" | jq .
MARKETING_ID=$(echo "$MARKETING" | jq -r .data.createTeam.team.id)
step "the same createTeam retried: same team, replayed: true"
gql 'mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id name } position replayed } }' \
  "{\"input\": {\"name\": \"Marketing\", \"idempotencyKey\": \"$KEY\"}}" | jq .
SOCIAL=$(gql 'mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id name parent { name } } position } }' \
  "{\"input\": {\"name\": \"Social\", \"parentId\": \"$MARKETING_ID\"}}")
echo "$SOCIAL" | jq .
TEAM_ID=$(echo "$SOCIAL" | jq -r .data.createTeam.team.id)

# --- 3. addPerson ------------------------------------------------------------------
step "addPerson"
PERSON=$(gql 'mutation($input: AddPersonInput!) { addPerson(input: $input) { person { id displayName email affiliation } position } }' \
  "{\"input\": {\"displayName\": \"Sam Social\", \"email\": \"sam.$(date +%s%N)@acme.example\", \"affiliation\": \"INTERNAL\"}}")
echo "$PERSON" | jq .
PERSON_ID=$(echo "$PERSON" | jq -r .data.addPerson.person.id)

step "bad input: a clear error with extensions.code and extensions.field"
curl -sS -X POST "$CHORUS_URL/graphql" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"query":"mutation { addPerson(input: {displayName: \"X\", email: \"not-an-email\", affiliation: INTERNAL}) { person { id } } }"}' | jq .

# --- 4. assignRole, then revoke it --------------------------------------------------
step "assignRole SOCIAL_MEDIA / SOCIAL_MEDIA_MANAGER in Social"
ROLE=$(gql 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { roleAssignment { id function responsibility validFrom active } position } }' \
  "{\"input\": {\"personId\": \"$PERSON_ID\", \"function\": \"SOCIAL_MEDIA\", \"responsibility\": \"SOCIAL_MEDIA_MANAGER\", \"scope\": {\"kind\": \"TEAM\", \"id\": \"$TEAM_ID\"}, \"reason\": \"runs the accounts\"}}")
echo "$ROLE" | jq .
ROLE_ID=$(echo "$ROLE" | jq -r .data.assignRole.roleAssignment.id)

sleep 1
BETWEEN=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
sleep 1

step "revokeRole"
REVOKED=$(gql 'mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { roleAssignment { id active validFrom validTo } position } }' \
  "{\"input\": {\"roleAssignmentId\": \"$ROLE_ID\", \"reason\": \"moved to another team\"}}")
echo "$REVOKED" | jq .
POSITION=$(echo "$REVOKED" | jq -r .data.revokeRole.position)

# --- 5. roleHolders: time travel -----------------------------------------------------
# Chorus-Consistent-With makes the read wait until the read models include POSITION
# (useful against a replica; a single server already answers with the new state).
step "roleHolders now (nobody) and at $BETWEEN (Sam)"
CONSISTENT_WITH=$POSITION gql 'query($team: ID!, $at: DateTime) {
    now: roleHolders(teamId: $team, function: SOCIAL_MEDIA) { nodes { person { displayName } } }
    then: roleHolders(teamId: $team, function: SOCIAL_MEDIA, at: $at) { nodes { person { displayName } validFrom validTo } }
  }' "{\"team\": \"$TEAM_ID\", \"at\": \"$BETWEEN\"}" | jq .

# --- 6. teamStructureAsOf ------------------------------------------------------------
step "teamStructureAsOf $BETWEEN vs now"
NOW=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
gql 'query($team: ID!, $then: DateTime!, $now: DateTime!) {
    then: teamStructureAsOf(teamId: $team, at: $then) { at members { nodes { person { displayName } roles { function responsibility } manager { displayName } } } }
    now: teamStructureAsOf(teamId: $team, at: $now) { at members { nodes { person { displayName } } } }
  }' "{\"team\": \"$TEAM_ID\", \"then\": \"$BETWEEN\", \"now\": \"$NOW\"}" | jq .

step "coverage of Social"
gql 'query($team: ID!) { coverage(teamId: $team) { covered missing } }' "{\"team\": \"$TEAM_ID\"}" | jq -c .
