import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { allDeadLetterTopics, allTopics } from "@todo/contracts/topology";
import { PART_OF } from "@todo/contracts/labels";

/** Arguments of {@link KafkaTopics}. */
export interface KafkaTopicsArgs {
  namespace: string;
  /** Image that has `rpk` (the pinned Redpanda image). */
  image: string;
  /** `host:port[,host:port]`. */
  brokers: string;
  /** SASL/TLS (Redpanda Cloud), or none (in-cluster dev-container Redpanda). */
  auth: { type: "password"; username: string; passwordSecret: { name: string; key: string }; saslMechanism: "SHA-256" | "SHA-512" } | { type: "none" };
}

export const ENSURE_TOPICS_SCRIPT = join(__dirname, "scripts", "ensure-topics.sh");

/** Every topic and dead-letter topic from topology.ts; the broker must have them before Dapr subscribes. */
export function topicNames(): string[] {
  return [...allTopics, ...allDeadLetterTopics];
}

/** rpk names the SCRAM mechanisms the Kafka way; Dapr's component wants SHA-256/SHA-512. */
export function rpkSaslMechanism(dapr: "SHA-256" | "SHA-512"): string {
  return `SCRAM-${dapr}`;
}

export function ensureTopicsJob(o: { namespace: string; image: string; brokers: string; auth: KafkaTopicsArgs["auth"]; scriptConfigMap: string; topics: string[] }) {
  const env: k8s.types.input.core.v1.EnvVar[] = [{ name: "RPK_BROKERS", value: o.brokers }];
  if (o.auth.type === "password") {
    env.push(
      { name: "RPK_USER", value: o.auth.username },
      { name: "RPK_PASS", valueFrom: { secretKeyRef: o.auth.passwordSecret } },
      { name: "RPK_SASL_MECHANISM", value: rpkSaslMechanism(o.auth.saslMechanism) },
      { name: "RPK_TLS_ENABLED", value: "true" },
    );
  }
  return {
    apiVersion: "batch/v1" as const,
    kind: "Job" as const,
    metadata: { name: "ensure-kafka-topics", namespace: o.namespace, labels: { "app.kubernetes.io/name": "ensure-kafka-topics", "app.kubernetes.io/part-of": PART_OF } },
    spec: {
      backoffLimit: 6,
      ttlSecondsAfterFinished: 3600,
      template: {
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "rpk",
              image: o.image,
              command: ["/bin/sh", "/scripts/ensure-topics.sh", ...o.topics],
              env,
              resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              volumeMounts: [
                { name: "scripts", mountPath: "/scripts" },
                { name: "home", mountPath: "/home/redpanda" },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "scripts", configMap: { name: o.scriptConfigMap } },
            { name: "home", emptyDir: {} },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** A Job that creates the topics and dead-letter topics idempotently (`rpk topic create`). */
export class KafkaTopics extends pulumi.ComponentResource {
  constructor(name: string, args: KafkaTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:platform:KafkaTopics", name, {}, opts);
    const self = { parent: this };
    const script = new k8s.core.v1.ConfigMap(
      `${name}-script`,
      { metadata: { name: "ensure-kafka-topics", namespace: args.namespace }, data: { "ensure-topics.sh": readFileSync(ENSURE_TOPICS_SCRIPT, "utf8") } },
      self,
    );
    const topics = topicNames();
    new k8s.batch.v1.Job(
      `${name}-job`,
      ensureTopicsJob({ namespace: args.namespace, image: args.image, brokers: args.brokers, auth: args.auth, scriptConfigMap: "ensure-kafka-topics", topics }),
      { ...self, dependsOn: [script] },
    );
    this.registerOutputs({});
  }
}
