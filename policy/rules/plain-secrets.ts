import { workloadOf } from "./containers";
import { isType, type ResourceRule } from "./types";

const SECRET_WORDS = new Set(["password", "passwd", "pass", "pwd", "secret", "token", "credential", "credentials", "apikey", "passphrase"]);
const SECRET_PAIRS = new Set(["private key", "api key", "access key", "secret key", "auth token"]);
/** Words that make a name refer to a secret rather than hold one (`existingSecret`, `secretName`, `tokenFile`). */
const REFERENCE_WORDS = new Set(["existing", "ref", "name", "names", "file", "path", "ttl", "key"]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether a config key or variable name holds a secret: `JWT_SECRET`, `adminPassword`, `s3SecretKey`. */
export function looksSecret(name: string): boolean {
  const w = words(name);
  const last = w.at(-1);
  if (!last) return false;
  if (w.length >= 2 && SECRET_PAIRS.has(`${w.at(-2)} ${last}`)) return true;
  if (w.some((x) => REFERENCE_WORDS.has(x))) return false;
  return SECRET_WORDS.has(last);
}

/** A URL with a password in it (`postgres://user:pass@host`). */
export const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

function plainValueProblems(key: string, value: unknown, where: string): string[] {
  if (typeof value !== "string" || value === "") return [];
  if (looksSecret(key)) return [`${where} ${key} holds a secret in plain text: take it from a Kubernetes Secret`];
  if (CREDENTIAL_URL.test(value)) return [`${where} ${key} holds a URL with a password: take it from a Kubernetes Secret`];
  return [];
}

/**
 * No secret in plain configuration: ConfigMap entries and plain container `env` values that are (or
 * contain) credentials. A Secret, and `env[].valueFrom.secretKeyRef`, are where secrets go.
 */
export const noPlainSecrets: ResourceRule = {
  name: "no-secret-in-plain-config",
  description: "No secret value in plain configuration: ConfigMap data, container env values (use Secrets / secretKeyRef).",
  check(resource) {
    if (isType(resource, "kubernetes:core/v1:ConfigMap")) {
      const data = (resource.props.data ?? {}) as Record<string, unknown>;
      return Object.entries(data).flatMap(([k, v]) => plainValueProblems(k, v, "ConfigMap key"));
    }
    const w = workloadOf(resource);
    if (!w) return [];
    return w.containers.flatMap(({ container, label }) => (container.env ?? []).flatMap((e) => (e.valueFrom ? [] : plainValueProblems(e.name ?? "", e.value, `${label} env`))));
  },
};

/**
 * The stack's config file (Pulumi.<stack>.yaml): a key that names a secret must be a `secure:` value
 * (`pulumi config set --secret`), never plain text in the repository. Returns the offending keys.
 */
export function plainSecretConfigKeys(config: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      if ("secure" in (v as object)) return; // encrypted by Pulumi
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...path, k]);
      return;
    }
    const key = path.at(-1) ?? "";
    const bare = key.includes(":") ? key.slice(key.lastIndexOf(":") + 1) : key;
    if (typeof v === "string" && v !== "" && (looksSecret(bare) || CREDENTIAL_URL.test(v))) found.push(path.join("."));
  };
  walk(config, []);
  return found;
}
