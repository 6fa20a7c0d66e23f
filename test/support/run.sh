#!/bin/sh
# `npm test`: the type check beside Jest rather than before it. tsc takes one core for ~30 s, while
# Jest's two workers leave part of the two cores idle (waits on children, timeouts, the data sets'
# build), so the type check mostly fits in that time. Arguments go to Jest (`npm test -- test/etl`).
# Exit status: Jest's when it failed, else the type check's.
tsc -p tsconfig.json --noEmit &
typecheck=$!
jest "$@"
tests=$?
wait "$typecheck"
types=$?
[ "$tests" -ne 0 ] && exit "$tests"
exit "$types"
