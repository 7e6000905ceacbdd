// Pure pieces of the k3s bootstrap: the node scripts under ./scripts rendered with typed inputs, the
// SSH user of an image, and the kubeconfig rewrite. The component only wires these into commands.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";

/** The inputs each script declares with `: "${NAME:?}"`; a script without inputs takes `{}`. */
export interface ScriptInputs {
  "wait-for-cloud-init": Record<string, never>;
  "open-host-firewall": Record<string, never>;
  "install-k3s-server": {
    K3S_VERSION: string;
    PUBLIC_IP: string;
    PRIVATE_IP: string;
    K3S_TOKEN: string;
    KUBE_RESERVED: string;
    SYSTEM_RESERVED: string;
  };
  "install-k3s-agent": {
    K3S_VERSION: string;
    SERVER_IP: string;
    PRIVATE_IP: string;
    K3S_TOKEN: string;
    KUBE_RESERVED: string;
    SYSTEM_RESERVED: string;
  };
  "wait-for-nodes": { EXPECTED_NODES: string };
  "read-kubeconfig": Record<string, never>;
}
export type ScriptName = keyof ScriptInputs;

export const scriptsDir = join(__dirname, "scripts");
const INPUTS_MARKER = "# Rendered inputs (renderScript() places shell-quoted assignments right below this line).";

/** The script file as committed (what shellcheck sees). */
export function scriptTemplate(name: ScriptName): string {
  return readFileSync(join(scriptsDir, `${name}.sh`), "utf8");
}

/** sha256 of the committed script: a trigger that changes exactly when the script does. */
export function scriptDigest(name: ScriptName): string {
  return createHash("sha256").update(scriptTemplate(name)).digest("hex");
}

/** The variable names a script requires, read from its `: "${NAME:?}"` guards. */
export function requiredInputs(template: string): string[] {
  const names = new Set<string>();
  for (const line of template.split("\n")) {
    if (!line.startsWith(": ")) continue;
    for (const m of line.matchAll(/"\$\{([A-Z][A-Z0-9_]*):\?\}"/g)) names.add(m[1]);
  }
  return [...names];
}

/** Single-quotes a value for bash so that no character in it is interpreted. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Renders a template with the given inputs; throws when an input is missing, extra or multi-line. */
export function renderTemplate(template: string, vars: Record<string, string>, label = "script"): string {
  const required = requiredInputs(template);
  const missing = required.filter((k) => vars[k] === undefined || vars[k] === "");
  if (missing.length) throw new Error(`${label}: missing input(s) ${missing.join(", ")}`);
  const extra = Object.keys(vars).filter((k) => !required.includes(k));
  if (extra.length) throw new Error(`${label}: unknown input(s) ${extra.join(", ")}`);
  const multiLine = required.filter((k) => /[\r\n]/.test(vars[k]));
  if (multiLine.length) throw new Error(`${label}: input(s) ${multiLine.join(", ")} must be one line`);
  const at = template.indexOf(INPUTS_MARKER);
  if (at < 0) throw new Error(`${label}: no inputs marker line`);
  const end = at + INPUTS_MARKER.length;
  const assignments = required.map((k) => `${k}=${shellQuote(vars[k])}`).join("\n");
  return assignments ? `${template.slice(0, end)}\n${assignments}${template.slice(end)}` : template;
}

/** Renders `scripts/<name>.sh` with its typed inputs. */
export function renderScript<N extends ScriptName>(name: N, vars: ScriptInputs[N]): string {
  return renderTemplate(scriptTemplate(name), vars as Record<string, string>, `${name}.sh`);
}

/** The default login user of an OCI platform image (cloud-init puts the SSH key there). */
export function sshUserFor(operatingSystem: string): string {
  if (/^oracle linux$/i.test(operatingSystem.trim())) return "opc";
  if (/ubuntu/i.test(operatingSystem)) return "ubuntu";
  throw new Error(`image.operatingSystem "${operatingSystem}" is not supported: use "Oracle Linux" or "Canonical Ubuntu"`);
}

/**
 * k3s writes a kubeconfig for https://127.0.0.1:6443; from outside the node the API is reached at the
 * public IP, which the server certificate covers through `--tls-san`.
 */
export function rewriteKubeconfigServer(kubeconfig: string, publicIp: string): string {
  const doc = parseDocument(kubeconfig);
  const clusters = doc.get("clusters");
  const items = (clusters as { items?: unknown[] } | undefined)?.items;
  if (!Array.isArray(items) || items.length === 0) throw new Error("kubeconfig has no clusters");
  for (let i = 0; i < items.length; i++) {
    doc.setIn(["clusters", i, "cluster", "server"], `https://${publicIp}:6443`);
  }
  return doc.toString();
}

/** `cpu=…,memory=…` as kubelet's `--kube-reserved` / `--system-reserved` take it. */
export function kubeletReservation(r: { cpuMillicores: number; memoryMiB: number }): string {
  return `cpu=${r.cpuMillicores}m,memory=${r.memoryMiB}Mi`;
}
