import { runServiceMain } from "../../shared/src/http/service-main";
import { frontendConfigSchema } from "./config";
import { start } from "./frontend-service";

runServiceMain("frontend", frontendConfigSchema, start);
