/**
 * The image build commands, as pure functions of their inputs. Locally the image is built straight
 * into the Minikube node's runtime (no registry); in the cloud it is cross-built for arm64 and pushed.
 */

export interface LocalBuild {
  profile: string;
  image: string;
  service: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Run in `services/`: the Dockerfile and the build context are both that folder. A failed build can
 * exit 0: kubernetes/minikube v1.38.1 `pkg/minikube/machine/build_images.go` logs "Failed to build
 * image for profile …" and returns nil (kubernetes/minikube#16576). So the command then asks the node's
 * runtime for the tag (`minikube image ls`: the runtime's RepoTags, `docker.io/`-qualified by CRI
 * runtimes, `localhost/` by podman/cri-o) and fails the resource when it is absent: `pulumi up` stops at
 * the build, and the next run builds again (a failed create is not recorded in the state).
 */
export function minikubeBuildCommand(b: LocalBuild): string {
  const build = `minikube -p ${q(b.profile)} image build -t ${q(b.image)} --build-opt ${q(`build-arg=SERVICE=${b.service}`)} -f Dockerfile .`;
  const listed = `minikube -p ${q(b.profile)} image ls | grep -qxF -e ${q(b.image)} -e ${q(`docker.io/${b.image}`)} -e ${q(`localhost/${b.image}`)}`;
  const fail = `{ echo ${q(`minikube image build exited 0 but ${b.image} is not in the node's image store (kubernetes/minikube#16576): the build failed, see its output above`)} >&2; exit 1; }`;
  return `${build} && { ${listed} || ${fail}; }`;
}

/** Removes the image from the node on destroy/replace; a missing image is not an error. */
export function minikubeRemoveCommand(b: Omit<LocalBuild, "service">): string {
  return `minikube -p ${q(b.profile)} image rm ${q(b.image)} || true`;
}

export interface RegistryBuild {
  registry: string;
  username: string;
  image: string;
  service: string;
  platform: string;
}

/** What to install when the builder cannot build for `platform` (an amd64 host has no arm64 emulation). */
export function emulationFix(platform: string): string {
  const arch = platform.split("/")[1] ?? platform;
  return (
    `docker buildx cannot build ${platform} on this host. Install QEMU user emulation (binfmt_misc) and use a ` +
    `docker-container builder: \`docker run --privileged --rm tonistiigi/binfmt --install ${arch}\` then ` +
    "`docker buildx create --use --name todo-builder` (GitHub Actions: docker/setup-qemu-action + docker/setup-buildx-action)"
  );
}

/**
 * Run in `services/`. The registry password arrives on the command's stdin and goes straight to
 * `docker login --password-stdin`: never echoed, never on a command line. Then:
 * - the tag is a content hash, so an image already in the registry IS this build: it is not rebuilt
 *   (a rollback to an earlier commit reuses its images instead of re-building them under emulation);
 * - otherwise the builder must list the target platform (`docker buildx inspect --bootstrap`), else the
 *   command stops naming the fix, before a build that would fail deep inside `npm ci` under no emulation.
 */
export function registryBuildCommand(b: RegistryBuild): string {
  const inspect = `docker buildx imagetools inspect ${q(b.image)} >/dev/null 2>&1`;
  const canBuild = `docker buildx inspect --bootstrap | grep -E '^Platforms:' | grep -qF ${q(b.platform)}`;
  const build = `docker buildx build --platform ${q(b.platform)} --build-arg ${q(`SERVICE=${b.service}`)} -t ${q(b.image)} -f Dockerfile --push .`;
  return [
    `docker login ${q(b.registry)} --username ${q(b.username)} --password-stdin`,
    `if ${inspect}; then echo ${q(`${b.image} is already in the registry (content-hash tag): not rebuilt`)} >&2; ` +
      `else { ${canBuild} || { echo ${q(emulationFix(b.platform))} >&2; exit 1; }; } && ${build}; fi`,
  ].join(" && ");
}

/** The image name (without tag) of a service. */
export function imageRepository(prefix: string, service: string): string {
  return `${prefix.replace(/\/$/, "")}/${service}`;
}
