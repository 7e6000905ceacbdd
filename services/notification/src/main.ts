import { runServiceMain } from "../../shared/src/http/service-main";
import { notificationConfigSchema } from "./config";
import { APP_ID, start } from "./notification-service";

runServiceMain(APP_ID, notificationConfigSchema, start);
