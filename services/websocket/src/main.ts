import { runServiceMain } from "../../shared/src";
import { configSchema } from "./config";
import { start } from "./websocket-service";

runServiceMain("websocket", configSchema, start);
