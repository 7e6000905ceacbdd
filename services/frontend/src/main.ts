import { runServiceMain } from "../../shared/src";
import { frontendConfigSchema } from "./config";
import { start } from "./frontend-service";

runServiceMain("frontend", frontendConfigSchema, start);
