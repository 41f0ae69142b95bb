// `npm run schemas` writes schemas/*.json (JSON Schema of every client-written document and callable input);
// `npm run schemas:check` exits 1, listing the stale files, when the checked-in copies are not current.
import { runGenerator } from "./contract/generatedFiles";
import { renderSchemaFiles, SCHEMAS_DIR } from "./contract/jsonSchemas";

runGenerator(renderSchemaFiles(), { fixCommand: "npm run schemas", owned: { dir: SCHEMAS_DIR, ext: ".json" } });
