# End-to-end runs of the binary whose stdout, stderr and exit status are compared with
# files in tests/cli/expected/. They share one store, built by the "compare: setup" test
# from the fixtures in tests/data/records/ (paths relative to tests/data so output is stable).
set(compare_dir ${CMAKE_CURRENT_BINARY_DIR}/compare)
set(compare_db ${compare_dir}/store.db)
set(expected ${CMAKE_CURRENT_SOURCE_DIR}/cli/expected)

add_test(NAME "compare: setup"
         COMMAND ${CMAKE_COMMAND} -E rm -rf ${compare_dir})
set_tests_properties("compare: setup" PROPERTIES FIXTURES_SETUP compare_clean)

# name, expected exit status, arguments (after --db), [stderr file]
function(porchlight_compare name rc args)
  set(err_file "")
  if(ARGC GREATER 3)
    set(err_file ${expected}/${ARGV3})
  endif()
  add_test(NAME "compare: ${name}"
           COMMAND ${CMAKE_COMMAND}
                   -DPORCHLIGHT=$<TARGET_FILE:porchlight>
                   "-DARGS=--db ${compare_db} ${args}"
                   -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/data
                   -DEXPECTED_OUT=${expected}/${name}.out
                   -DEXPECTED_ERR=${err_file}
                   -DEXPECTED_RC=${rc}
                   -P ${PROJECT_SOURCE_DIR}/cmake/run_compare.cmake)
endfunction()

# The ingests run in order, each its own test, and set up the store the listings read.
porchlight_compare(ingest-atlas 0 "ingest records/same-table.csv --as-of 2020-10-07")
porchlight_compare(ingest-ring-map 0 "ingest records/ring-map.kml --as-of 2020-01-15")
porchlight_compare(ingest-generic 0 "ingest records/generic.csv --as-of 2021-06-01")
porchlight_compare(ingest-bad-date 0 "ingest records/bad-date-row.csv --as-of 2021-06-02" ingest-bad-date.err)
porchlight_compare(ingest-again 0 "ingest records/same-table.csv")
set_tests_properties("compare: ingest-atlas" PROPERTIES FIXTURES_REQUIRED compare_clean
                     FIXTURES_SETUP compare_atlas)
set_tests_properties("compare: ingest-ring-map" PROPERTIES FIXTURES_REQUIRED compare_atlas
                     FIXTURES_SETUP compare_ring)
set_tests_properties("compare: ingest-generic" PROPERTIES FIXTURES_REQUIRED compare_ring
                     FIXTURES_SETUP compare_generic)
set_tests_properties("compare: ingest-bad-date" PROPERTIES FIXTURES_REQUIRED compare_generic
                     FIXTURES_SETUP compare_store)
set_tests_properties("compare: ingest-again" PROPERTIES FIXTURES_REQUIRED compare_store)

set(listings
  "partnerships|0|partnerships"
  "partnerships-csv|0|partnerships --format csv"
  "partnerships-json|0|partnerships --format json"
  "partnerships-ring-as-of|0|partnerships --vendor ring --as-of 2020-01-01"
  "partnerships-state|0|partnerships --state texas"
  "agencies|0|agencies"
  "agencies-search|0|agencies --search maple --format csv"
  "agency-show|0|agencies show Brookvale PD"
  "agency-show-json|0|agencies show 1 --format json"
  "conflicts|0|conflicts"
  "warnings|0|warnings --format csv"
  "agency-unknown|1|agencies show Nowhere PD|agency-unknown.err"
  "bad-state|2|partnerships --state XX|bad-state.err"
  "bad-format|2|partnerships --format xml|bad-format.err"
  "bad-option|2|partnerships --vendr ring|bad-option.err")
# porchlight_compare_list(FIXTURE ENTRY...): one compare test per "name|status|args[|stderr
# file]" entry, each run on the store that FIXTURE sets up.
function(porchlight_compare_list fixture)
  foreach(entry IN LISTS ARGN)
    string(REPLACE "|" ";" parts "${entry}")
    list(GET parts 0 name)
    list(GET parts 1 rc)
    list(GET parts 2 args)
    list(LENGTH parts n)
    if(n GREATER 3)
      list(GET parts 3 err)
      porchlight_compare(${name} ${rc} "${args}" ${err})
    else()
      porchlight_compare(${name} ${rc} "${args}")
    endif()
    set_tests_properties("compare: ${name}" PROPERTIES FIXTURES_REQUIRED ${fixture})
  endforeach()
endfunction()
porchlight_compare_list(compare_store ${listings})

# History (diff, timeline): the fixtures of tests/data/history/ in a store of their own, so
# that the listings above do not change. porchlight_compare reads compare_db when called.
set(history_saved_db ${compare_db})
set(compare_db ${compare_dir}/history.db)
porchlight_compare(history-ingest-2020 0 "-q ingest history/atlas-2020-10-07.csv --as-of 2020-10-07")
porchlight_compare(history-ingest-2024 0 "-q ingest history/atlas-2024-03-01.csv --as-of 2024-03-01")
porchlight_compare(history-ingest-ring-map 0 "-q ingest history/ring-map-2020-01-15.kml --as-of 2020-01-15")
set_tests_properties("compare: history-ingest-2020" PROPERTIES FIXTURES_REQUIRED compare_clean
                     FIXTURES_SETUP history_2020)
set_tests_properties("compare: history-ingest-2024" PROPERTIES FIXTURES_REQUIRED history_2020
                     FIXTURES_SETUP history_2024)
set_tests_properties("compare: history-ingest-ring-map" PROPERTIES FIXTURES_REQUIRED history_2024
                     FIXTURES_SETUP history_store)
set(history_listings
  "diff|0|diff --from 2020-10-07 --to 2024-03-01"
  "diff-csv|0|diff --source atlas-of-surveillance --from 2020-10-07 --to 2030-01-01 --format csv"
  "diff-json|0|diff --from cd6acc6e --to 5f83dc05 --format json"
  "diff-no-snapshot|1|diff --from 2019-12-31 --to 2024-03-01|diff-no-snapshot.err"
  "diff-bad-date|2|diff --from 2020-10 --to 2024-03-01|diff-bad-date.err"
  "timeline|0|timeline Smallville PD"
  "timeline-csv|0|timeline 1 --format csv"
  "timeline-unknown|1|timeline Nowhere PD|timeline-unknown.err")
porchlight_compare_list(history_store ${history_listings})
set(compare_db ${history_saved_db})
