// The preflight checks: what a stack needs on this machine before `pulumi up`, each missing piece
// named with the exact command that fixes it. Pure: probe results come in, findings go out; the
// probes (read-only commands, nothing started or created) are in probes.ts.

export type StackName = "local" | "cloud";

export interface Finding {
  check: string;
  ok: boolean;
  /** What was found (a version, a size), or what is missing. */
  detail: string;
  /** The exact fix, when not ok. */
  fix?: string;
}

/** What the probes saw. `undefined` = the command is not installed (or did not answer). */
export interface ProbeResults {
  platform: NodeJS.Platform;
  bash?: string;
  /** `pulumi version`, e.g. `v3.248.0`. */
  pulumi?: string;
  /** Contents of .github/pulumi-version. */
  pinnedPulumi: string;
  /** `minikube version --short`, e.g. `v1.38.1`. */
  minikube?: string;
  kubectl?: string;
  /** The Minikube driver of the stack and its engine's version (`docker version --format …`). */
  driver?: string;
  driverVersion?: string;
  /** Memory the container engine / machine can give (MiB). */
  availableMemoryMiB?: number;
  /** `minikube.memoryMb` of the stack. */
  requiredMemoryMiB?: number;
  /** The profile already exists (`minikube status` answers): its memory is allocated already. */
  profileExists?: boolean;
  /** `docker buildx inspect` output (cloud; no --bootstrap: the preflight starts nothing). */
  buildxInspect?: string;
  /** Stack config keys that are set (`pulumi config --json`), secret or not; undefined when unreadable. */
  configKeys?: string[];
  /** Keys (without the project prefix) the stack requires, with their fix. */
  requiredKeys: { key: string; secret: boolean; fix: string }[];
  /** The stack's plain config failed the schema (message), when it did. */
  configError?: string;
  /** Keys whose committed value is still an example to replace (`replace-me`, 198.51.100.x, …). */
  placeholderKeys?: string[];
  /** Cloud: OCI API credentials found (~/.oci/config, or OCI_CLI_USER / TF_VAR_user_ocid in the environment). */
  ociCredentials?: boolean;
}

const semver = (v: string | undefined) => /(\d+)\.(\d+)\.(\d+)/.exec(v ?? "")?.slice(1).map(Number);

/** The oldest minikube whose `image build`/`--cni=calico`/`update-context` the program relies on. */
export const MIN_MINIKUBE = "1.33.0";

function atLeast(found: string | undefined, min: string): boolean {
  const a = semver(found);
  const b = semver(min)!;
  if (!a) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

export function preflightFindings(stack: StackName, p: ProbeResults): Finding[] {
  const f: Finding[] = [];
  const add = (check: string, ok: boolean, detail: string, fix?: string) => f.push({ check, ok, detail, ...(ok ? {} : { fix }) });

  // Every local command of the program runs through bash (components/cluster/shell.ts).
  add(
    "bash",
    p.bash !== undefined,
    p.bash ?? "not found",
    p.platform === "win32" ? "run Pulumi from WSL2 (wsl --install, then work inside the Linux distribution) or install Git for Windows so bash is on PATH" : "install bash (e.g. apt-get install bash)",
  );

  // Older than the pinned CLI fails (the program's SDK needs it); a newer one works and is only noted.
  const pinned = p.pinnedPulumi.trim();
  const cli = semver(p.pulumi)?.join(".");
  add(
    "Pulumi CLI",
    atLeast(p.pulumi, pinned),
    p.pulumi === undefined ? "not found" : `${p.pulumi} (pinned: ${pinned}${cli === pinned ? "" : "; CI uses the pinned one"})`,
    `curl -fsSL https://get.pulumi.com | sh -s -- --version ${pinned}   # the version CI uses (.github/pulumi-version)`,
  );

  if (stack === "local") {
    add("minikube", atLeast(p.minikube, MIN_MINIKUBE), p.minikube ?? "not found", `install minikube ≥ ${MIN_MINIKUBE}: https://minikube.sigs.k8s.io/docs/start/`);
    add("kubectl", p.kubectl !== undefined, p.kubectl ?? "not found", "install kubectl: https://kubernetes.io/docs/tasks/tools/ (or alias it to `minikube kubectl --`)");
    if (p.driver === "docker" || p.driver === "podman") {
      add(`${p.driver} engine`, p.driverVersion !== undefined, p.driverVersion ?? "not running or not installed", `start ${p.driver} (Docker Desktop, or: sudo systemctl start ${p.driver})`);
    }
    if (p.requiredMemoryMiB !== undefined && p.profileExists) {
      add("memory for the profile", true, `profile exists (minikube.memoryMb = ${p.requiredMemoryMiB} already allocated)`);
    } else if (p.requiredMemoryMiB !== undefined) {
      const enough = p.availableMemoryMiB !== undefined && p.availableMemoryMiB >= p.requiredMemoryMiB;
      add(
        "memory for the profile",
        enough,
        `${p.availableMemoryMiB ?? "?"} MiB available, minikube.memoryMb = ${p.requiredMemoryMiB}`,
        `give the engine more memory, or lower it: pulumi config set --path 'todo-platform:minikube.memoryMb' ${Math.max(4096, Math.floor(((p.availableMemoryMiB ?? 4096) * 0.9) / 512) * 512)} -s local`,
      );
    }
  } else {
    const platforms = /^Platforms:\s*(.*)$/m.exec(p.buildxInspect ?? "")?.[1] ?? "";
    add(
      "docker buildx with linux/arm64",
      /\blinux\/arm64\b/.test(platforms),
      p.buildxInspect === undefined ? "docker buildx not available" : `platforms: ${platforms || "none listed"}`,
      "docker run --privileged --rm tonistiigi/binfmt --install arm64 && docker buildx create --use --name todo-builder",
    );
    add(
      "OCI API credentials",
      p.ociCredentials === true,
      p.ociCredentials ? "found" : "no ~/.oci/config and no OCI_/TF_VAR_ credentials in the environment",
      "oci setup config   # writes ~/.oci/config (profile DEFAULT) and an API key; upload its public half in the console",
    );
  }
  for (const key of p.placeholderKeys ?? []) {
    add(`config todo-platform:${key}`, false, "still the example value of the committed file", `pulumi config set --path 'todo-platform:${key}' <your value> -s ${stack}   # docs/DEPLOYMENT.md`);
  }

  if (p.configError) add("stack config", false, p.configError, `fix the key named above in Pulumi.${stack}.yaml (docs/DEPLOYMENT.md lists every key)`);
  if (p.configKeys === undefined) {
    add("stack selected", false, `pulumi config -s ${stack} could not be read`, `pulumi login && pulumi stack select --create ${stack}`);
  } else {
    for (const r of p.requiredKeys) {
      const set = p.configKeys.includes(`todo-platform:${r.key}`);
      add(`config ${r.secret ? "secret " : ""}todo-platform:${r.key}`, set, set ? "set" : "missing", r.fix);
    }
  }
  return f;
}

/** The required keys of a stack given its plain config (secrets the schema cannot see). */
export function requiredKeysOf(stack: StackName, plain: { broker?: { mode?: string }; database?: { mode?: string } }): ProbeResults["requiredKeys"] {
  if (stack === "local") return [];
  const keys: ProbeResults["requiredKeys"] = [
    { key: "sshPrivateKey", secret: true, fix: "pulumi config set --secret todo-platform:sshPrivateKey -s cloud < ~/.ssh/todo_oci_ed25519" },
    { key: "registryPassword", secret: true, fix: "pulumi config set --secret todo-platform:registryPassword -s cloud   # an OCIR auth token" },
  ];
  if ((plain.broker?.mode ?? "redpanda-cloud") === "redpanda-cloud") {
    keys.push({ key: "brokerPassword", secret: true, fix: "pulumi config set --secret todo-platform:brokerPassword -s cloud   # Redpanda Cloud SASL password" });
  }
  if (plain.database?.mode === "external") keys.push({ key: "databaseUrl", secret: true, fix: "pulumi config set --secret todo-platform:databaseUrl -s cloud" });
  return keys;
}

export function formatFindings(stack: StackName, findings: Finding[]): string {
  const lines = findings.map((x) => `  ${x.ok ? "ok  " : "MISS"} ${x.check}: ${x.detail}${x.ok ? "" : `\n         fix: ${x.fix}`}`);
  const missing = findings.filter((x) => !x.ok).length;
  return [`preflight (stack ${stack}):`, ...lines, missing ? `${missing} missing: fix them, then run again` : "everything pulumi up needs is there"].join("\n");
}

/**
 * Whether the program runs the preflight itself: at the start of a real `pulumi up`/`destroy`
 * (an engine, not a preview), never under the mocks of the tests and `npm run render` (no engine),
 * and not when TODO_PLATFORM_SKIP_PREFLIGHT=1 (for a machine the user knows better than the checks).
 */
export function programRunsPreflight(o: { hasEngine: boolean; dryRun: boolean; env: NodeJS.ProcessEnv }): boolean {
  return o.hasEngine && !o.dryRun && o.env.TODO_PLATFORM_SKIP_PREFLIGHT !== "1";
}
