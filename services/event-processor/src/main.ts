import { runServiceMain } from "../../shared/src/http/service-main";
import { eventProcessorConfigSchema } from "./config";
import { APP_ID, start } from "./event-processor-service";

runServiceMain(APP_ID, eventProcessorConfigSchema, start);
