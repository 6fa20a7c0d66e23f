import { runSuites } from '../support/suites';

// This folder's *.suite.ts files, as one Jest test file (why: test/support/suites.ts).
runSuites(__dirname);
