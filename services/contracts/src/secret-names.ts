/**
 * Names of the secrets in the Dapr secret store, shared by the services that read them and the
 * Pulumi program and local runtime that provide them. Plain strings here, so a provider need not load
 * the token code (jose) to learn a name.
 */

/** Name of the secret (and key) holding the JWT signing secret in the Dapr secret store. */
export const JWT_SECRET_NAME = "jwt-secret";
