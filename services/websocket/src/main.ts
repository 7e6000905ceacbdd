import { runServiceMain } from "../../shared/src/http/service-main";
import { configSchema } from "./config";
import { start } from "./websocket-service";

runServiceMain("websocket", configSchema, start);
