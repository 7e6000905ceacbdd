// Preloaded into `npm run render` by policy-gate.isolated.test.ts: the deliberately violating change of
// issue 16 — the backend container loses its limits, and the security list gains a rule that opens
// SSH (22) to 0.0.0.0/0 — made where a code change would make it, in the inputs the program registers
// (a wrapper around the SDK's registerResource; @pulumi/pulumi resource.js calls it through the module
// object, so the wrapper sees every resource). Nothing in the program or in render.ts knows about it.
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";

/* eslint-disable @typescript-eslint/no-explicit-any -- the change edits whatever shape the inputs have */
type Obj = Record<string, any>;
const runtimeResource = createRequire(__filename)("@pulumi/pulumi/runtime/resource") as { registerResource: (...args: any[]) => unknown };
const original = runtimeResource.registerResource;

runtimeResource.registerResource = (res, parent, type, name, custom, remote, newDependency, props: Obj, ...rest) => {
  if (type === "kubernetes:apps/v1:Deployment" && name === "app-backend") {
    props.spec = pulumi.output(props.spec).apply((spec: Obj) => {
      for (const c of spec.template.spec.containers) delete c.resources.limits;
      return spec;
    });
  }
  if (String(type).toLowerCase() === "oci:core/securitylist:securitylist") {
    props.ingressSecurityRules = pulumi
      .output(props.ingressSecurityRules)
      .apply((rules: Obj[]) => [...rules, { protocol: "6", source: "0.0.0.0/0", sourceType: "CIDR_BLOCK", stateless: false, tcpOptions: { min: 22, max: 22 }, description: "debugging, remove later" }]);
  }
  return original(res, parent, type, name, custom, remote, newDependency, props, ...rest);
};
