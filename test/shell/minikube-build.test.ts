// The rendered `minikube image build` command, run by bash against a stub `minikube` that behaves like
// kubernetes/minikube v1.38.1 on a failed build: pkg/minikube/machine/build_images.go logs the error and
// returns nil, so `minikube image build` exits 0 (kubernetes/minikube#16576).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { minikubeBuildCommand } from "../../components/app/build-commands";

const image = "todo-platform/backend:abc123abc123";

/** A `minikube` on PATH: `image build` always exits 0; `image ls` lists what STORE holds. */
function stubMinikube(dir: string): void {
  const script = [
    "#!/usr/bin/env bash",
    'case "$3 $4" in',
    '  "image build") echo "E1201 build_images.go:126] Failed to build image for profile todo-platform" >&2; exit 0 ;;',
    '  "image ls") printf "%s\\n" registry.k8s.io/pause:3.10 $STORE; exit 0 ;;',
    "esac",
    "exit 2",
  ].join("\n");
  writeFileSync(join(dir, "minikube"), script);
  chmodSync(join(dir, "minikube"), 0o755);
}

function run(store: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "minikube-stub-"));
  try {
    stubMinikube(dir);
    const res = spawnSync("bash", ["-c", minikubeBuildCommand({ profile: "todo-platform", image, service: "backend" })], {
      cwd: dir,
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, STORE: store },
      encoding: "utf8",
    });
    return { status: res.status, stderr: res.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("minikube image build command (rendered, run by bash)", () => {
  it("when the build fails but minikube exits 0, then the command fails naming the missing image", () => {
    const r = run("");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /exited 0 but todo-platform\/backend:abc123abc123 is not in the node's image store/);
  });

  it("when the image is in the runtime (docker.io-qualified by a CRI runtime, or as tagged), then the command succeeds", () => {
    assert.equal(run(`docker.io/${image}`).status, 0);
    assert.equal(run(image).status, 0);
  });

  it("when only another tag of the service is present, then it still fails (the exact tag is required)", () => {
    assert.equal(run("docker.io/todo-platform/backend:000000000000").status, 1);
  });
});
