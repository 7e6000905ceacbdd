import { runServiceMain } from "../../shared/src";
import { configSchema } from "./config";
import { start } from "./reminder-scheduler-service";

runServiceMain("reminder-scheduler", configSchema, start);
