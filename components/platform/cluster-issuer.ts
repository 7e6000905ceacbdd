/** Let's Encrypt ACME endpoints; staging first (its rate limits forgive mistakes). */
import { commonLabels } from "@todo/contracts/labels";
export const ACME_SERVERS = {
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
  production: "https://acme-v02.api.letsencrypt.org/directory",
} as const;

export interface ClusterIssuerOptions {
  name: string;
  email: string;
  issuer: keyof typeof ACME_SERVERS;
  ingressClassName: string;
}

/** A ClusterIssuer answering HTTP-01 challenges through the Traefik IngressClass. */
export function clusterIssuerManifest(o: ClusterIssuerOptions) {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: o.name, labels: { ...commonLabels } },
    spec: {
      acme: {
        server: ACME_SERVERS[o.issuer],
        email: o.email,
        privateKeySecretRef: { name: `${o.name}-account-key` },
        solvers: [{ http01: { ingress: { ingressClassName: o.ingressClassName } } }],
      },
    },
  };
}
