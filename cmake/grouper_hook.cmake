# TEMPORARY (issue 12) until the compiled core of issue 10 lands: builds the Arrow importer and
# the grouper (src/core) as a static library, their tests and their benchmark. Removed when the
# core's own src/ glob picks these files up.
add_library(yosmodel_grouper STATIC ${PROJECT_SOURCE_DIR}/src/core/arrow.cpp
  ${PROJECT_SOURCE_DIR}/src/core/grouper.cpp ${PROJECT_SOURCE_DIR}/src/reoffending/aggregate_grouped.cpp)
target_link_libraries(yosmodel_grouper PUBLIC yosmodel PRIVATE yosmodel_warnings)
set_target_properties(yosmodel_grouper PROPERTIES POSITION_INDEPENDENT_CODE ON)

if(YOSMODEL_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
  file(GLOB grouper_tests CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/cpp/core/test_*.cpp
    ${PROJECT_SOURCE_DIR}/tests/cpp/reoffending/test_*.cpp)
  add_executable(yosmodel_core_tests ${grouper_tests})
  target_link_libraries(yosmodel_core_tests PRIVATE yosmodel_grouper yosmodel_warnings GTest::gtest_main)
  gtest_discover_tests(yosmodel_core_tests DISCOVERY_TIMEOUT 60)
endif()

if(YOSMODEL_BUILD_BENCHMARKS AND EXISTS ${PROJECT_SOURCE_DIR}/benchmarks/bench_grouper.cpp)
  find_package(benchmark REQUIRED)
  add_executable(bench_grouper ${PROJECT_SOURCE_DIR}/benchmarks/bench_grouper.cpp)
  target_link_libraries(bench_grouper PRIVATE yosmodel_grouper yosmodel_warnings benchmark::benchmark)
endif()

if(TARGET _core)
  target_link_libraries(_core PRIVATE yosmodel_grouper)
endif()
