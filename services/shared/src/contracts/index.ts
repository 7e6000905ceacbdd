export * from "./task";
export * from "./events";
export * from "./envelope";
export * from "./frames";
export * from "./history";
export * from "./safe-text";
