import type * as pulumi from "@pulumi/pulumi";

/**
 * The broker as the app's Dapr components and NetworkPolicies need it: produced by the platform,
 * consumed by the app. Its own file so neither of the two imports the other for it.
 */
export type BrokerConnection =
  | { kind: "redis"; host: string; password: pulumi.Output<string> }
  | { kind: "kafka"; brokers: string; auth: { type: "none" } }
  | { kind: "kafka"; brokers: string; auth: { type: "password"; username: string; saslMechanism: "SHA-256" | "SHA-512"; password: pulumi.Output<string> } };
