// The rendered registry build command, run by bash against a stub `docker` that records its calls.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registryBuildCommand } from "../../components/app/build-commands";

const image = "fra.ocir.io/ns/todo-platform/backend:abc123abc123";

/** REMOTE=1: the tag is in the registry. PLATFORMS: what `buildx inspect` lists (as docker prints it). */
function run(env: { REMOTE: string; PLATFORMS: string }): { status: number | null; stderr: string; calls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "docker-stub-"));
  try {
    writeFileSync(
      join(dir, "docker"),
      [
        "#!/usr/bin/env bash",
        'echo "$*" >> "$CALLS"',
        'case "$1 $2 $3" in',
        '  "login "*) cat >/dev/null; exit 0 ;;',
        '  "buildx imagetools inspect") [ "$REMOTE" = 1 ] && exit 0; echo "ERROR: not found" >&2; exit 1 ;;',
        '  "buildx inspect --bootstrap") printf "Name: default\\nDriver: docker\\nPlatforms: %s\\n" "$PLATFORMS"; exit 0 ;;',
        '  "buildx build "*) exit 0 ;;',
        "esac",
        "exit 2",
      ].join("\n"),
    );
    chmodSync(join(dir, "docker"), 0o755);
    writeFileSync(join(dir, "calls"), "");
    const cmd = registryBuildCommand({ registry: "fra.ocir.io", username: "ns/me", image, service: "backend", platform: "linux/arm64" });
    const res = spawnSync("bash", ["-c", cmd], { cwd: dir, input: "token", encoding: "utf8", env: { ...process.env, ...env, PATH: `${dir}:${process.env.PATH}`, CALLS: join(dir, "calls") } });
    return { status: res.status, stderr: res.stderr, calls: readFileSync(join(dir, "calls"), "utf8").trim().split("\n") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const built = (calls: string[]) => calls.some((c) => c.startsWith("buildx build"));

describe("registry build command (rendered, run by bash)", () => {
  it("when the content-hash tag is already in the registry (e.g. a rollback), then nothing is rebuilt", () => {
    const r = run({ REMOTE: "1", PLATFORMS: "linux/amd64" });
    assert.equal(r.status, 0);
    assert.equal(built(r.calls), false);
    assert.match(r.stderr, /already in the registry/);
  });

  it("when the builder cannot build linux/arm64 (amd64 host without QEMU), then it stops before building and names the fix", () => {
    const r = run({ REMOTE: "0", PLATFORMS: "linux/amd64, linux/amd64/v2, linux/386" });
    assert.equal(r.status, 1);
    assert.equal(built(r.calls), false);
    assert.match(r.stderr, /tonistiigi\/binfmt --install arm64/);
  });

  it("when the builder lists linux/arm64, then it builds and pushes", () => {
    const r = run({ REMOTE: "0", PLATFORMS: "linux/amd64, linux/arm64, linux/arm/v7" });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.calls.some((c) => c.startsWith("buildx build --platform linux/arm64") && c.endsWith("--push .")), r.calls.join("\n"));
  });
});
