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

/** Run in `services/`: the Dockerfile and the build context are both that folder. */
export function minikubeBuildCommand(b: LocalBuild): string {
  return `minikube -p ${q(b.profile)} image build -t ${q(b.image)} --build-opt ${q(`build-arg=SERVICE=${b.service}`)} -f Dockerfile .`;
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

/**
 * Run in `services/`. The registry password arrives on the command's stdin and goes straight to
 * `docker login --password-stdin`: never echoed, never on a command line.
 */
export function registryBuildCommand(b: RegistryBuild): string {
  return [
    `docker login ${q(b.registry)} --username ${q(b.username)} --password-stdin`,
    `docker buildx build --platform ${q(b.platform)} --build-arg ${q(`SERVICE=${b.service}`)} -t ${q(b.image)} -f Dockerfile --push .`,
  ].join(" && ");
}

/** The image name (without tag) of a service. */
export function imageRepository(prefix: string, service: string): string {
  return `${prefix.replace(/\/$/, "")}/${service}`;
}
