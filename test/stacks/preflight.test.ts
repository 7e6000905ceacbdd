// The preflight: each missing piece of a stack's prerequisites is named with its exact fix, and the
// probes only read (a recording runner sees every command they would run).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { preflightFindings, programRunsPreflight, type ProbeResults } from "../../stacks/preflight/checks";
import { placeholderPaths, probe, type Runner } from "../../stacks/preflight/probes";

const root = join(__dirname, "..", "..");

const healthyLocal: ProbeResults = {
  platform: "linux",
  bash: "5.2.15",
  pulumi: "v3.248.0",
  pinnedPulumi: "3.248.0\n",
  minikube: "v1.38.1",
  kubectl: "v1.33.1",
  driver: "docker",
  driverVersion: "28.3.0",
  availableMemoryMiB: 16000,
  requiredMemoryMiB: 8192,
  configKeys: [],
  requiredKeys: [],
};
const missing = (p: ProbeResults, stack: "local" | "cloud" = "local") => preflightFindings(stack, p).filter((f) => !f.ok);

describe("preflight", () => {
  it("when everything is there, then nothing is missing", () => {
    assert.deepEqual(missing(healthyLocal), []);
  });

  it("when minikube is missing, the CLI older than pinned, docker stopped and memory short, then each is named with its fix", () => {
    const m = missing({ ...healthyLocal, minikube: undefined, pulumi: "v3.200.0", driverVersion: undefined, availableMemoryMiB: 6000 });
    assert.deepEqual(m.map((f) => f.check), ["Pulumi CLI", "minikube", "docker engine", "memory for the profile"]);
    assert.match(m[0].fix!, /--version 3\.248\.0/);
    assert.match(m[1].fix!, /minikube ≥ 1\.33\.0/);
    assert.match(m[3].fix!, /^give the engine more memory, or lower it: pulumi config set --path 'todo-platform:minikube\.memoryMb' 5120 -s local$/);
  });

  it("when the profile already runs (a second pulumi up), then its allocated memory is not asked for again", () => {
    // MemAvailable then excludes the running node's memory: checking it again would fail every later up.
    assert.deepEqual(missing({ ...healthyLocal, availableMemoryMiB: 1000, profileExists: true }), []);
    assert.equal(missing({ ...healthyLocal, availableMemoryMiB: 1000, profileExists: false })[0].check, "memory for the profile");
  });

  it("when the CLI is newer than the pinned one, then it passes (noted), when bash is missing on Windows, then WSL2 is the fix", () => {
    assert.deepEqual(missing({ ...healthyLocal, pulumi: "v3.250.1" }), []);
    const [bash] = missing({ ...healthyLocal, platform: "win32", bash: undefined });
    assert.equal(bash.check, "bash");
    assert.match(bash.fix!, /WSL2/);
  });

  it("when the cloud stack lacks an arm64 builder, OCI credentials and its secrets, then each is named with the exact command", () => {
    const cloud: ProbeResults = {
      platform: "linux",
      bash: "5",
      pulumi: "v3.248.0",
      pinnedPulumi: "3.248.0",
      buildxInspect: "Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/386",
      ociCredentials: false,
      configKeys: ["todo-platform:registryPassword"],
      requiredKeys: [
        { key: "sshPrivateKey", secret: true, fix: "pulumi config set --secret todo-platform:sshPrivateKey -s cloud < ~/.ssh/todo_oci_ed25519" },
        { key: "registryPassword", secret: true, fix: "x" },
      ],
      placeholderKeys: ["oci.compartmentId"],
    };
    const m = missing(cloud, "cloud");
    assert.deepEqual(m.map((f) => f.check), ["docker buildx with linux/arm64", "OCI API credentials", "config todo-platform:oci.compartmentId", "config secret todo-platform:sshPrivateKey"]);
    assert.match(m[0].fix!, /tonistiigi\/binfmt --install arm64/);
    assert.deepEqual(missing({ ...cloud, buildxInspect: "Platforms: linux/amd64, linux/arm64", ociCredentials: true, placeholderKeys: [], configKeys: ["todo-platform:sshPrivateKey", "todo-platform:registryPassword"] }, "cloud"), []);
  });

  it("when the committed cloud file is probed, then its REPLACE examples and unset secrets are found, and only read-only commands ran", () => {
    const commands: string[] = [];
    const recording: Runner = (c, a) => {
      commands.push([c, ...a].join(" "));
      return undefined;
    };
    const p = probe("cloud", root, recording);
    assert.ok(p.placeholderKeys!.includes("oci.compartmentId") && p.placeholderKeys!.includes("registry.namespace"));
    assert.deepEqual(p.requiredKeys.map((k) => k.key), ["sshPrivateKey", "registryPassword", "brokerPassword"]);
    probe("local", root, recording);
    assert.ok(commands.length >= 5);
    for (const c of commands) assert.match(c, /^(bash -c echo \$BASH_VERSION|pulumi version|minikube version --short|kubectl version --client -o yaml|docker (version|info) --format \S+|docker buildx inspect|minikube -p todo-platform status --format \{\{\.Host\}\})$/, c);
  });

  it("when a secret was set with pulumi config set --secret, then the stack file's `secure:` entry counts as set", () => {
    const dir = mkdtempSync(join(tmpdir(), "preflight-"));
    try {
      mkdirSync(join(dir, ".github"));
      writeFileSync(join(dir, ".github", "pulumi-version"), "3.248.0\n");
      writeFileSync(join(dir, "Pulumi.cloud.yaml"), "config:\n  todo-platform:sshPrivateKey:\n    secure: AAABAxyz\n  todo-platform:broker:\n    mode: in-cluster\n");
      const p = probe("cloud", dir, () => undefined);
      assert.ok(p.configKeys!.includes("todo-platform:sshPrivateKey"));
      assert.deepEqual(p.requiredKeys.map((k) => k.key), ["sshPrivateKey", "registryPassword"], "no broker password with an in-cluster broker");
      assert.match(p.configError ?? "", /oci/, "the schema names the missing oci settings");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("when the program starts, then it runs the preflight only in a real up (an engine, not a preview), never under mocks", () => {
    assert.equal(programRunsPreflight({ hasEngine: true, dryRun: false, env: {} }), true);
    assert.equal(programRunsPreflight({ hasEngine: true, dryRun: true, env: {} }), false);
    assert.equal(programRunsPreflight({ hasEngine: false, dryRun: false, env: {} }), false);
    assert.equal(programRunsPreflight({ hasEngine: true, dryRun: false, env: { TODO_PLATFORM_SKIP_PREFLIGHT: "1" } }), false);
    assert.deepEqual(placeholderPaths({ a: { b: "replace-me" }, c: ["x", "ssh-ed25519 AAAAIReplaceWithYourPublicKey"] }), ["a.b", "c[1]"]);
  });
});
