// services/Dockerfile pins its base image by digest; `npm run base-image -- --check` (run by the e2e
// workflow, online) fails when the exact tag has moved to another digest.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { driftMessage, hubRepository, isExactTag, pinnedBaseImage, withDigest } from "../../scripts/base-image/digest";

const root = join(__dirname, "..", "..");
const dockerfile = readFileSync(join(root, "services", "Dockerfile"), "utf8");
const other = `sha256:${"a".repeat(64)}`;

describe("base image pinned by digest", () => {
  it("when the Dockerfile is read, then every stage builds FROM the one NODE_IMAGE, an exact Node 22 tag with its sha256 digest", () => {
    const pinned = pinnedBaseImage(dockerfile);
    assert.equal(pinned.repository, "node");
    assert.ok(isExactTag(pinned.tag), `${pinned.tag} names one release`);
    assert.match(pinned.tag, /^22\./);
    assert.match(pinned.digest, /^sha256:[a-f0-9]{64}$/);
    const froms = dockerfile.split("\n").filter((l) => /^FROM /.test(l));
    assert.ok(froms.length >= 3 && froms.every((l) => l.startsWith("FROM ${NODE_IMAGE} AS ")), froms.join("\n"));
    assert.equal(isExactTag("22-alpine"), false);
    assert.equal(isExactTag("lts-alpine"), false);
  });

  it("when the registry's digest for the tag differs from the recorded one, then --check reports drift with the fix; equal, nothing", () => {
    const pinned = pinnedBaseImage(dockerfile);
    assert.equal(driftMessage(pinned, pinned.digest), undefined);
    assert.match(driftMessage(pinned, other)!, /is now sha256:a{64}, services\/Dockerfile records sha256:[a-f0-9]{64}.*npm run base-image -- --update/);
  });

  it("when --update records a new digest, then only the digest changes", () => {
    const updated = withDigest(dockerfile, other);
    assert.deepEqual(pinnedBaseImage(updated), { ...pinnedBaseImage(dockerfile), digest: other });
    assert.equal(updated.split("\n").length, dockerfile.split("\n").length);
    assert.throws(() => withDigest(dockerfile, "latest"), /not a digest/);
    assert.equal(hubRepository("node"), "library/node");
  });

  it("when the e2e workflow runs, then it checks the pinned digest against Docker Hub (the drift check is part of CI)", () => {
    const e2e = parse(readFileSync(join(root, ".github", "workflows", "e2e-minikube.yml"), "utf8")) as { jobs: { e2e: { steps: { run?: string }[] } } };
    assert.ok(e2e.jobs.e2e.steps.some((s) => /npm run base-image -- --check/.test(s.run ?? "")));
  });
});
