import { runServiceMain } from "../../shared/src/http/service-main";
import { start } from "./backend-service";
import { backendConfigSchema } from "./config";

runServiceMain("backend", backendConfigSchema, start);
