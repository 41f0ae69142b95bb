// Integration tests also call service code from functions/src directly (to deliver the same event twice,
// or to run a scheduled job at a chosen time). Give that code the configuration the Functions runtime has.
import { readFileSync } from "node:fs";
import path from "node:path";

const projectId: string = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "..", "..", ".firebaserc"), "utf8")).projects.default;
process.env.GCLOUD_PROJECT ??= projectId;
process.env.FIREBASE_CONFIG ??= JSON.stringify({ projectId, storageBucket: `${projectId}.appspot.com` });
