// The read-only probes of the preflight: `<tool> version`-style commands and file reads. Nothing is
// started, created or changed (a test runs them with a recording runner and checks the command list).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { freemem, homedir, platform } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { decodeConfigValue, parseStackConfig } from "../config";
import { requiredKeysOf, type ProbeResults, type StackName } from "./checks";

/** Runs a command and returns its trimmed stdout, or undefined when it is missing or fails. */
export type Runner = (command: string, args: string[]) => string | undefined;

export const execRunner: Runner = (command, args) => {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 60_000 }).trim();
  } catch {
    return undefined;
  }
};

function availableMemoryMiB(run: Runner, driver: string | undefined): number | undefined {
  // On Linux the docker/podman driver shares the host's memory: what is available now.
  if (platform() === "linux") {
    const meminfo = existsSync("/proc/meminfo") ? /MemAvailable:\s+(\d+) kB/.exec(readFileSync("/proc/meminfo", "utf8")) : null;
    return meminfo ? Math.floor(Number(meminfo[1]) / 1024) : Math.floor(freemem() / 2 ** 20);
  }
  // macOS/Windows: the engine's VM is the limit (Docker Desktop → Resources → Memory).
  if (driver === "docker" || driver === "podman") {
    const bytes = Number(run(driver, ["info", "--format", "{{.MemTotal}}"]));
    return Number.isFinite(bytes) && bytes > 0 ? Math.floor(bytes / 2 ** 20) : undefined;
  }
  return Math.floor(freemem() / 2 ** 20);
}

/** Dotted paths of string leaves that are still examples of the committed file (marked REPLACE there). */
export function placeholderPaths(value: unknown, path = ""): string[] {
  if (typeof value === "string") return /replace-me|ReplaceWith|198\.51\.100\.7\/32|you@example\.com/i.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholderPaths(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => placeholderPaths(v, path ? `${path}.${k}` : k));
  return [];
}

/** Everything the checks need, from this machine and the stack's file `Pulumi.<stack>.yaml` in `root`. */
export function probe(stack: StackName, root: string, run: Runner = execRunner): ProbeResults {
  const file = join(root, `Pulumi.${stack}.yaml`);
  let configKeys: string[] | undefined;
  let configError: string | undefined;
  let plain: Record<string, unknown> = {};
  if (existsSync(file)) {
    const config = ((parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
    // `pulumi config set --secret` writes `{secure: …}` into this file: set, but not readable here.
    configKeys = Object.keys(config);
    plain = Object.fromEntries(
      Object.entries(config)
        .filter(([k, v]) => k.startsWith("todo-platform:") && !(v && typeof v === "object" && "secure" in v))
        .map(([k, v]) => [k.slice("todo-platform:".length), typeof v === "string" ? decodeConfigValue(v) : v]),
    );
    try {
      parseStackConfig(plain, stack);
    } catch (err) {
      configError = (err as Error).message;
    }
  }
  const minikubeSettings = (plain.minikube ?? {}) as { driver?: string; memoryMb?: number; profile?: string };
  const driver = stack === "local" && plain.kubeContext === undefined ? (minikubeSettings.driver ?? "docker") : undefined;
  const pinned = existsSync(join(root, ".github", "pulumi-version")) ? readFileSync(join(root, ".github", "pulumi-version"), "utf8") : "";
  return {
    platform: platform(),
    bash: run("bash", ["-c", "echo $BASH_VERSION"]),
    pulumi: run("pulumi", ["version"]),
    pinnedPulumi: pinned,
    ...(stack === "local"
      ? {
          minikube: plain.kubeContext === undefined ? run("minikube", ["version", "--short"]) : "not needed (kubeContext)",
          kubectl: run("kubectl", ["version", "--client", "-o", "yaml"])?.match(/gitVersion: (\S+)/)?.[1],
          driver,
          driverVersion: driver === "docker" || driver === "podman" ? run(driver, ["version", "--format", "{{.Server.Version}}"]) : undefined,
          availableMemoryMiB: driver ? availableMemoryMiB(run, driver) : undefined,
          requiredMemoryMiB: driver ? (minikubeSettings.memoryMb ?? 8192) : undefined,
          // A running or stopped profile answers with its host state; a missing one prints nothing useful.
          profileExists: driver ? /^(Running|Stopped|Paused)$/.test(run("minikube", ["-p", minikubeSettings.profile ?? "todo-platform", "status", "--format", "{{.Host}}"]) ?? "") : undefined,
        }
      : { buildxInspect: run("docker", ["buildx", "inspect"]) }),
    configKeys,
    configError,
    placeholderKeys: placeholderPaths(plain),
    ...(stack === "cloud"
      ? { ociCredentials: existsSync(join(homedir(), ".oci", "config")) || Boolean(process.env.OCI_CLI_USER ?? process.env.TF_VAR_user_ocid ?? process.env.OCI_USER_OCID) }
      : {}),
    requiredKeys: requiredKeysOf(stack, plain as { broker?: { mode?: string }; database?: { mode?: string } }),
  };
}
