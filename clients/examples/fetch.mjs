// Chorus from JavaScript with nothing but fetch (Node 20+, or a browser).
//
//   CHORUS_TOKEN=$(cargo run -q -p chorus-server -- init --org Acme \
//       --admin-email admin@acme.example --json | jq -r .token)
//   node --experimental-websocket clients/examples/fetch.mjs
//
// Node 22+ has a global WebSocket; on Node 20 pass --experimental-websocket (without it
// the subscription part is skipped). CHORUS_URL defaults to http://127.0.0.1:8080.

const url = (process.env.CHORUS_URL ?? "http://127.0.0.1:8080").replace(/\/$/, "");
const token = process.env.CHORUS_TOKEN;
if (!token) {
  console.error("set CHORUS_TOKEN (see the comment at the top of this file)");
  process.exit(2);
}

/** A GraphQL error list, with each error's stable `extensions.code` (and `field`). */
class ChorusError extends Error {
  constructor(status, errors) {
    super(errors.map((e) => `[${e.extensions?.code ?? "?"}] ${e.message}`).join("; "));
    this.status = status;
    this.errors = errors;
    this.code = errors[0]?.extensions?.code;
    this.field = errors[0]?.extensions?.field;
  }
}

/**
 * POST /graphql. `consistentWith` is a `position` from a mutation payload: the read
 * then waits until the read models include it (read-your-writes on any replica).
 */
async function gql(query, variables = {}, { consistentWith } = {}) {
  const headers = {
    "content-type": "application/json",
    authorization: `Bearer ${token}`,
  };
  if (consistentWith) headers["chorus-consistent-with"] = consistentWith;
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({ errors: [{ message: response.statusText }] }));
  if (!response.ok || body.errors?.length) throw new ChorusError(response.status, body.errors ?? []);
  return body.data;
}

const show = (label, value) => console.log(`\n== ${label}\n${JSON.stringify(value, null, 2)}`);

// --- queries ------------------------------------------------------------------------
const { viewer, organization } = await gql(`{
  viewer { isAdmin person { id displayName } }
  organization { id name coverage { missing } }
}`);
show("viewer", { viewer, organization });

// --- mutations: the payload carries the new state and a log position ------------------
const stamp = Date.now();
const createTeam = `mutation($input: CreateTeamInput!) {
  createTeam(input: $input) { team { id name } position replayed }
}`;
const first = await gql(createTeam, { input: { name: `Social ${stamp}`, idempotencyKey: `social-${stamp}` } });
const retry = await gql(createTeam, { input: { name: `Social ${stamp}`, idempotencyKey: `social-${stamp}` } });
show("createTeam, then the same request retried", { first: first.createTeam, retry: retry.createTeam });
const teamId = first.createTeam.team.id;

const { addPerson } = await gql(
  `mutation($input: AddPersonInput!) { addPerson(input: $input) { person { id displayName } position } }`,
  { input: { displayName: "Riley Reporter", email: `riley.${stamp}@acme.example`, affiliation: "AGENCY" } },
);
show("addPerson", addPerson);

const { assignRole } = await gql(
  `mutation($input: AssignRoleInput!) {
    assignRole(input: $input) { roleAssignment { id function responsibility scope { kind team { name } } active } position }
  }`,
  {
    input: {
      personId: addPerson.person.id,
      function: "ANALYTICS",
      responsibility: "METRICS_ANALYST",
      scope: { kind: "TEAM", id: teamId },
      reason: "weekly sentiment report",
    },
  },
);
show("assignRole", assignRole);

// Read your own write (any replica) by sending the position back.
const { team } = await gql(
  `query($id: ID!) { team(id: $id) { name members { nodes { person { displayName } roles { function } } } coverage { missing } } }`,
  { id: teamId },
  { consistentWith: assignRole.position },
);
show("team, consistent with the assignment", team);

// --- pagination: follow endCursor while hasNextPage -----------------------------------
let after = null;
const names = [];
do {
  const { people } = await gql(
    `query($after: String) { people(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { displayName } } }`,
    { after },
  );
  names.push(...people.nodes.map((p) => p.displayName));
  after = people.pageInfo.hasNextPage ? people.pageInfo.endCursor : null;
} while (after);
show("everybody, two per page", names);

// --- errors: a stable code and the offending field ------------------------------------
try {
  await gql(createTeam, { input: { name: "   " } });
} catch (error) {
  if (!(error instanceof ChorusError)) throw error;
  show("bad input", { status: error.status, code: error.code, field: error.field, message: error.message });
}

// --- a live subscription over graphql-transport-ws ------------------------------------
if (typeof WebSocket === "undefined") {
  console.log("\n(no global WebSocket: run with `node --experimental-websocket` on Node 20 to see the subscription)");
} else {
  const event = await new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/graphql/ws`, "graphql-transport-ws");
    const timer = setTimeout(() => reject(new Error("no event within 10 s")), 10_000);
    ws.onerror = () => reject(new Error("WebSocket error"));
    ws.onclose = (e) => reject(new Error(`closed: ${e.code} ${e.reason}`));
    ws.onopen = () =>
      ws.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${token}` } }));
    ws.onmessage = async ({ data }) => {
      const message = JSON.parse(data);
      if (message.type === "ping") return ws.send(JSON.stringify({ type: "pong" }));
      if (message.type === "connection_ack") {
        ws.send(
          JSON.stringify({
            id: "teams",
            type: "subscribe",
            payload: {
              query: `subscription { events(aggregateTypes: [TEAM]) { eventType aggregateId position occurredAt payload } }`,
            },
          }),
        );
        // The protocol has no "subscribed" acknowledgement: give the server a moment.
        setTimeout(() => gql(createTeam, { input: { name: `Live ${stamp}` } }).catch(reject), 300);
        return;
      }
      if (message.type === "next") {
        clearTimeout(timer);
        ws.onclose = null;
        ws.send(JSON.stringify({ id: "teams", type: "complete" }));
        ws.close(1000);
        resolve(message.payload.data.events);
      } else if (message.type === "error") {
        reject(new ChorusError(200, message.payload));
      }
    };
  });
  show("event received over graphql-transport-ws", event);
}
