import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { contentTag, serviceImageTag } from "../image-tag";
import { minikubeBuildCommand, registryBuildCommand } from "../build-commands";

function servicesTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "image-tag-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const base = {
  "Dockerfile": "FROM node",
  "package-lock.json": "{}",
  "shared/src/index.ts": "export {}",
  "contracts/src/topology.ts": "export const apps = {}",
  "contracts/package.json": "{}",
  "backend/src/main.ts": "console.log(1)",
  "websocket/src/main.ts": "console.log(2)",
};

describe("content-hash image tags", () => {
  it("when the same files are listed in another order, then the tag is the same", () => {
    const a = [{ path: "a", content: "1" }, { path: "b", content: "2" }];
    assert.equal(contentTag(a), contentTag([...a].reverse()));
    assert.match(contentTag(a), /^[a-f0-9]{12}$/);
  });

  it("when a file moves to another path with the same content, then the tag changes", () => {
    assert.notEqual(contentTag([{ path: "a", content: "1" }]), contentTag([{ path: "b", content: "1" }]));
  });

  it("when another service changes, then this service keeps its tag (no rebuild, no restart)", () => {
    const before = serviceImageTag(servicesTree(base), "backend");
    const after = serviceImageTag(servicesTree({ ...base, "websocket/src/main.ts": "changed" }), "backend");
    assert.equal(before, after);
  });

  it("when the service, the shared library, the contracts, the Dockerfile or the lock file changes, then the tag changes", () => {
    const before = serviceImageTag(servicesTree(base), "backend");
    for (const changed of ["backend/src/main.ts", "shared/src/index.ts", "contracts/src/topology.ts", "Dockerfile", "package-lock.json"]) {
      assert.notEqual(serviceImageTag(servicesTree({ ...base, [changed]: "changed" }), "backend"), before, changed);
    }
  });

  it("when only tests, node_modules or build output change, then the tag is unchanged (they never reach the image)", () => {
    const before = serviceImageTag(servicesTree(base), "backend");
    const after = serviceImageTag(servicesTree({ ...base, "backend/test/x.test.ts": "t", "backend/node_modules/m.js": "m", "shared/dist/index.js": "d" }), "backend");
    assert.equal(after, before);
  });
});

describe("image build commands", () => {
  it("when built for Minikube, then the image goes into the profile's runtime with SERVICE as build arg, and its presence is checked after", () => {
    const cmd = minikubeBuildCommand({ profile: "todo-platform", image: "todo-platform/backend:abc123abc123", service: "backend" });
    assert.ok(cmd.startsWith("minikube -p 'todo-platform' image build -t 'todo-platform/backend:abc123abc123' --build-opt 'build-arg=SERVICE=backend' -f Dockerfile . && "));
    // test/shell/minikube-build.test.ts runs it against a minikube that exits 0 on a failed build.
    assert.match(cmd, /minikube -p 'todo-platform' image ls \| grep -qxF -e 'todo-platform\/backend:abc123abc123'/);
  });

  it("when built for the registry, then it is an arm64 buildx push after a stdin login, with no password on the command line", () => {
    const cmd = registryBuildCommand({ registry: "fra.ocir.io", username: "ns/me", image: "fra.ocir.io/ns/todo-platform/backend:abc", service: "backend", platform: "linux/arm64" });
    assert.match(cmd, /^docker login 'fra\.ocir\.io' --username 'ns\/me' --password-stdin && /);
    assert.match(cmd, /docker buildx build --platform 'linux\/arm64' .* --push \.; fi$/);
    // test/shell/registry-build.test.ts runs it against a stub docker (existing tag, no arm64 builder).
    assert.doesNotMatch(cmd, /PASSWORD|--password /);
  });
});
