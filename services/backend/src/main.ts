import { runServiceMain } from "../../shared/src";
import { start } from "./backend-service";
import { backendConfigSchema } from "./config";

runServiceMain("backend", backendConfigSchema, start);
