import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { commonLabels } from "@todo/contracts/labels";

/** Arguments of {@link Redpanda}. */
export interface RedpandaArgs {
  namespace: string;
  /** Pinned Redpanda image. */
  image: string;
}

export const REDPANDA_NAME = "redpanda";
export const REDPANDA_PORT = 9092;

const labels = { "app.kubernetes.io/name": REDPANDA_NAME, ...commonLabels };
const selector = { "app.kubernetes.io/name": REDPANDA_NAME };

export function redpandaBrokers(namespace: string): string {
  return `${REDPANDA_NAME}.${namespace}.svc.cluster.local:${REDPANDA_PORT}`;
}

/** One broker in dev-container mode (no fsync, one core, small memory): a cheap in-cluster Kafka API. */
export function redpandaStatefulSet(o: { namespace: string; image: string }) {
  return {
    apiVersion: "apps/v1" as const,
    kind: "StatefulSet" as const,
    metadata: { name: REDPANDA_NAME, namespace: o.namespace, labels },
    spec: {
      serviceName: REDPANDA_NAME,
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 101, fsGroup: 101, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "redpanda",
              image: o.image,
              args: [
                "redpanda",
                "start",
                "--mode=dev-container",
                "--smp=1",
                "--memory=384M",
                "--reserve-memory=0M",
                "--overprovisioned",
                "--kafka-addr=PLAINTEXT://0.0.0.0:9092",
                `--advertise-kafka-addr=PLAINTEXT://${redpandaBrokers(o.namespace)}`,
              ],
              ports: [{ name: "kafka", containerPort: REDPANDA_PORT }],
              resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "640Mi" } },
              readinessProbe: { tcpSocket: { port: "kafka" }, periodSeconds: 5 },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              volumeMounts: [{ name: "data", mountPath: "/var/lib/redpanda/data" }],
            },
          ],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } } } }],
    },
  };
}

/** In-cluster Redpanda (dev-container mode) for clouds without a managed Kafka. */
export class Redpanda extends pulumi.ComponentResource {
  public readonly brokers: pulumi.Output<string>;

  constructor(name: string, args: RedpandaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:platform:Redpanda", name, {}, opts);
    const self = { parent: this };
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      { metadata: { name: REDPANDA_NAME, namespace: args.namespace, labels }, spec: { selector, ports: [{ name: "kafka", port: REDPANDA_PORT, targetPort: "kafka" }] } },
      self,
    );
    new k8s.apps.v1.StatefulSet(`${name}-statefulset`, redpandaStatefulSet(args), { ...self, dependsOn: [service] });
    this.brokers = pulumi.output(redpandaBrokers(args.namespace));
    this.registerOutputs({ brokers: this.brokers });
  }
}
