// Structured logs (JSON in Cloud Logging). A thin re-export so that every domain logs the same way and tests
// can spy on one module.
export { debug, error, info, warn } from "firebase-functions/logger";
