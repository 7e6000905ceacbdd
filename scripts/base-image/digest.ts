// Pure parts of `npm run base-image -- --check|--update`: the Dockerfile's pinned base image and the
// registry answer about its tag.

/** `ARG NODE_IMAGE=<repo>:<tag>@sha256:<digest>` of services/Dockerfile. */
export interface PinnedImage {
  repository: string;
  tag: string;
  digest: string;
}

const ARG = /^ARG NODE_IMAGE=([a-z0-9./-]+):([\w.-]+)@(sha256:[a-f0-9]{64})$/m;

export function pinnedBaseImage(dockerfile: string): PinnedImage {
  const m = ARG.exec(dockerfile);
  if (!m) throw new Error("services/Dockerfile: expected `ARG NODE_IMAGE=<image>:<exact tag>@sha256:<digest>`");
  return { repository: m[1], tag: m[2], digest: m[3] };
}

/** A tag that names one release (`22.20.0-alpine3.22`), not a moving line (`22-alpine`, `lts`, `latest`). */
export function isExactTag(tag: string): boolean {
  return /^\d+\.\d+\.\d+(-[a-z]+\d+(\.\d+)*)?$/.test(tag);
}

/** Docker Hub's API names official images `library/<name>`. */
export function hubRepository(repository: string): string {
  return repository.includes("/") ? repository : `library/${repository}`;
}

/** The Dockerfile with the digest replaced (the tag kept). */
export function withDigest(dockerfile: string, digest: string): string {
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new Error(`not a digest: ${digest}`);
  return dockerfile.replace(ARG, (_line, repo: string, tag: string) => `ARG NODE_IMAGE=${repo}:${tag}@${digest}`);
}

/** What --check says: nothing when the recorded digest is the tag's current one. */
export function driftMessage(pinned: PinnedImage, current: string): string | undefined {
  if (current === pinned.digest) return undefined;
  return (
    `${pinned.repository}:${pinned.tag} is now ${current}, services/Dockerfile records ${pinned.digest} ` +
    "(the image was rebuilt, e.g. for an Alpine security update): run `npm run base-image -- --update`, review, commit"
  );
}
