#!/bin/sh
# `npm test` over the suites that existed at a git revision (their test files then, `<folder>/<name>.test.ts`,
# are suites now): how long the suite a goal was set on takes today. Usage: sh test/support/suites-of.sh 108ce99
set -eu
rev=${1:?usage: sh test/support/suites-of.sh <git revision>}
files=$(git ls-tree -r --name-only "$rev" test | grep '\.test\.ts$' | sed 's#^test/##; s#\.test\.ts$##')
[ -n "$files" ] || { echo "no test files at $rev" >&2; exit 2; }
folders=$(echo "$files" | cut -d/ -f1 | sort -u | sed 's#^#test/#' | tr '\n' ' ')
names=$(echo "$files" | tr '\n' '|' | sed 's/|$//')
echo "$(echo "$files" | wc -l) suites of $rev, in $folders" >&2
# shellcheck disable=SC2086 # the folders are separate arguments
exec npm test -- $folders -t "^($names) "
