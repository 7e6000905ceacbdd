// `npm run render -- --stack <local|cloud> --out DIR`: the plan of a stack without a cluster, a CLI or
// credentials. Runs the program under Pulumi mocks (config from Pulumi.<stack>.yaml, dummy values for
// required secrets) and writes DIR/resources.json (every resource: type, name, parent, inputs, secrets
// redacted, and the resource options that decide a real run) and DIR/kubernetes/*.yaml (every Kubernetes object; Helm releases as their Release spec).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { offlineViolations, policyReport, readStackFile } from "../policy/offline";
import { helmReleases, kubernetesObjects, redactSecrets, revealSecrets, runOfflineStack } from "./render/offline-stack";

/** Inputs as written: secret values become "[secret]"; a Secret's data values always do (keys stay visible). */
function present(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type !== "kubernetes:core/v1:Secret") return redactSecrets(inputs) as Record<string, unknown>;
  const o = revealSecrets(inputs) as Record<string, unknown>;
  const redact = (d: unknown) => (d && typeof d === "object" ? Object.fromEntries(Object.keys(d).map((k) => [k, "[secret]"])) : d);
  return { ...o, ...(o.data ? { data: redact(o.data) } : {}), ...(o.stringData ? { stringData: redact(o.stringData) } : {}) };
}

const fileName = (parts: (string | undefined)[]) =>
  parts
    .filter(Boolean)
    .join(".")
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-");

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stack: { type: "string" }, out: { type: "string" } } });
  const stack = values.stack;
  if (stack !== "local" && stack !== "cloud") throw new Error("--stack must be local or cloud");
  if (!values.out) throw new Error("--out DIR is required");
  const out = resolve(values.out);

  const { resources, outputs } = await runOfflineStack(stack);

  rmSync(join(out, "kubernetes"), { recursive: true, force: true });
  mkdirSync(join(out, "kubernetes"), { recursive: true });
  const inventory = resources.map((r) => ({
    type: r.type,
    name: r.name,
    parent: r.parent,
    dependsOn: r.dependencies,
    // The options that decide a real run (delete-first replacement, protection, skipped deletes, timeouts).
    options: r.options,
    inputs: present(r.type, r.inputs),
  }));
  writeFileSync(join(out, "resources.json"), JSON.stringify({ stack, outputs: redactSecrets(outputs), resources: inventory }, null, 2) + "\n");

  let n = 0;
  for (const { resource, object } of kubernetesObjects(resources)) {
    const o = present(resource.type, object) as { kind?: string; metadata?: { name?: string; namespace?: string } };
    writeFileSync(join(out, "kubernetes", `${fileName([o.metadata?.namespace ?? "cluster", o.kind, o.metadata?.name])}.yaml`), stringify(o));
    n++;
  }
  for (const r of helmReleases(resources)) {
    const spec = redactSecrets(r.inputs) as { name?: string; namespace?: string };
    // Not a Kubernetes object: the Release spec Pulumi hands to Helm (chart, pinned version, values).
    const doc = { apiVersion: "pulumi.com/helm.sh-v3", kind: "HelmRelease", metadata: { name: spec.name, namespace: spec.namespace }, spec };
    writeFileSync(join(out, "kubernetes", `${fileName([spec.namespace, "helmrelease", spec.name])}.yaml`), stringify(doc));
    n++;
  }
  console.log(`${stack}: ${resources.length} resources → ${join(out, "resources.json")}; ${n} manifests → ${join(out, "kubernetes")}`);

  // The policy pack of `pulumi preview --policy-pack policy`, applied to the same plan (policy/offline.ts).
  const checked = resources.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, props: revealSecrets(r.inputs) as Record<string, unknown> }));
  const report = policyReport(offlineViolations(checked, readStackFile(resolve(__dirname, "..", `Pulumi.${stack}.yaml`))), checked.length);
  for (const line of report.lines) (report.exitCode ? console.error : console.log)(line);
  process.exitCode = report.exitCode;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
