// The policy pack of `pulumi preview --policy-pack policy` (.github/workflows/preview.yml). The rules
// are the pure functions of rules/, shared with `npm run render`, which applies them offline.
import { PolicyPack } from "@pulumi/policy";
import { packPolicies } from "./pack-policies";

new PolicyPack("todo-platform", { policies: packPolicies() });
