/**
 * The Dapr custom resources the app deploys. They are defined in services/contracts/src/dapr-resources.ts
 * — pure, without Pulumi — because the local runtime (`npm start`) reads the very same Resiliency,
 * Component and Subscription objects to decide retries, timeouts, breakers and concurrency.
 */
export * from "@todo/contracts/dapr-resources";
