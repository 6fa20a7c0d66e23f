/**
 * The schema source of codegen.yml (compiled to dist/operations/codegen-schema.js by
 * `npm run codegen`): GraphQL Code Generator's code-file loader awaits this export.
 */
import { composeApiSchema } from './api-schema';

export const schema = composeApiSchema();
