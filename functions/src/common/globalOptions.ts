import { setGlobalOptions } from "firebase-functions/v2/options";
import { maxInstances, REGION } from "./config";

setGlobalOptions({ region: REGION, maxInstances, memory: "256MiB", timeoutSeconds: 60 });
