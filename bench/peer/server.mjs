// The PostGraphile v5 peer: the GraphQL server that compiles each request to SQL, on the
// `peer` schema chorus-bench fills with the same roster as Chorus's read models. Started
// by chorus-bench on a free port (PEER_PORT) against its own database (PEER_DATABASE_URL),
// with the same pool size as `chorus serve` (PEER_POOL_SIZE); it prints `ready` once the
// schema is built and listening, and stops when its parent closes its standard input.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";

const port = Number(process.env.PEER_PORT);
const connectionString = process.env.PEER_DATABASE_URL;
const poolSize = Number(process.env.PEER_POOL_SIZE ?? "16");
if (!port || !connectionString) {
  console.error("PEER_PORT and PEER_DATABASE_URL are required");
  process.exit(2);
}

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ["peer"],
      poolConfig: { max: poolSize },
    }),
  ],
  grafserv: { graphqlPath: "/graphql", graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (error) => {
  console.error(error);
  process.exit(1);
});
await serv.addTo(server);
// Build the schema before announcing readiness, so the first measured request does not.
await pgl.getSchema();
server.listen(port, "127.0.0.1", () => {
  console.log("ready");
});

const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
