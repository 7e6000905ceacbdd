// `npm run base-image -- --check` fails when the digest pinned in services/Dockerfile is no longer the
// one its exact tag points at on Docker Hub (drift); `--update` records the current one. The multi-arch
// index digest is what is pinned (HEAD of the manifest with the index media types), so the same pin
// serves linux/amd64 (Minikube) and linux/arm64 (OCI A1). Needs network; run by e2e-minikube.yml.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { driftMessage, hubRepository, pinnedBaseImage, withDigest } from "./base-image/digest";

const dockerfilePath = join(__dirname, "..", "services", "Dockerfile");

async function currentDigest(repository: string, tag: string): Promise<string> {
  const repo = hubRepository(repository);
  const token = (await (await fetch(`https://auth.docker.io/token?service=registry.docker.io&scope=repository:${repo}:pull`)).json()) as { token: string };
  const res = await fetch(`https://registry-1.docker.io/v2/${repo}/manifests/${tag}`, {
    method: "HEAD",
    headers: {
      authorization: `Bearer ${token.token}`,
      accept: "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json",
    },
  });
  const digest = res.headers.get("docker-content-digest");
  if (!res.ok || !digest) throw new Error(`${repository}:${tag}: registry answered HTTP ${res.status}`);
  return digest;
}

async function main(): Promise<number> {
  const mode = process.argv[2];
  if (mode !== "--check" && mode !== "--update") {
    console.error("usage: npm run base-image -- --check|--update");
    return 2;
  }
  const dockerfile = readFileSync(dockerfilePath, "utf8");
  const pinned = pinnedBaseImage(dockerfile);
  const current = await currentDigest(pinned.repository, pinned.tag);
  const drift = driftMessage(pinned, current);
  if (!drift) {
    console.log(`${pinned.repository}:${pinned.tag}@${pinned.digest}: current`);
    return 0;
  }
  if (mode === "--check") {
    console.error(drift);
    return 1;
  }
  writeFileSync(dockerfilePath, withDigest(dockerfile, current));
  console.log(`services/Dockerfile: ${pinned.repository}:${pinned.tag}@${current}`);
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
