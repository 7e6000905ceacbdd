// `npm run preflight -- --stack local|cloud`: what `pulumi up -s <stack>` needs on this machine
// (minikube and its engine, the pinned Pulumi CLI, memory for the profile, an arm64-capable buildx for
// the cloud, the stack's required config and secrets), each missing piece with its exact fix.
// Read-only: nothing is started or created. Exit 1 when something is missing.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatFindings, preflightFindings } from "../stacks/preflight/checks";
import { probe } from "../stacks/preflight/probes";

const { values } = parseArgs({ options: { stack: { type: "string" } } });
if (values.stack !== "local" && values.stack !== "cloud") {
  console.error("usage: npm run preflight -- --stack local|cloud");
  process.exit(2);
}
const findings = preflightFindings(values.stack, probe(values.stack, join(__dirname, "..")));
console.log(formatFindings(values.stack, findings));
process.exit(findings.every((f) => f.ok) ? 0 : 1);
