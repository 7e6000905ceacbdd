import assert from "node:assert/strict";
import { validateKubernetesObject } from "../../../test/kubernetes-schema/validate";
import { HTTPS_REDIRECT_MIDDLEWARE, httpsRedirectMiddlewareManifest, ingressAnnotations, ingressManifest, traefikMiddlewareReference } from "../ingress-manifest";

const tls = { clusterIssuer: "letsencrypt-staging", secretName: "todo-tls", httpsRedirectMiddleware: HTTPS_REDIRECT_MIDDLEWARE };

describe("app Ingress and its HTTPS redirect", () => {
  it("when the Ingress is built, then no rule is for /metrics: Prometheus scrapes pods, and what \"/\" catches refuses proxied /metrics", () => {
    const ingress = ingressManifest({ namespace: "todo", host: "todo-app.local", ingressClassName: "traefik" });
    const paths = ingress.spec.rules.flatMap((r) => r.http.paths.map((p) => p.path));
    assert.ok(paths.length > 0);
    for (const path of paths) assert.ok(!/^\/metrics(\/|$)/.test(path) && !/^\/(healthz|readyz)$/.test(path), path);
    // The services' /metrics answer only requests without X-Forwarded-For, which Traefik always adds
    // (services/shared/src/http/service-app.ts, tested in services/shared/test/service-app.test.ts).
  });

  it("when a Middleware CR is referenced from an Ingress, then the name carries its namespace and the kubernetescrd provider", () => {
    assert.equal(traefikMiddlewareReference("todo", "redirect-https"), "todo-redirect-https@kubernetescrd");
    assert.equal(traefikMiddlewareReference("shop", "strip"), "shop-strip@kubernetescrd");
  });

  it("when the redirect Middleware is built, then it is a traefik.io/v1alpha1 permanent redirectScheme to https that passes the CRD schema", async () => {
    const m = httpsRedirectMiddlewareManifest({ namespace: "todo", name: HTTPS_REDIRECT_MIDDLEWARE });
    assert.equal(m.apiVersion, "traefik.io/v1alpha1");
    assert.equal(m.kind, "Middleware");
    assert.equal(m.metadata.namespace, "todo");
    assert.equal(m.metadata.name, "redirect-https");
    assert.deepEqual(m.spec, { redirectScheme: { scheme: "https", permanent: true } });
    assert.deepEqual(await validateKubernetesObject(m), []);
  });

  it("when TLS is on, then the routers listen on web and websecure, reference the namespace's redirect Middleware and take TLS from the entry point", () => {
    // Exactly these: no router.tls=true, which would make the routers TLS-only on `web` as well, so that
    // plain HTTP would get a 404 instead of the redirect.
    assert.deepEqual(ingressAnnotations({ namespace: "todo", tls }), {
      "cert-manager.io/cluster-issuer": "letsencrypt-staging",
      "traefik.ingress.kubernetes.io/router.entrypoints": "web,websecure",
      "traefik.ingress.kubernetes.io/router.middlewares": "todo-redirect-https@kubernetescrd",
    });
  });

  it("when TLS is off, then the Ingress serves plain HTTP on web with no redirect", () => {
    const ingress = ingressManifest({ namespace: "todo", host: "todo-app.local", ingressClassName: "traefik" });
    assert.deepEqual(ingress.metadata.annotations, { "traefik.ingress.kubernetes.io/router.entrypoints": "web" });
    assert.equal("tls" in ingress.spec, false);
  });

  it("when TLS is on, then the Ingress has the annotations, the certificate Secret for its host, and is schema-valid", async () => {
    const ingress = ingressManifest({ namespace: "todo", host: "203.0.113.10.sslip.io", ingressClassName: "traefik", tls });
    assert.equal(ingress.metadata.annotations["traefik.ingress.kubernetes.io/router.middlewares"], "todo-redirect-https@kubernetescrd");
    assert.deepEqual(ingress.spec.tls, [{ hosts: ["203.0.113.10.sslip.io"], secretName: "todo-tls" }]);
    assert.deepEqual(await validateKubernetesObject(ingress), []);
  });
});
