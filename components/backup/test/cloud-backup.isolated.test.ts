import assert from "node:assert/strict";
import { MOCK_SECRET_PREFIX, isSecretValue, revealSecrets, runOfflineStack, type OfflineStack, type RecordedResource } from "../../../scripts/render/offline-stack";
import { validateKubernetesObject } from "../../../test/kubernetes-schema/validate";

// The cloud stack under mocks (as `npm run render -- --stack cloud` runs it), with the customer secret
// key configured: the bucket, the CronJob and what it needs are planned, children of the component.
describe("backup: in the cloud stack", function () {
  this.timeout(120_000);
  let stack: OfflineStack;
  const one = (type: string, name: string): RecordedResource => {
    const found = stack.resources.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `${type} ${name}`);
    return found[0]!;
  };

  before(async () => {
    stack = await runOfflineStack("cloud", { backupAccessKeyId: `${MOCK_SECRET_PREFIX}access-key`, backupSecretKey: `${MOCK_SECRET_PREFIX}secret-key` });
  });

  it("when planned, then an Object Storage bucket without public access is created in the stack's compartment and namespace", () => {
    const bucket = one("oci:ObjectStorage/bucket:Bucket", "backup-bucket");
    assert.equal(bucket.inputs.accessType, "NoPublicAccess");
    assert.equal(bucket.inputs.storageTier, "Standard");
    assert.equal(bucket.inputs.name, "todo-platform-backups");
    assert.equal(bucket.inputs.compartmentId, "ocid1.compartment.oc1..replace-me");
    assert.equal(bucket.inputs.namespace, "replace-me", "the Object Storage namespace is the OCIR namespace of the config");
  });

  it("when planned, then the CronJob, its script, its egress policy and its credentials are children of the component, valid and wired", async () => {
    const component = one("todo:backup:PostgresBackup", "backup");
    const cronJob = one("kubernetes:batch/v1:CronJob", "backup-cronjob");
    const script = one("kubernetes:core/v1:ConfigMap", "backup-script");
    const policy = one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "backup-egress");
    const secret = one("kubernetes:core/v1:Secret", "backup-credentials");
    for (const r of [cronJob, script, policy, secret, one("oci:ObjectStorage/bucket:Bucket", "backup-bucket")]) assert.equal(r.parent, component.urn, r.name);
    for (const r of [cronJob, script, policy]) assert.deepEqual(await validateKubernetesObject(revealSecrets(r.inputs) as never), [], r.name);
    const job = cronJob.inputs as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- a registered manifest
    assert.equal(job.metadata.namespace, "todo-data");
    assert.equal(job.spec.jobTemplate.spec.template.spec.initContainers[0].image, "postgres:17.6-alpine", "pg_dump of the server's own version");
    assert.match((script.inputs as any).data["postgres-backup.sh"], /^KEEP_DAILY=7$/m); // eslint-disable-line @typescript-eslint/no-explicit-any
    const data = (secret.inputs as { stringData: unknown }).stringData;
    const inner = isSecretValue(data) ? (data.value as Record<string, unknown>) : (data as Record<string, unknown>);
    assert.ok(isSecretValue(data) || isSecretValue(inner.secretAccessKey), "the key stays a Pulumi secret");
    assert.deepEqual(revealSecrets(data), { accessKeyId: `${MOCK_SECRET_PREFIX}access-key`, secretAccessKey: `${MOCK_SECRET_PREFIX}secret-key` });
    assert.ok(cronJob.dependencies.includes(secret.urn) && cronJob.dependencies.includes(script.urn));
  });
});
