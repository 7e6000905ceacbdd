import { runServiceMain } from "../../shared/src/http/service-main";
import { configSchema } from "./config";
import { start } from "./reminder-scheduler-service";

runServiceMain("reminder-scheduler", configSchema, start);
