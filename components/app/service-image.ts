import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as artifacts from "@pulumi/oci/artifacts";
import { BASH } from "../cluster/shell";
import { imageRepository, minikubeBuildCommand, minikubeRemoveCommand, registryBuildCommand } from "./build-commands";

export type ImageBuildTarget =
  | {
      kind: "minikube";
      /** Minikube profile whose container runtime receives the image. */
      profile: string;
      /** Repository prefix of the local images, e.g. `todo-platform`. */
      repositoryPrefix: string;
    }
  | {
      kind: "registry";
      /** Registry host, e.g. `fra.ocir.io`. */
      server: string;
      /** Repository prefix, e.g. `fra.ocir.io/<namespace>/todo-platform`. */
      repositoryPrefix: string;
      username: string;
      /** Registry password / auth token (secret). */
      password: pulumi.Input<string>;
      /** Target platform, e.g. `linux/arm64`. */
      platform: string;
      /**
       * OCIR: the compartment that holds one ContainerRepository per service. Without it a push depends
       * on the tenancy's "create repository on first push" setting, lands in the ROOT compartment and
       * outlives `pulumi destroy`.
       */
      ociCompartmentId?: pulumi.Input<string>;
      /** Repository path below the registry namespace, e.g. `todo-platform` (→ `todo-platform/<service>`). */
      repositoryPath?: string;
    };

export interface ServiceImageArgs {
  /** The app-id; `ARG SERVICE` of services/Dockerfile. */
  service: string;
  /** Content hash of the build inputs (see image-tag.ts): the image tag and the rebuild trigger. */
  tag: string;
  /** Absolute path of `services/` (Dockerfile and build context). */
  servicesDir: string;
  target: ImageBuildTarget;
}

/** Builds one service's image with a content-hash tag; rebuilt only when the tag changes. */
export class ServiceImage extends pulumi.ComponentResource {
  /** Full image reference `<repository>:<tag>` (known before the build: the tag is the content hash). */
  public readonly ref: string;
  /** The same reference, resolved once the build has finished. */
  public readonly image: pulumi.Output<string>;

  constructor(name: string, args: ServiceImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:app:ServiceImage", name, {}, opts);
    if (!/^[a-f0-9]{8,64}$/.test(args.tag)) throw new pulumi.ResourceError(`tag: expected a content hash, got "${args.tag}"`, this);
    const ref = (this.ref = `${imageRepository(args.target.repositoryPrefix, args.service)}:${args.tag}`);
    const t = args.target;
    // The cluster (opts.dependsOn) must be up first: the image lands in its node or is pulled by it.
    const after = opts?.dependsOn === undefined ? [] : Array.isArray(opts.dependsOn) ? (opts.dependsOn as pulumi.Input<pulumi.Resource>[]) : [opts.dependsOn as pulumi.Input<pulumi.Resource>];
    const build =
      t.kind === "minikube"
        ? new command.local.Command(
            `${name}-build`,
            {
              dir: args.servicesDir,
              create: minikubeBuildCommand({ profile: t.profile, image: ref, service: args.service }),
              delete: minikubeRemoveCommand({ profile: t.profile, image: ref }),
              interpreter: BASH,
              triggers: [args.tag],
            },
            { parent: this, dependsOn: after },
          )
        : this.registryBuild(name, args, t, ref, after);
    this.image = build.stdout.apply(() => ref);
    this.registerOutputs({ image: this.image });
  }

  private registryBuild(name: string, args: ServiceImageArgs, t: Extract<ImageBuildTarget, { kind: "registry" }>, ref: string, after: pulumi.Input<pulumi.Resource>[]): command.local.Command {
    const repository =
      t.ociCompartmentId !== undefined
        ? new artifacts.ContainerRepository(
            `${name}-repository`,
            { compartmentId: t.ociCompartmentId, displayName: `${t.repositoryPath ?? "todo-platform"}/${args.service}`, isPublic: false, isImmutable: false },
            { parent: this },
          )
        : undefined;
    return new command.local.Command(
      `${name}-build`,
      {
        dir: args.servicesDir,
        create: registryBuildCommand({ registry: t.server, username: t.username, image: ref, service: args.service, platform: t.platform }),
        stdin: pulumi.secret(t.password),
        interpreter: BASH,
        triggers: [args.tag],
      },
      // The push needs its repository (in the stack's compartment) first.
      { parent: this, dependsOn: [...after, ...(repository ? [repository] : [])] },
    );
  }
}
