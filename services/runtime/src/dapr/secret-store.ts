/**
 * The local secret store: Dapr's `secretstores.local.env` with an allow-list. `jwt-secret` is read
 * from the variable `JWT_SECRET` (upper-cased, `-` → `_`). Names outside the allow-list are refused,
 * so a service can never read arbitrary environment variables of the runtime through the sidecar.
 */
export function envVarOf(secretName: string): string {
  return secretName.toUpperCase().replace(/-/g, "_");
}

export type SecretLookup = { found: true; value: string } | { found: false; reason: "not-allowed" | "not-set" };

export class SecretStore {
  constructor(
    private readonly allowed: readonly string[],
    private readonly env: Record<string, string | undefined>,
  ) {}

  read(name: string): SecretLookup {
    if (!this.allowed.includes(name)) return { found: false, reason: "not-allowed" };
    const value = this.env[envVarOf(name)];
    return value ? { found: true, value } : { found: false, reason: "not-set" };
  }

  /** Every allowed secret that is set, in Dapr's bulk shape `{name: {name: value}}`. */
  readAll(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const name of this.allowed) {
      const r = this.read(name);
      if (r.found) out[name] = { [name]: r.value };
    }
    return out;
  }
}
